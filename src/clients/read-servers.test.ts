import { describe, expect, it } from "vitest";
import { voidErrorOf } from "../registry/test-helpers.js";
import type { ClientName } from "./clients.js";
import { mergeEntries } from "./import.js";
import { readClientServers } from "./read-servers.js";

const ZED = `// Zed settings
{
  "theme": "One Dark",
  "context_servers": {
    "files": { "source": "custom", "command": "npx", "args": ["-y", "server-filesystem", "/src"], "env": {} },
    "old": { "command": { "path": "node", "args": ["old.js"], "env": { "A": "1" } }, "settings": {} },
    "postgres": { "source": "extension", "settings": { "database_url": "postgres://" } },
    "remote": { "url": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer x" } }, // trailing comma next
  },
}
`;

const OPENCODE = `{
  "$schema": "https://opencode.ai/config.json",
  "mcp": {
    "memory": { "type": "local", "command": ["npx", "-y", "@modelcontextprotocol/server-memory"], "environment": { "MEMORY_FILE": "/m.json" }, "enabled": true },
    "off": { "type": "local", "command": ["server"], "enabled": false },
    "linear": { "type": "remote", "url": "https://mcp.linear.app/mcp", "headers": { "Authorization": "Bearer {env:LINEAR}" } }
  }
}
`;

const GEMINI = `{
  "security": { "auth": { "selectedType": "oauth-personal" } },
  "mcpServers": {
    "stream": { "httpUrl": "https://x.example/mcp", "headers": { "K": "v" }, "timeout": 30000, "trust": false },
    "events": { "url": "https://x.example/sse" },
    "local": { "command": "python", "args": ["-m", "srv"], "cwd": "./srv", "includeTools": ["a"] }
  }
}
`;

const COPILOT = `{
  "mcpServers": {
    "playwright": { "type": "local", "command": "npx", "args": ["@playwright/mcp@latest"], "env": {}, "tools": ["*"] },
    "gh": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "X": "y" }, "tools": ["get_issue"] }
  }
}
`;

const WINDSURF = `{
  "mcpServers": {
    "remote": { "serverUrl": "https://x.example/mcp", "headers": { "K": "v" } },
    "local": { "command": "node", "args": ["s.js"], "disabled": true }
  }
}
`;

describe("readClientServers: the clients with a layout of their own", () => {
  it.each<[ClientName, string, Record<string, unknown>, string[]]>([
    [
      "zed",
      ZED,
      {
        files: { command: "npx", args: ["-y", "server-filesystem", "/src"], env: {} },
        old: { command: "node", args: ["old.js"], env: { A: "1" }, settings: {} },
        remote: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer x" } },
      },
      ["postgres: it is provided by a Zed extension, which only Zed can start"],
    ],
    [
      "opencode",
      OPENCODE,
      {
        memory: {
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-memory"],
          env: { MEMORY_FILE: "/m.json" },
          enabled: true,
        },
        off: { command: "server", enabled: false },
        linear: { url: "https://mcp.linear.app/mcp", headers: { Authorization: "Bearer {env:LINEAR}" } },
      },
      [],
    ],
    [
      "gemini",
      GEMINI,
      {
        stream: {
          url: "https://x.example/mcp",
          type: "http",
          headers: { K: "v" },
          timeout: 30000,
          trust: false,
        },
        events: { url: "https://x.example/sse", type: "sse" },
        local: { command: "python", args: ["-m", "srv"], cwd: "./srv", tools: { allow: ["a"] } },
      },
      [],
    ],
    [
      "copilot",
      COPILOT,
      {
        playwright: { command: "npx", args: ["@playwright/mcp@latest"], env: {} },
        gh: {
          type: "http",
          url: "https://api.githubcopilot.com/mcp/",
          headers: { X: "y" },
          tools: { allow: ["get_issue"] },
        },
      },
      [],
    ],
    [
      "windsurf",
      WINDSURF,
      {
        remote: { url: "https://x.example/mcp", headers: { K: "v" } },
        local: { command: "node", args: ["s.js"], disabled: true },
      },
      [],
    ],
  ])("%s", (client, text, expected, skipped) => {
    const read = readClientServers(client, text, "/f", { platform: "linux" });
    expect(Object.fromEntries(read.entries.map((e) => [e.name, e.entry]))).toEqual(expected);
    expect(read.skipped.map((s) => `${s.name}: ${s.reason}`)).toEqual(skipped);
    // Where each came from, so that init --replace can take it out of the file.
    expect(read.entries.every((e) => e.origin.key === e.name)).toBe(true);
  });

  it.each<[ClientName, string]>([
    ["zed", '// nothing yet\n{ "theme": "One Light" }\n'],
    ["opencode", '{ "$schema": "https://opencode.ai/config.json" }'],
    ["gemini", '{ "mcp": { "allowed": ["x"] } }'],
  ])("a %s settings file without servers has none", (client, text) => {
    expect(readClientServers(client, text, "/f")).toEqual({ entries: [], skipped: [] });
  });

  it("reads only opencode's mcp, never a server named like VS Code's key", () => {
    const text = '{ "mcp": { "servers": { "type": "local", "command": ["s"] } } }';
    expect(readClientServers("opencode", text, "/f").entries.map((e) => [e.name, e.entry])).toEqual([
      ["servers", { command: "s" }],
    ]);
  });

  it("reports a server list of the wrong type with its place", () => {
    const error = voidErrorOf(() => readClientServers("zed", '{\n  "context_servers": []\n}', "/z.json"));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(
      "/z.json:2:22: context_servers: expected an object of named servers, got array",
    );
  });
});

describe("mergeEntries: entries that differ only in defaults are one server", () => {
  it("does not call claude mcp add's spelling a conflict with voidmcp add's", () => {
    const doc = { version: 1, mcpServers: { memory: { command: "npx", args: ["-y", "mem"] } } };
    const result = mergeEntries(
      doc,
      [{ name: "memory", entry: { type: "stdio", command: "npx", args: ["-y", "mem"], env: {} } }],
      { overwrite: false },
    );
    expect(result).toEqual({ added: [], replaced: [], identical: ["memory"], conflicts: [] });
    expect(doc.mcpServers.memory).toEqual({ command: "npx", args: ["-y", "mem"] });
  });

  it("still calls a real difference a conflict", () => {
    const doc = { mcpServers: { memory: { command: "npx", args: ["-y", "mem"] } } };
    const result = mergeEntries(
      doc,
      [{ name: "memory", entry: { type: "stdio", command: "npx", args: ["-y", "mem"], env: { A: "1" } } }],
      { overwrite: false },
    );
    expect(result.conflicts.map((c) => c.name)).toEqual(["memory"]);
  });
});
