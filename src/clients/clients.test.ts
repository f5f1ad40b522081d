import { describe, expect, it } from "vitest";
import {
  CLIENT_NAMES,
  type ClientEntry,
  type ClientName,
  gatewayEntry,
  httpGatewayEntry,
} from "./clients.js";
import { readClientServers } from "./read-servers.js";

const LAUNCH = { command: "/usr/bin/node", args: ["/opt/voidmcp.mjs"] };
const ARGS = ["/opt/voidmcp.mjs", "serve", "--config", "/r.json"];
const URL = "http://127.0.0.1:8787/mcp";
const AUTH = { Authorization: "Bearer t0k" };

describe("gatewayEntry: each client's own spelling of a command", () => {
  it.each<[ClientName, ClientEntry]>([
    ["claude-code", { type: "stdio", command: "/usr/bin/node", args: ARGS }],
    ["vscode", { type: "stdio", command: "/usr/bin/node", args: ARGS }],
    ["claude-desktop", { command: "/usr/bin/node", args: ARGS }],
    ["cursor", { command: "/usr/bin/node", args: ARGS }],
    ["codex", { command: "/usr/bin/node", args: ARGS }],
    ["windsurf", { command: "/usr/bin/node", args: ARGS }],
    ["gemini", { command: "/usr/bin/node", args: ARGS }],
    ["zed", { command: "/usr/bin/node", args: ARGS }],
    ["opencode", { type: "local", command: ["/usr/bin/node", ...ARGS], enabled: true }],
    ["copilot", { type: "local", command: "/usr/bin/node", args: ARGS, tools: ["*"] }],
  ])("%s", (client, entry) => {
    expect(gatewayEntry(client, LAUNCH, "/r.json")).toEqual(entry);
  });
});

describe("httpGatewayEntry: each client's own spelling of a remote server", () => {
  it.each<[ClientName, ClientEntry | undefined]>([
    ["claude-code", { type: "http", url: URL, headers: AUTH }],
    ["vscode", { type: "http", url: URL, headers: AUTH }],
    ["copilot", { type: "http", url: URL, headers: AUTH, tools: ["*"] }],
    ["cursor", { url: URL, headers: AUTH }],
    ["zed", { url: URL, headers: AUTH }],
    ["windsurf", { serverUrl: URL, headers: AUTH }],
    ["gemini", { httpUrl: URL, headers: AUTH }],
    ["opencode", { type: "remote", url: URL, headers: AUTH, enabled: true }],
    ["codex", { url: URL, http_headers: AUTH }],
    ["claude-desktop", undefined],
  ])("%s", (client, entry) => {
    expect(httpGatewayEntry(client, { url: URL, token: "t0k" })).toEqual(entry);
  });

  it("sends no header without a token (serve --http --no-auth)", () => {
    expect(httpGatewayEntry("windsurf", { url: URL, token: undefined })).toEqual({ serverUrl: URL });
  });

  // What init writes, import must read back as voidmcp and skip (never register voidmcp in itself).
  it.each(CLIENT_NAMES.filter((c) => c !== "codex"))(
    "%s: import recognises both entries as voidmcp",
    (client) => {
      const entries = [
        gatewayEntry(client, LAUNCH, "/r.json"),
        httpGatewayEntry(client, { url: URL, token: "t0k" }),
      ];
      for (const entry of entries) {
        if (entry === undefined) continue;
        let file: unknown = { voidmcp: entry };
        const path =
          client === "vscode"
            ? ["servers"]
            : client === "opencode"
              ? ["mcp"]
              : client === "zed"
                ? ["context_servers"]
                : ["mcpServers"];
        for (const key of [...path].reverse()) file = { [key]: file };
        const read = readClientServers(client, JSON.stringify(file), "/f", {
          self: { ports: [8787], token: "t0k" },
        });
        expect(read.entries).toEqual([]);
        expect(read.skipped.map((s) => s.name)).toEqual(["voidmcp"]);
      }
    },
  );
});
