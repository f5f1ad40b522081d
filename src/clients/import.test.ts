// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in plain strings.
import { describe, expect, it } from "vitest";
import type { RawServerEntry, RegistryDocument } from "../registry/index.js";
import { voidErrorOf } from "../registry/test-helpers.js";
import { type ClientConfig, mergeEntries, parseClientConfig } from "./import.js";

const CLAUDE_DESKTOP = `{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop", "/Users/me/Downloads"]
    },
    "brave search": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-brave-search"],
      "env": { "BRAVE_API_KEY": "BSA-123" }
    }
  },
  "globalShortcut": "Ctrl+Space"
}`;

const CURSOR = `{
  "mcpServers": {
    "postgres": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "mcp/postgres", "postgresql://host.docker.internal/db"]
    },
    "linear": {
      "url": "https://mcp.linear.app/mcp",
      "headers": { "Authorization": "Bearer \${env:LINEAR_TOKEN}" }
    }
  }
}`;

const CLAUDE_CODE = `{
  "numStartups": 42,
  "theme": "dark",
  "mcpServers": {
    "sentry": { "type": "http", "url": "https://mcp.sentry.dev/mcp" },
    "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "env": {} }
  },
  "projects": {
    "/home/me/app": {
      "allowedTools": [],
      "mcpServers": {
        "db": { "type": "stdio", "command": "node", "args": ["db-server.js"], "env": { "DB_URL": "postgres://localhost/app" } },
        "sentry": { "type": "sse", "url": "https://old.sentry.dev/sse" }
      },
      "hasTrustDialogAccepted": true
    },
    "/home/me/empty": { "allowedTools": [] },
    "/home/me/web": {
      "mcpServers": {
        "playwright": { "type": "stdio", "command": "npx", "args": ["@playwright/mcp@latest"] }
      }
    }
  }
}`;

const VSCODE_MCP_JSON = `// .vscode/mcp.json
{
  "inputs": [
    { "type": "promptString", "id": "perplexity-key", "description": "Perplexity API Key", "password": true },
  ],
  "servers": {
    // A local server with a secret from an input prompt.
    "Perplexity": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "server-perplexity-ask"],
      "env": { "PERPLEXITY_API_KEY": "\${input:perplexity-key}", "HOME_DIR": "\${env:HOME}" },
      "envFile": "\${workspaceFolder}/.env",
    },
    /* remote ones */
    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },
    "legacy": { "type": "sse", "url": "http://localhost:3001/sse", },
  },
}`;

const VSCODE_SETTINGS = `{
  "editor.fontSize": 14,
  "mcp": {
    "servers": {
      "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }, // trailing comment
    },
  },
}`;

const WINDSURF = `{
  "mcpServers": {
    "figma": { "serverUrl": "https://mcp.figma.com/mcp", "headers": { "X-Figma-Token": "\${env:FIGMA_TOKEN}" } },
    "git": { "command": "uvx", "args": ["mcp-server-git"], "disabled": true }
  }
}`;

const GEMINI = `{
  "theme": "GitHub",
  "mcpServers": {
    "stripe": { "httpUrl": "https://mcp.stripe.com", "headers": { "Authorization": "Bearer $STRIPE_KEY" }, "timeout": 5000 },
    "events": { "url": "http://localhost:8080/sse" },
    "py": { "command": "python", "args": ["-m", "my_server"], "cwd": "./srv", "includeTools": ["a", "b"], "excludeTools": ["b"], "trust": true }
  }
}`;

const CLINE = `{
  "mcpServers": {
    "weather": { "type": "streamableHttp", "url": "https://weather.example.com/mcp", "disabled": false, "autoApprove": [] },
    "time": { "command": "uvx", "args": ["mcp-server-time"], "disabled": true, "autoApprove": ["get_time"], "timeout": 60 }
  }
}`;

