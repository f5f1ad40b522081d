// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client configs hold ${env:...} and ${input:...} references as written.
/**
 * `voidmcp init <client>` and `voidmcp import <client>` against real files in a temporary home:
 * one fixture config per client, compared byte for byte after each command, and the bad inputs
 * (malformed JSON / JSONC / TOML, a read-only file, a missing one, paths with spaces, running
 * twice, Windows paths, conflicts). The entry init writes is also started the way a desktop app
 * would start it (absolute paths, an empty PATH) and must answer as an MCP server.
 */
import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, readdir, readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bytesOf, expectFailure, modeOf, registryText, type Sandbox, sandbox } from "./cli-support.js";
import { CLI, type CliResult } from "./harness.js";

let box: Sandbox;
let cli: string;
beforeEach(async () => {
  box = await sandbox();
  cli = await realpath(CLI);
});
afterEach(async () => {
  await box.cleanup();
});

/** voidmcp's entry as JSON.stringify(…, null, 2) writes it, its lines indented by `indent`. */
function entryJson(indent: string, type: boolean): string {
  const args = [cli, "serve", "--config", box.registry];
  const entry = type
    ? { type: "stdio", command: process.execPath, args }
    : { command: process.execPath, args };
  return JSON.stringify(entry, null, 2).replace(/\n/g, `\n${indent}`);
}

