import { describe, expect, it } from "vitest";
import { sameServer, withoutDefaults } from "./same-server.js";

const NPX = { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] };
const REMOTE = { url: "https://mcp.example.com/mcp" };

describe("sameServer", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["claude mcp add's spelling and voidmcp add's", { type: "stdio", ...NPX, env: {} }, NPX, true],
    ["key order", { args: NPX.args, command: "npx" }, NPX, true],
    ["type http beside a url", { type: "http", ...REMOTE }, REMOTE, true],
    [
      "type streamable-http beside a url",
      { ...REMOTE, type: "streamable-http" },
      { type: "http", ...REMOTE },
      true,
    ],
    ["empty headers", { ...REMOTE, headers: {} }, REMOTE, true],
    ["empty args", { command: "server", args: [] }, { command: "server" }, true],
    ["empty tools", { ...NPX, tools: {} }, NPX, true],
    ["enabled: true", { ...NPX, enabled: true }, NPX, true],
    ["disabled: false", { ...NPX, disabled: false }, NPX, true],
    ["sse is a transport of its own", { type: "sse", ...REMOTE }, REMOTE, false],
    ["stdio beside a url is not a default", { type: "stdio", ...REMOTE }, REMOTE, false],
    ["enabled: false", { ...NPX, enabled: false }, NPX, false],
    ["disabled: true", { ...NPX, disabled: true }, NPX, false],
    ["an env that sets something", { ...NPX, env: { A: "1" } }, NPX, false],
    ["other arguments", { command: "npx", args: ["-y", "other"] }, NPX, false],
    ["argument order", { command: "npx", args: [...NPX.args].reverse() }, NPX, false],
    ["a header that is set", { ...REMOTE, headers: { Authorization: "Bearer x" } }, REMOTE, false],
    ["an allow list", { ...NPX, tools: { allow: [] } }, NPX, false],
    ["an unknown key", { ...NPX, trust: true }, NPX, false],
    ["not objects", "npx", "npx", true],
  ])("%s → %s", (_, a, b, same) => {
    expect(sameServer(a, b)).toBe(same);
    expect(sameServer(b, a)).toBe(same);
  });
});

describe("withoutDefaults", () => {
  it("keeps what it does not know and does not touch its input", () => {
    const entry = { type: "stdio", command: "x", env: {}, timeoutMs: 5, tools: { deny: ["a"] } };
    const copy = structuredClone(entry);
    expect(withoutDefaults(entry)).toEqual({ command: "x", timeoutMs: 5, tools: { deny: ["a"] } });
    expect(entry).toEqual(copy);
  });
});