describe("parseClientConfig: client shapes", () => {
  const cases: Array<[string, string, ClientConfig]> = [
    [
      "Claude Desktop",
      CLAUDE_DESKTOP,
      {
        entries: [
          {
            name: "filesystem",
            origin: { path: ["mcpServers"], key: "filesystem" },
            entry: {
              command: "npx",
              args: [
                "-y",
                "@modelcontextprotocol/server-filesystem",
                "/Users/me/Desktop",
                "/Users/me/Downloads",
              ],
            },
          },
          {
            name: "brave-search",
            origin: { path: ["mcpServers"], key: "brave search" },
            renamedFrom: "brave search",
            entry: {
              command: "npx",
              args: ["-y", "@modelcontextprotocol/server-brave-search"],
              env: { BRAVE_API_KEY: "BSA-123" },
            },
          },
        ],
        skipped: [],
      },
    ],
    [
      "Cursor",
      CURSOR,
      {
        entries: [
          {
            name: "postgres",
            origin: { path: ["mcpServers"], key: "postgres" },
            entry: {
              command: "docker",
              args: ["run", "-i", "--rm", "mcp/postgres", "postgresql://host.docker.internal/db"],
            },
          },
          {
            name: "linear",
            origin: { path: ["mcpServers"], key: "linear" },
            entry: {
              url: "https://mcp.linear.app/mcp",
              headers: { Authorization: "Bearer ${LINEAR_TOKEN}" },
            },
          },
        ],
        skipped: [],
      },
    ],
    [
      "Claude Code, with per-project servers",
      CLAUDE_CODE,
      {
        entries: [
          {
            name: "sentry",
            origin: { path: ["mcpServers"], key: "sentry" },
            entry: { type: "http", url: "https://mcp.sentry.dev/mcp" },
          },
          {
            name: "memory",
            origin: { path: ["mcpServers"], key: "memory" },
            entry: {
              type: "stdio",
              command: "npx",
              args: ["-y", "@modelcontextprotocol/server-memory"],
              env: {},
            },
          },
          {
            name: "db",
            origin: { path: ["projects", "/home/me/app", "mcpServers"], key: "db" },
            entry: {
              type: "stdio",
              command: "node",
              args: ["db-server.js"],
              env: { DB_URL: "postgres://localhost/app" },
            },
          },
          {
            name: "playwright",
            origin: { path: ["projects", "/home/me/web", "mcpServers"], key: "playwright" },
            entry: { type: "stdio", command: "npx", args: ["@playwright/mcp@latest"] },
          },
        ],
        skipped: [
          {
            name: "sentry",
            reason:
              'duplicate: a server named "sentry" was already taken from mcpServers (in projects["/home/me/app"].mcpServers)',
          },
        ],
      },
    ],
    [
      "VS Code mcp.json (comments, trailing commas, inputs)",
      VSCODE_MCP_JSON,
      {
        entries: [
          {
            name: "Perplexity",
            origin: { path: ["servers"], key: "Perplexity" },
            entry: {
              type: "stdio",
              command: "npx",
              args: ["-y", "server-perplexity-ask"],
              env: { PERPLEXITY_API_KEY: "${input:perplexity-key}", HOME_DIR: "${HOME}" },
              envFile: "${workspaceFolder}/.env",
            },
          },
          {
            name: "github",
            origin: { path: ["servers"], key: "github" },
            entry: { type: "http", url: "https://api.githubcopilot.com/mcp/" },
          },
          {
            name: "legacy",
            origin: { path: ["servers"], key: "legacy" },
            entry: { type: "sse", url: "http://localhost:3001/sse" },
          },
        ],
        skipped: [],
      },
    ],
    [
      "VS Code settings.json",
      VSCODE_SETTINGS,
      {
        entries: [
          {
            name: "fetch",
            origin: { path: ["mcp", "servers"], key: "fetch" },
            entry: { command: "uvx", args: ["mcp-server-fetch"] },
          },
        ],
        skipped: [],
      },
    ],
    [
      "Windsurf (serverUrl)",
      WINDSURF,
      {
        entries: [
          {
            name: "figma",
            origin: { path: ["mcpServers"], key: "figma" },
            entry: { url: "https://mcp.figma.com/mcp", headers: { "X-Figma-Token": "${FIGMA_TOKEN}" } },
          },
          {
            name: "git",
            origin: { path: ["mcpServers"], key: "git" },
            entry: { command: "uvx", args: ["mcp-server-git"], disabled: true },
          },
        ],
        skipped: [],
      },
    ],
    [
      "Gemini CLI (httpUrl, includeTools/excludeTools)",
      GEMINI,
      {
        entries: [
          {
            name: "stripe",
            origin: { path: ["mcpServers"], key: "stripe" },
            entry: {
              url: "https://mcp.stripe.com",
              type: "http",
              headers: { Authorization: "Bearer $STRIPE_KEY" },
              timeout: 5000,
            },
          },
          {
            name: "events",
            origin: { path: ["mcpServers"], key: "events" },
            entry: { url: "http://localhost:8080/sse" },
          },
          {
            name: "py",
            origin: { path: ["mcpServers"], key: "py" },
            entry: {
              command: "python",
              args: ["-m", "my_server"],
              cwd: "./srv",
              tools: { allow: ["a", "b"], deny: ["b"] },
              trust: true,
            },
          },
        ],
        skipped: [],
      },
    ],
    [
      "Cline (streamableHttp, disabled, autoApprove)",
      CLINE,
      {
        entries: [
          {
            name: "weather",
            origin: { path: ["mcpServers"], key: "weather" },
            entry: { type: "http", url: "https://weather.example.com/mcp", disabled: false, autoApprove: [] },
          },
          {
            name: "time",
            origin: { path: ["mcpServers"], key: "time" },
            entry: {
              command: "uvx",
              args: ["mcp-server-time"],
              disabled: true,
              autoApprove: ["get_time"],
              timeout: 60,
            },
          },
        ],
        skipped: [],
      },
    ],
  ];
  it.each(cases)("%s", (_, text, expected) => {
    const config = parseClientConfig(text, "/x/config.json");
    expect(config).toEqual(expected);
    // Key order is kept as written (with renamed keys in place).
    expect(config.entries.map((e) => Object.keys(e.entry))).toEqual(
      expected.entries.map((e) => Object.keys(e.entry)),
    );
  });
});