/** Any entry as JSON.stringify(…, null, 2) writes it, its lines indented by `indent`. */
function jsonAt(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

/** The arguments of voidmcp's stdio entry in the sandbox. */
function serveArgs(): string[] {
  return [cli, "serve", "--config", box.registry];
}

/** voidmcp's table as init writes it; `registry` null for the default registry (no --config). */
function entryToml(registry: string | null = box.registry): string {
  const args = [cli, "serve", ...(registry === null ? [] : ["--config", registry])];
  return `[mcp_servers.voidmcp]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${args.map((a) => JSON.stringify(a)).join(", ")}]\n`;
}

async function backupsOf(file: string): Promise<string[]> {
  const names = await readdir(dirname(file));
  return names.filter((name) => name.startsWith(`${file.slice(dirname(file).length + 1)}.voidmcp-backup-`));
}

async function textOf(path: string): Promise<string> {
  return readFile(path, "utf8");
}

const CLAUDE_CODE = `{
  "numStartups": 12,
  "theme": "dark",
  "mcpServers": {
    "memory": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "env": {}
    }
  },
  "projects": {
    "/home/me/app": {
      "allowedTools": [],
      "mcpServers": {
        "db": { "type": "stdio", "command": "node", "args": ["db.js"], "env": { "DB_URL": "postgres://localhost/app" } }
      },
      "hasTrustDialogAccepted": true
    }
  }
}
`;

const CLAUDE_DESKTOP = `{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]
    }
  },
  "globalShortcut": "Ctrl+Space"
}
`;

const CURSOR = `{
  "mcpServers": {
    "local": { "command": "C:\\\\Program Files\\\\nodejs\\\\node.exe", "args": ["C:\\\\Users\\\\me\\\\server.js"] },
    "memory": { "command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"] },
    "linear": { "url": "https://mcp.linear.app/mcp", "headers": { "Authorization": "Bearer \${env:LINEAR_TOKEN}" } }
  }
}
`;

const VSCODE = `// My MCP servers
{
  "inputs": [
    { "type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true }
  ],
  "servers": {
    // GitHub's hosted server
    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "Authorization": "Bearer \${input:gh-token}" } },
    "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }, // the last one
  },
}
`;

const CODEX = `model = "gpt-5-codex"   # the default model

# GitHub's hosted server
[mcp_servers.github]
url = "https://api.githubcopilot.com/mcp/"
bearer_token_env_var = "GITHUB_TOKEN"

[mcp_servers.files]
command = 'C:\\Program Files\\nodejs\\node.exe'
args = ["C:\\\\Users\\\\me\\\\server.js"]
tool_timeout_sec = 120

[profiles.fast]
model = "o4-mini"
`;

const WINDSURF = `{
  "mcpServers": {
    "remote": { "serverUrl": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer \${env:REMOTE_TOKEN}" } }
  }
}
`;

const GEMINI = `{
  "theme": "GitHub",
  "mcpServers": {
    "stream": { "httpUrl": "https://x.example/mcp", "timeout": 30000 },
    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }
  },
  "security": { "folderTrust": { "enabled": true } }
}
`;

const OPENCODE = `{
  "$schema": "https://opencode.ai/config.json",
  "mcp": {
    "memory": {
      "type": "local",
      "command": ["npx", "-y", "@modelcontextprotocol/server-memory"],
      "environment": { "MEMORY_FILE": "/tmp/memory.json" },
      "enabled": true
    }
  },
  "theme": "opencode"
}
`;

const ZED = `// Zed settings
//
// For information on how to configure Zed, see the Zed
// documentation: https://zed.dev/docs/configuring-zed
{
  "theme": "One Dark",
  "context_servers": {
    "files": { "source": "custom", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/src"], "env": {} },
  },
  "vim_mode": true,
}
`;

const COPILOT = `{
  "mcpServers": {
    "playwright": {
      "type": "local",
      "command": "npx",
      "args": ["@playwright/mcp@latest"],
      "env": {},
      "tools": ["*"]
    }
  }
}
`;

interface ClientCase {
  readonly client: string;
  /** The user-level file, relative to HOME. */
  readonly file: string;
  readonly before: string;
  readonly afterInit: () => string;
  readonly imported: Record<string, unknown>;
  readonly afterReplace: () => string;
  readonly importNotes: readonly string[];
}

const CASES: readonly ClientCase[] = [
  {
    client: "claude-code",
    file: ".claude.json",
    before: CLAUDE_CODE,
    afterInit: () =>
      CLAUDE_CODE.replace(
        `      "env": {}
    }
  },`,
        `      "env": {}
    },
    "voidmcp": ${entryJson("    ", true)}
  },`,
      ),
    imported: {
      memory: { type: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"], env: {} },
      db: { type: "stdio", command: "node", args: ["db.js"], env: { DB_URL: "postgres://localhost/app" } },
    },
    afterReplace: () => `{
  "numStartups": 12,
  "theme": "dark",
  "mcpServers": {
    "voidmcp": ${entryJson("    ", true)}
  },
  "projects": {
    "/home/me/app": {
      "allowedTools": [],
      "mcpServers": {},
      "hasTrustDialogAccepted": true
    }
  }
}
`,
    importNotes: [],
  },
  {
    client: "claude-desktop",
    file: ".config/Claude/claude_desktop_config.json",
    before: CLAUDE_DESKTOP,
    afterInit: () => `{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]
    },
    "voidmcp": ${entryJson("    ", false)}
  },
  "globalShortcut": "Ctrl+Space"
}
`,
    imported: {
      filesystem: {
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"],
      },
    },
    afterReplace: () => `{
  "mcpServers": {
    "voidmcp": ${entryJson("    ", false)}
  },
  "globalShortcut": "Ctrl+Space"
}
`,
    importNotes: [],
  },
  {
    client: "cursor",
    file: ".cursor/mcp.json",
    before: CURSOR,
    afterInit: () =>
      CURSOR.replace(
        '"Bearer ${env:LINEAR_TOKEN}" } }\n',
        `"Bearer \${env:LINEAR_TOKEN}" } },\n    "voidmcp": ${entryJson("    ", false)}\n`,
      ),
    imported: {
      local: { command: "C:\\Program Files\\nodejs\\node.exe", args: ["C:\\Users\\me\\server.js"] },
      memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
      linear: { url: "https://mcp.linear.app/mcp", headers: { Authorization: "Bearer ${LINEAR_TOKEN}" } },
    },
    afterReplace: () => `{
  "mcpServers": {
    "voidmcp": ${entryJson("    ", false)}
  }
}
`,
    importNotes: ['note: "memory": "cmd /c npx" became "npx" (cmd exists only on Windows)'],
  },
  {
    client: "vscode",
    file: ".config/Code/User/mcp.json",
    before: VSCODE,
    afterInit: () =>
      VSCODE.replace(
        '"fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }, // the last one\n',
        `"fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }, // the last one\n    "voidmcp": ${entryJson("    ", true)},\n`,
      ),
    imported: {
      github: {
        type: "http",
        url: "https://api.githubcopilot.com/mcp/",
        headers: { Authorization: "Bearer ${input:gh-token}" },
      },
      fetch: { command: "uvx", args: ["mcp-server-fetch"] },
    },
    afterReplace: () => `// My MCP servers
{
  "inputs": [
    { "type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true }
  ],
  "servers": {
    "voidmcp": ${entryJson("    ", true)},
  },
}
`,
    importNotes: [],
  },
  {
    client: "codex",
    file: ".codex/config.toml",
    before: CODEX,
    afterInit: () => `${CODEX}\n${entryToml()}`,
    imported: {
      github: {
        url: "https://api.githubcopilot.com/mcp/",
        headers: { Authorization: "Bearer ${GITHUB_TOKEN}" },
      },
      files: {
        command: "C:\\Program Files\\nodejs\\node.exe",
        args: ["C:\\Users\\me\\server.js"],
        timeoutMs: 120000,
      },
    },
    afterReplace: () => `model = "gpt-5-codex"   # the default model

[profiles.fast]
model = "o4-mini"

${entryToml()}`,
    importNotes: [],
  },
  {
    client: "windsurf",
    file: ".codeium/windsurf/mcp_config.json",
    before: WINDSURF,
    afterInit: () =>
      WINDSURF.replace(
        '"Bearer ${env:REMOTE_TOKEN}" } }\n',
        `"Bearer \${env:REMOTE_TOKEN}" } },\n    "voidmcp": ${entryJson("    ", false)}\n`,
      ),
    imported: {
      remote: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${REMOTE_TOKEN}" } },
    },
    afterReplace: () => `{\n  "mcpServers": {\n    "voidmcp": ${entryJson("    ", false)}\n  }\n}\n`,
    importNotes: [],
  },
  {
    client: "gemini",
    file: ".gemini/settings.json",
    before: GEMINI,
    afterInit: () =>
      GEMINI.replace(
        '"@modelcontextprotocol/server-memory"] }\n',
        `"@modelcontextprotocol/server-memory"] },\n    "voidmcp": ${entryJson("    ", false)}\n`,
      ),
    imported: {
      stream: { url: "https://x.example/mcp", type: "http", timeout: 30000 },
      memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
    },
    afterReplace: () => `{
  "theme": "GitHub",
  "mcpServers": {
    "voidmcp": ${entryJson("    ", false)}
  },
  "security": { "folderTrust": { "enabled": true } }
}
`,
    importNotes: [],
  },
  {
    client: "opencode",
    file: ".config/opencode/opencode.json",
    before: OPENCODE,
    afterInit: () =>
      OPENCODE.replace(
        '      "enabled": true\n    }\n',
        `      "enabled": true\n    },\n    "voidmcp": ${jsonAt({ type: "local", command: [process.execPath, ...serveArgs()], enabled: true }, "    ")}\n`,
      ),
    imported: {
      memory: {
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-memory"],
        env: { MEMORY_FILE: "/tmp/memory.json" },
        enabled: true,
      },
    },
    afterReplace: () => `{
  "$schema": "https://opencode.ai/config.json",
  "mcp": {
    "voidmcp": ${jsonAt({ type: "local", command: [process.execPath, ...serveArgs()], enabled: true }, "    ")}
  },
  "theme": "opencode"
}
`,
    importNotes: [],
  },
  {
    client: "zed",
    file: ".config/zed/settings.json",
    before: ZED,
    afterInit: () =>
      ZED.replace('"env": {} },\n', `"env": {} },\n    "voidmcp": ${entryJson("    ", false)},\n`),
    imported: {
      files: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/src"], env: {} },
    },
    afterReplace: () => ZED.replace(/ {4}"files": [^\n]*\n/, `    "voidmcp": ${entryJson("    ", false)},\n`),
    importNotes: [],
  },
  {
    client: "copilot",
    file: ".copilot/mcp-config.json",
    before: COPILOT,
    afterInit: () =>
      COPILOT.replace(
        '      "tools": ["*"]\n    }\n',
        `      "tools": ["*"]\n    },\n    "voidmcp": ${jsonAt({ type: "local", command: process.execPath, args: serveArgs(), tools: ["*"] }, "    ")}\n`,
      ),
    imported: { playwright: { command: "npx", args: ["@playwright/mcp@latest"], env: {} } },
    afterReplace: () =>
      `{\n  "mcpServers": {\n    "voidmcp": ${jsonAt({ type: "local", command: process.execPath, args: serveArgs(), tools: ["*"] }, "    ")}\n  }\n}\n`,
    importNotes: [],
  },
];

async function writeClientFile(relative: string, text: string): Promise<string> {
  const path = join(box.home, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

describe.each(CASES)("$client", (c) => {
  it("init adds voidmcp and keeps every other byte, with a backup; a second run changes nothing", async () => {
    const file = await writeClientFile(c.file, c.before);
    await chmod(file, 0o640);
    const first = await box.run(["init", c.client]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `Added voidmcp to ${file}: ${process.execPath} ${cli} serve --config ${box.registry}\n`,
    );
    const [backup, ...more] = await backupsOf(file);
    expect(more).toEqual([]);
    expect(first.stderr).toMatch(
      new RegExp(
        `^Backup of the previous file: ${file}\\.voidmcp-backup-\\d{8}-\\d{6}\\nNext: [^\\n]+\\.\\n$`,
      ),
    );
    expect(await textOf(file)).toBe(c.afterInit());
    expect(await modeOf(file)).toBe(0o640);
    expect(await textOf(join(dirname(file), backup as string))).toBe(c.before);
    expect(await modeOf(join(dirname(file), backup as string))).toBe(0o640);

    const again = await box.run(["init", c.client]);
    expect(again).toEqual({
      code: 0,
      stdout: `voidmcp is already set up in ${file}; nothing changed.\n`,
      stderr: "",
    });
    expect(await textOf(file)).toBe(c.afterInit());
    expect(await backupsOf(file)).toHaveLength(1);
  });

  it("import reads the client's servers into the registry, Windows paths verbatim", async () => {
    await writeClientFile(c.file, c.before);
    const result = await box.run(["import", c.client]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Added ${Object.keys(c.imported).length}: ${Object.keys(c.imported).join(", ")}\n`,
    );
    expect(result.stderr).toBe([...c.importNotes, `Registry: ${box.registry}`, ""].join("\n"));
    expect(await textOf(box.registry)).toBe(registryText({ version: 1, mcpServers: c.imported }));
  });

  it("init --replace moves the servers into the registry and leaves only voidmcp", async () => {
    const file = await writeClientFile(c.file, c.before);
    const result = await box.run(["init", c.client, "--replace"]);
    expect(result.code).toBe(0);
    const names = Object.keys(c.imported);
    expect(result.stdout).toBe(
      `Added voidmcp to ${file}: ${process.execPath} ${cli} serve --config ${box.registry}\nMoved ${names.length} server${names.length === 1 ? "" : "s"} into ${box.registry}: ${names.join(", ")}\n`,
    );
    expect(await textOf(file)).toBe(c.afterReplace());
    expect(await textOf(box.registry)).toBe(registryText({ version: 1, mcpServers: c.imported }));
    const [backup] = await backupsOf(file);
    expect(await textOf(join(dirname(file), backup as string))).toBe(c.before);
    // Nothing is left to move, and voidmcp's own entry is never imported.
    const again = await box.run(["init", c.client, "--replace"]);
    expect(again.stdout).toBe(`voidmcp is already set up in ${file}; nothing changed.\n`);
    expect(await textOf(box.registry)).toBe(registryText({ version: 1, mcpServers: c.imported }));
  });
});

describe("init: where and what", () => {
  it("creates a missing file and its directories (0700, file 0600)", async () => {
    const result = await box.run(["init", "cursor"]);
    const file = join(box.home, ".cursor", "mcp.json");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `Created ${file}.\nNext: Cursor picks it up in Settings → MCP (toggle voidmcp on if it is off).\n`,
    );
    expect(await textOf(file)).toBe(
      `{\n  "mcpServers": {\n    "voidmcp": ${entryJson("    ", false)}\n  }\n}\n`,
    );
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(dirname(file))).toBe(0o700);
    expect(await backupsOf(file)).toEqual([]);
  });

  it("leaves --config out of the entry when the registry is the default one", async () => {
    const result = await box.run(["init", "codex"], { env: { VOIDMCP_CONFIG: "" } });
    expect(result.code).toBe(0);
    expect(await textOf(join(box.home, ".codex", "config.toml"))).toBe(entryToml(null));
  });

  it("--print shows the entry and writes nothing", async () => {
    const result = await box.run(["init", "vscode", "--print"]);
    const file = join(box.home, ".config", "Code", "User", "mcp.json");
    expect(result).toEqual({
      code: 0,
      stdout: `{\n  "servers": {\n    "voidmcp": ${entryJson("    ", true)}\n  }\n}\n`,
      stderr: `Add this to ${file}; then in VS Code run “MCP: List Servers” and start voidmcp (Copilot Chat in agent mode uses it).\n`,
    });
    expect(await bytesOf(file)).toBeUndefined();
  });

  it("--file takes another file, paths with spaces included", async () => {
    const file = join(box.dir, "my configs", "claude desktop.json");
    const result = await box.run(["init", "claude-desktop", "--file", file, "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      client: "claude-desktop",
      file,
      changed: true,
      created: true,
    });
    expect(JSON.parse(await textOf(file))).toEqual({
      mcpServers: { voidmcp: { command: process.execPath, args: [cli, "serve", "--config", box.registry] } },
    });
  });

  it("writes an entry that really starts voidmcp, from a path with spaces and with an empty PATH", async () => {
    // voidmcp as the npm package installs it: the bundle, here in a directory with spaces.
    const bundle = fileURLToPath(new URL("../../dist/bundle/voidmcp.mjs", import.meta.url));
    const tools = join(box.dir, "my tools");
    await mkdir(tools);
    await copyFile(bundle, join(tools, "voidmcp.mjs"));
    const home = join(box.dir, "a home");
    const result = await runBare(join(tools, "voidmcp.mjs"), ["init", "claude-desktop"], home);
    expect(result.code).toBe(0);
    const config = JSON.parse(
      await textOf(join(home, ".config", "Claude", "claude_desktop_config.json")),
    ) as {
      mcpServers: { voidmcp: { command: string; args: string[] } };
    };
    expect(config.mcpServers.voidmcp).toEqual({
      command: process.execPath,
      args: [join(tools, "voidmcp.mjs"), "serve"],
    });
    const { command, args } = config.mcpServers.voidmcp;
    const client = new Client({ name: "desktop-app", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({ command, args, env: { HOME: home, PATH: "/nonexistent" } }),
    );
    try {
      const { tools: listed } = await client.listTools();
      expect(listed.map((t) => t.name)).toEqual(["search", "execute_code", "list_servers"]);
    } finally {
      await client.close();
    }
  });
});

/** Runs a voidmcp script with node in a bare environment, as a desktop app would: only HOME. */
function runBare(script: string, args: readonly string[], home: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { HOME: home }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("init and import: bad input", () => {
  it.each([
    [
      "cursor",
      ".cursor/mcp.json",
      '{\n  "mcpServers": {\n    "a": { "command": "x" }\n',
      /mcp\.json:\d+:\d+: invalid JSON: /,
    ],
    [
      "vscode",
      ".config/Code/User/mcp.json",
      '// servers\n{\n  "servers": {\n    "a": { "command": "x" } // no comma\n    "b": {}\n  }\n}\n',
      /mcp\.json:5:5: invalid JSON: expected "," or "}"/,
    ],
    [
      "codex",
      ".codex/config.toml",
      '[mcp_servers.a]\ncommand = "x\n',
      /config\.toml:2:13: invalid TOML: unterminated string/,
    ],
  ])(
    "a malformed %s file: a clear error with line and column, nothing changed",
    async (client, relative, text, message) => {
      const file = await writeClientFile(relative, text);
      for (const command of [
        ["init", client],
        ["init", client, "--replace"],
        ["import", client],
      ]) {
        const result = await box.run(command);
        expectFailure(result, 1, message);
        expect(await textOf(file)).toBe(text);
        expect(await backupsOf(file)).toEqual([]);
      }
      expect(await bytesOf(box.registry)).toBeUndefined();
    },
  );

  it("a read-only file: refused, nothing changed; already set up is fine", async () => {
    const file = await writeClientFile(".cursor/mcp.json", CURSOR);
    await chmod(file, 0o444);
    const result = await box.run(["init", "cursor", "--replace"]);
    expect(
      expectFailure(result, 1, `cannot write ${file}: it is read-only (mode 0444); nothing was changed`),
    ).toContain("voidmcp init cursor --print");
    expect(await textOf(file)).toBe(CURSOR);
    expect(await backupsOf(file)).toEqual([]);
    expect(await bytesOf(box.registry)).toBeUndefined();

    await chmod(file, 0o644);
    expect((await box.run(["init", "cursor"])).code).toBe(0);
    await chmod(file, 0o444);
    expect((await box.run(["init", "cursor"])).stdout).toBe(
      `voidmcp is already set up in ${file}; nothing changed.\n`,
    );
  });

  it("--replace with a server registered differently: refused, nothing changed; --overwrite takes it", async () => {
    const file = await writeClientFile(".cursor/mcp.json", CURSOR);
    const registry = registryText({
      version: 1,
      mcpServers: { linear: { url: "https://other.example/mcp" } },
    });
    await writeFile(box.registry, registry);
    const refused = await box.run(["init", "cursor", "--replace"]);
    expectFailure(
      refused,
      1,
      `"linear" is already registered in ${box.registry} with a different definition; nothing was changed`,
    );
    expect(await textOf(file)).toBe(CURSOR);
    expect(await textOf(box.registry)).toBe(registry);

    const taken = await box.run(["init", "cursor", "--replace", "--overwrite"]);
    expect(taken.code).toBe(0);
    expect(JSON.parse(await textOf(box.registry)).mcpServers.linear).toEqual({
      url: "https://mcp.linear.app/mcp",
      headers: { Authorization: "Bearer ${LINEAR_TOKEN}" },
    });
  });

  it.each([
    [
      ["init"],
      "init needs the name of a client (one of claude-code, claude-desktop, cursor, vscode, codex, windsurf, gemini, opencode, zed, copilot)",
    ],
    [
      ["init", "emacs"],
      'unknown client "emacs" (clients: claude-code, claude-desktop, cursor, vscode, codex, windsurf, gemini, opencode, zed, copilot)',
    ],
    [["init", "windsurf", "--project"], "Windsurf has no project-level MCP config file"],
    [["init", "zed", "--project", "--file", "x.json"], "give either --file or --project, not both"],
    [["init", "zed", "--port", "9000"], "--port goes with --http"],
    [
      ["init", "claude-desktop", "--http"],
      "Claude Desktop's config file holds only servers it starts itself",
    ],
    [["import", "./x.json", "--project"], "--project goes with a client name"],
    [["init", "cursor", "--overwrite"], "--overwrite goes with --replace"],
    [["init", "cursor", "--print", "--replace"], "--print only shows the entry; leave it out to --replace"],
    [["import", "./x.json", "--file", "y"], "--file goes with a client name"],
  ])("usage: %j", async (args, message) => {
    expectFailure(await box.run(args), 2, message);
  });

  it("import of a missing client file says which file", async () => {
    const result = await box.run(["import", "claude-desktop"]);
    expectFailure(
      result,
      1,
      `cannot read ${join(box.home, ".config", "Claude", "claude_desktop_config.json")}: no such file`,
    );
  });

  it("import reads a .toml file as Codex's", async () => {
    const file = join(box.dir, "codex config.toml");
    await writeFile(file, CODEX);
    const result = await box.run(["import", file, "--dry-run"]);
    expect(result).toEqual({ code: 0, stdout: "Would add 2: github, files\n", stderr: "" });
  });
});

describe("entries that differ only in defaults are one server", () => {
  // What `claude mcp add memory -- npx -y @modelcontextprotocol/server-memory` writes.
  const CLAUDE_ADDED = `{
  "mcpServers": {
    "memory": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory"],
      "env": {}
    }
  }
}
`;
  // What `voidmcp add memory -- npx -y @modelcontextprotocol/server-memory` writes.
  const REGISTERED = registryText({
    version: 1,
    mcpServers: { memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] } },
  });

  it("init claude-code --replace moves a server registered with voidmcp add: no false conflict", async () => {
    const file = await writeClientFile(".claude.json", CLAUDE_ADDED);
    await writeFile(box.registry, REGISTERED);
    const result = await box.run(["init", "claude-code", "--replace"]);
    expect(result.stderr).not.toContain("different definition");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Added voidmcp to ${file}: ${process.execPath} ${cli} serve --config ${box.registry}\nMoved 1 server into ${box.registry}: memory\n`,
    );
    expect(await textOf(file)).toBe(
      `{\n  "mcpServers": {\n    "voidmcp": ${entryJson("    ", true)}\n  }\n}\n`,
    );
    // The registered entry stays as the user wrote it.
    expect(await textOf(box.registry)).toBe(REGISTERED);
  });

  it("import claude-code calls it already registered", async () => {
    await writeClientFile(".claude.json", CLAUDE_ADDED);
    await writeFile(box.registry, REGISTERED);
    const result = await box.run(["import", "claude-code"]);
    expect(result).toEqual({ code: 0, stdout: "Already registered: memory\n", stderr: "" });
    expect(await textOf(box.registry)).toBe(REGISTERED);
  });
});

describe("init: project files and the HTTP front", () => {
  it("--project writes the project's own file in the working directory", async () => {
    const project = join(box.dir, "my app");
    await mkdir(project);
    for (const [client, relative, key] of [
      ["claude-code", ".mcp.json", "mcpServers"],
      ["gemini", ".gemini/settings.json", "mcpServers"],
      ["zed", ".zed/settings.json", "context_servers"],
      ["opencode", "opencode.json", "mcp"],
    ] as const) {
      const result = await box.run(["init", client, "--project"], { cwd: project });
      expect(result.code).toBe(0);
      const written = JSON.parse(await textOf(join(project, relative)));
      expect(Object.keys(written)).toEqual([key]);
      expect(Object.keys(written[key])).toEqual(["voidmcp"]);
    }
    expect(await bytesOf(join(box.home, ".claude.json"))).toBeUndefined();
    const imported = await box.run(["import", "zed", "--project", "--dry-run"], { cwd: project });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/^skipped "voidmcp": this is voidmcp itself/);
    expect(imported.stderr).toContain(`No servers found in ${join(project, ".zed/settings.json")}.`);
  });

  it("--http points the client at serve --http with the token of voidmcp token", async () => {
    const token = (await box.run(["token"])).stdout.trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const result = await box.run(["init", "gemini", "--http", "--port", "9123"]);
    const file = join(box.home, ".gemini", "settings.json");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Added voidmcp to ${file}: http://127.0.0.1:9123/mcp (with the bearer token of voidmcp token)\n`,
    );
    expect(result.stderr).toContain("Keep the gateway running: voidmcp serve --http --port 9123\n");
    expect(JSON.parse(await textOf(file))).toEqual({
      mcpServers: {
        voidmcp: { httpUrl: "http://127.0.0.1:9123/mcp", headers: { Authorization: `Bearer ${token}` } },
      },
    });
    // Switching back to stdio updates the one entry.
    const back = await box.run(["init", "gemini"]);
    expect(back.stdout).toMatch(/^Updated voidmcp in /);
    expect(JSON.parse(await textOf(file)).mcpServers.voidmcp).toEqual({
      command: process.execPath,
      args: serveArgs(),
    });
  });

  it("--http for Codex writes http_headers in TOML", async () => {
    const result = await box.run(["init", "codex", "--http", "--print"], { env: { VOIDMCP_TOKEN: "t0k" } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '[mcp_servers.voidmcp]\nurl = "http://127.0.0.1:7420/mcp"\nhttp_headers = { Authorization = "Bearer t0k" }\n',
    );
  });
});
