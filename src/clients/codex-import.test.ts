// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in plain strings.
import { describe, expect, it } from "vitest";
import { voidErrorOf } from "../registry/test-helpers.js";
import { parseCodexConfig } from "./codex-import.js";

const CODEX = `model = "gpt-5-codex"
approval_policy = "on-request"

[mcp_servers.github]
url = "https://api.githubcopilot.com/mcp/"
bearer_token_env_var = "GITHUB_TOKEN"
http_headers = { "X-Team" = "core" }
env_http_headers = { "X-Org" = "GITHUB_ORG" }

# Windows paths, written both ways TOML allows
[mcp_servers.files]
command = 'C:\\Program Files\\nodejs\\node.exe'
args = ["C:\\\\Users\\\\me\\\\server.js", 'D:\\data']
env = { LOG = "1" }
cwd = 'C:\\Users\\me'
startup_timeout_sec = 20
tool_timeout_sec = 90.5
enabled_tools = ["read", "list"]
disabled_tools = ["write"]

[mcp_servers.npx-win]
command = "cmd"
args = ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"]

[mcp_servers.off]
command = "x"
enabled = false

[mcp_servers."my server"]
command = "y"

[mcp_servers.broken]
args = ["no command"]

[mcp_servers.voidmcp]
command = "/usr/local/bin/voidmcp"
args = ["serve"]

[profiles.fast]
model = "o4-mini"
`;

describe("parseCodexConfig", () => {
  it("reads [mcp_servers.*] tables into registry entries", () => {
    const config = parseCodexConfig(CODEX, "/home/me/.codex/config.toml", { platform: "linux" });
    expect(config.entries).toEqual([
      {
        name: "github",
        origin: { path: ["mcp_servers"], key: "github" },
        entry: {
          url: "https://api.githubcopilot.com/mcp/",
          headers: { Authorization: "Bearer ${GITHUB_TOKEN}", "X-Team": "core", "X-Org": "${GITHUB_ORG}" },
        },
      },
      {
        name: "files",
        origin: { path: ["mcp_servers"], key: "files" },
        entry: {
          command: "C:\\Program Files\\nodejs\\node.exe",
          args: ["C:\\Users\\me\\server.js", "D:\\data"],
          env: { LOG: "1" },
          cwd: "C:\\Users\\me",
          startup_timeout_sec: 20,
          timeoutMs: 90500,
          tools: { allow: ["read", "list"], deny: ["write"] },
        },
      },
      {
        name: "npx-win",
        origin: { path: ["mcp_servers"], key: "npx-win" },
        entry: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
        note: '"cmd /c npx" became "npx" (cmd exists only on Windows)',
      },
      { name: "off", origin: { path: ["mcp_servers"], key: "off" }, entry: { command: "x", enabled: false } },
      {
        name: "my-server",
        origin: { path: ["mcp_servers"], key: "my server" },
        renamedFrom: "my server",
        entry: { command: "y" },
      },
    ]);
    expect(config.skipped).toEqual([
      { name: "broken", reason: "has neither command nor url, so there is nothing to start or connect to" },
      {
        name: "voidmcp",
        reason:
          "this is voidmcp itself; registering it would make voidmcp its own upstream (its command runs voidmcp (voidmcp))",
      },
    ]);
  });

  it("keeps cmd /c on Windows, where that is how npx starts", () => {
    const config = parseCodexConfig(CODEX, "/c/config.toml", { platform: "win32" });
    expect(config.entries.find((e) => e.name === "npx-win")).toEqual({
      name: "npx-win",
      origin: { path: ["mcp_servers"], key: "npx-win" },
      entry: { command: "cmd", args: ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"] },
    });
  });

  it("finds no servers in a file without mcp_servers", () => {
    expect(parseCodexConfig('model = "o3"\n', "/c/config.toml")).toEqual({ entries: [], skipped: [] });
  });

  it.each([
    [
      "not TOML",
      'model = "o3"\n[mcp_servers.a\ncommand = "x"',
      '/c/config.toml:2:15: invalid TOML: expected "]", found the end of the line',
    ],
    [
      "mcp_servers not a table",
      "mcp_servers = 1",
      "/c/config.toml: mcp_servers: expected a table of named servers, got number",
    ],
  ])("refuses %s", (_, text, message) => {
    const error = voidErrorOf(() => parseCodexConfig(text, "/c/config.toml"));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toBe("expected Codex CLI's config.toml");
  });
});

describe("parseCodexConfig: voidmcp's own HTTP endpoint", () => {
  const text = `
[mcp_servers.gateway]
url = "http://127.0.0.1:7420/mcp"

[mcp_servers.mine]
url = "http://localhost:9000/mcp"
bearer_token_env_var = "X"

[mcp_servers.remote]
url = "https://example.com/mcp"
`;

  it("skips a loopback /mcp on voidmcp's port, with the reason", () => {
    const config = parseCodexConfig(text, "/c/config.toml");
    expect(config.entries.map((e) => e.name)).toEqual(["mine", "remote"]);
    expect(config.skipped).toEqual([
      {
        name: "gateway",
        reason:
          "this is voidmcp itself; registering it would make voidmcp its own upstream (its URL is voidmcp's own endpoint (port 7420))",
      },
    ]);
  });

  it("also skips the ports it is told voidmcp serves on", () => {
    const config = parseCodexConfig(text, "/c/config.toml", { self: { ports: [7420, 9000] } });
    expect(config.entries.map((e) => e.name)).toEqual(["remote"]);
  });
});