describe("parseClientConfig: entries that are skipped or renamed", () => {
  const text = `{
    "mcpServers": {
      "no-transport": { "args": ["x"] },
      "both": { "command": "x", "url": "https://h" },
      "bad-args": { "command": "x", "args": "--flag" },
      "bad-env": { "command": "x", "env": { "PORT": 8080 } },
      "ws": { "type": "ws", "url": "ws://h" },
      "not-http": { "url": "ftp://h" },
      "a string": "npx server",
      "!!!": { "command": "x" },
      "My Server": { "command": "one" },
      "My.Server": { "command": "two" },
      "ok": { "command": "x" }
    }
  }`;
  it("reports each with a reason and keeps the good ones", () => {
    expect(parseClientConfig(text, "/x.json")).toEqual({
      entries: [
        {
          name: "My-Server",
          renamedFrom: "My Server",
          origin: { path: ["mcpServers"], key: "My Server" },
          entry: { command: "one" },
        },
        { name: "ok", origin: { path: ["mcpServers"], key: "ok" }, entry: { command: "x" } },
      ],
      skipped: [
        {
          name: "no-transport",
          reason: "has neither command nor url, so there is nothing to start or connect to",
        },
        {
          name: "both",
          reason:
            "has both command and url; expected exactly one (command for a local server, url for a remote one)",
        },
        { name: "bad-args", reason: "args: expected an array of strings, got string" },
        { name: "bad-env", reason: "env.PORT: expected a string, got number" },
        { name: "ws", reason: 'type: expected "stdio", "http", "sse" or "streamable-http", got string' },
        { name: "not-http", reason: "url: expected an http:// or https:// URL" },
        { name: "a string", reason: "expected an object describing the server, got string" },
        { name: "!!!", reason: "no valid server name can be made from this name" },
        {
          name: "My.Server",
          reason: 'duplicate: a server named "My-Server" was already taken from mcpServers',
        },
      ],
    });
  });

  it("keeps the first of two servers named alike, even if the second comes from VS Code's key", () => {
    const config = parseClientConfig(
      '{"mcpServers": {"a": {"command": "1"}}, "servers": {"a": {"command": "2"}}}',
      "/x.json",
    );
    expect(config.entries).toEqual([
      { name: "a", origin: { path: ["mcpServers"], key: "a" }, entry: { command: "1" } },
    ]);
    expect(config.skipped).toEqual([
      { name: "a", reason: 'duplicate: a server named "a" was already taken from mcpServers' },
    ]);
  });

  it("prefers Gemini's httpUrl over url, as Gemini does", () => {
    const config = parseClientConfig(
      '{"mcpServers": {"g": {"url": "http://h/sse", "httpUrl": "http://h/mcp"}}}',
      "/x.json",
    );
    expect(config.entries).toEqual([
      { name: "g", origin: { path: ["mcpServers"], key: "g" }, entry: { url: "http://h/mcp", type: "http" } },
    ]);
  });

  it("returns nothing for a Claude Code file without servers", () => {
    expect(parseClientConfig('{"projects": {"/a": {"allowedTools": []}}}', "/x.json")).toEqual({
      entries: [],
      skipped: [],
    });
  });
});

describe("parseClientConfig: files it cannot read", () => {
  const hint =
    "expected the MCP config of Claude Desktop, Claude Code, Cursor, VS Code, Windsurf or Gemini CLI";
  it.each([
    [
      "not JSON",
      '{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}',
      '/x.json:4:5: invalid JSON: expected "," or "}"',
    ],
    ["a top-level array", "[]", "/x.json:1:1: expected a JSON object at the top level, got array"],
    ["no server list", '{"theme": "dark"}', '/x.json: found no "mcpServers" or "servers" object'],
    [
      "mcpServers an array",
      '{\n  "mcpServers": [\n  ]\n}',
      "/x.json:2:17: mcpServers: expected an object of named servers, got array",
    ],
    [
      "a comment before a bad servers value (line:col of the original text)",
      '{\n  /* c */ "servers": 1\n}',
      "/x.json:2:22: servers: expected an object of named servers, got number",
    ],
  ])("%s", (_, text, message) => {
    const error = voidErrorOf(() => parseClientConfig(text, "/x.json"));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });
});

describe("mergeEntries", () => {
  const existing = (): RegistryDocument => ({
    version: 1,
    mcpServers: {
      a: { command: "a", args: ["1"], env: { X: "1", Y: "2" } },
      b: { url: "https://b/mcp" },
    },
  });
  const entry = (value: RawServerEntry) => value;

  it.each([
    [
      "a new name is added at the end",
      [{ name: "c", entry: entry({ command: "c" }) }],
      false,
      { added: ["c"], replaced: [], identical: [], conflicts: [] },
      ["a", "b", "c"],
    ],
    [
      "an equal entry, keys in another order, is identical",
      [{ name: "a", entry: entry({ env: { Y: "2", X: "1" }, args: ["1"], command: "a" }) }],
      false,
      { added: [], replaced: [], identical: ["a"], conflicts: [] },
      ["a", "b"],
    ],
    [
      "a different entry is a conflict",
      [{ name: "b", entry: entry({ url: "https://other/mcp" }) }],
      false,
      {
        added: [],
        replaced: [],
        identical: [],
        conflicts: [
          {
            name: "b",
            reason: 'a different server named "b" is already registered; import with overwrite to replace it',
          },
        ],
      },
      ["a", "b"],
    ],
    [
      "a different entry is replaced in place with overwrite",
      [
        { name: "a", entry: entry({ command: "A" }) },
        { name: "d", entry: entry({ command: "d" }) },
        { name: "b", entry: entry({ url: "https://b/mcp" }) },
      ],
      true,
      { added: ["d"], replaced: ["a"], identical: ["b"], conflicts: [] },
      ["a", "b", "d"],
    ],
  ])("%s", (_, entries, overwrite, expected, order) => {
    const doc = existing();
    const before = structuredClone(doc);
    expect(mergeEntries(doc, entries, { overwrite })).toEqual(expected);
    expect(Object.keys(doc.mcpServers ?? {})).toEqual(order);
    for (const name of [...expected.added, ...expected.replaced]) {
      expect(doc.mcpServers?.[name]).toEqual(entries.find((e) => e.name === name)?.entry);
    }
    for (const { name } of expected.conflicts)
      expect(doc.mcpServers?.[name]).toEqual(before.mcpServers?.[name]);
    expect(doc.version).toBe(1);
  });

  it("refuses an invalid name without touching the document", () => {
    const doc: RegistryDocument = { mcpServers: {} };
    const result = mergeEntries(doc, [{ name: "__proto__", entry: { command: "x" } }], { overwrite: true });
    expect(result.conflicts).toEqual([
      { name: "__proto__", reason: '"__proto__" is not a valid server name' },
    ]);
    expect(Object.getPrototypeOf(doc.mcpServers)).toBe(Object.prototype);
    expect(Object.keys(doc.mcpServers ?? {})).toEqual([]);
  });

  it("creates mcpServers when the document has none", () => {
    const doc: RegistryDocument = { expose: "code" };
    expect(mergeEntries(doc, [{ name: "x", entry: { command: "x" } }], { overwrite: false }).added).toEqual([
      "x",
    ]);
    expect(doc).toEqual({ expose: "code", mcpServers: { x: { command: "x" } } });
  });

  it("imports a client file end to end into an existing document", () => {
    const doc = existing();
    const { entries } = parseClientConfig(CLAUDE_CODE, "/home/me/.claude.json");
    const result = mergeEntries(doc, entries, { overwrite: false });
    expect(result).toEqual({
      added: ["sentry", "memory", "db", "playwright"],
      replaced: [],
      identical: [],
      conflicts: [],
    });
  });
});

describe("parseClientConfig: Windows configs and voidmcp's own entry", () => {
  const text = String.raw`{
  "mcpServers": {
    "local": { "command": "C:\\Program Files\\nodejs\\node.exe", "args": ["C:\\Users\\me\\server.js"], "cwd": "C:\\Users\\me" },
    "memory": { "command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"] },
    "upper": { "command": "CMD.EXE", "args": ["/C", "uvx", "mcp-server-time"] },
    "just-cmd": { "command": "cmd", "args": ["/c"] },
    "voidmcp": { "command": "/usr/bin/node", "args": ["/opt/tools/main.js", "serve"] },
    "gateway": { "command": "/home/me/bin/voidmcp-linux-x64", "args": ["serve", "--config", "/x.json"] },
    "npm-gateway": { "command": "node", "args": ["/usr/lib/node_modules/voidmcp/dist/bundle/voidmcp.mjs", "serve"] },
    "not-serving": { "command": "voidmcp", "args": ["list"] }
  }
}`;
  const origin = (key: string) => ({ path: ["mcpServers"], key });

  it("keeps Windows paths verbatim and, off Windows, takes the command out of cmd /c", () => {
    const config = parseClientConfig(text, "/x.json", { platform: "linux" });
    expect(config.entries).toEqual([
      {
        name: "local",
        origin: origin("local"),
        entry: {
          command: "C:\\Program Files\\nodejs\\node.exe",
          args: ["C:\\Users\\me\\server.js"],
          cwd: "C:\\Users\\me",
        },
      },
      {
        name: "memory",
        origin: origin("memory"),
        entry: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
        note: '"cmd /c npx" became "npx" (cmd exists only on Windows)',
      },
      {
        name: "upper",
        origin: origin("upper"),
        entry: { command: "uvx", args: ["mcp-server-time"] },
        note: '"CMD.EXE /c uvx" became "uvx" (cmd exists only on Windows)',
      },
      { name: "just-cmd", origin: origin("just-cmd"), entry: { command: "cmd", args: ["/c"] } },
      { name: "not-serving", origin: origin("not-serving"), entry: { command: "voidmcp", args: ["list"] } },
    ]);
    const itself = "this is voidmcp itself; registering it would make voidmcp its own upstream";
    expect(config.skipped).toEqual([
      { name: "voidmcp", reason: `${itself} (it is voidmcp's own entry)` },
      { name: "gateway", reason: `${itself} (its command runs voidmcp (voidmcp-linux-x64))` },
      { name: "npm-gateway", reason: `${itself} (its command runs voidmcp (node voidmcp.mjs))` },
    ]);
  });

  it("keeps cmd /c on Windows", () => {
    const config = parseClientConfig(text, "/x.json", { platform: "win32" });
    expect(config.entries.find((e) => e.name === "memory")).toEqual({
      name: "memory",
      origin: origin("memory"),
      entry: { command: "cmd", args: ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"] },
    });
  });

  it("with allowNoServers, a file without any server list has none", () => {
    expect(parseClientConfig('{"theme": "dark"}', "/x.json", { allowNoServers: true })).toEqual({
      entries: [],
      skipped: [],
    });
  });
});
