import { describe, expect, it } from "vitest";
import { rootUri } from "./normalise.js";
import { parseRegistryText } from "./parse.js";
import { isRootSpelling } from "./schema.js";
import { voidErrorOf } from "./test-helpers.js";

const FILE = "/home/me/.config/voidmcp/servers.json";

describe("isRootSpelling", () => {
  it.each([
    ["/home/me/src", true],
    ["~", true],
    ["~/src", true],
    ["file:///home/me/src", true],
    ["file://localhost/home/me/src", true],
    ["src", false],
    ["./src", false],
    ["~other/src", false],
    ["file://server/share", false],
    ["file:relative", false],
    ["https://example.com/", false],
    ["", false],
  ])("%j → %s", (value, expected) => {
    expect(isRootSpelling(value)).toBe(expected);
  });
});

describe("rootUri", () => {
  it.each([
    ["/home/me/src", "file:///home/me/src"],
    ["~", "file:///home/ada"],
    ["~/my src", "file:///home/ada/my%20src"],
    ["file:///already/a/uri", "file:///already/a/uri"],
  ])("%j → %s", (root, expected) => {
    expect(rootUri(root, "/home/ada")).toBe(expected);
  });
});

describe("roots and http.maxSessions in the file", () => {
  it("turns a server's roots into file:// URIs and reads http.maxSessions", () => {
    const registry = parseRegistryText(
      JSON.stringify({
        http: { maxSessions: 5 },
        mcpServers: {
          files: { command: "x", roots: ["/srv/a", "file:///srv/b"] },
          plain: { command: "y" },
        },
      }),
      FILE,
    );
    expect(registry.settings.http).toEqual({ maxSessions: 5 });
    expect(registry.servers.map((s) => s.roots)).toEqual([["file:///srv/a", "file:///srv/b"], undefined]);
  });

  it.each([
    [{ mcpServers: { files: { command: "x", roots: ["relative/dir"] } } }, /is not a root/],
    [{ mcpServers: { files: { command: "x", roots: "/srv/a" } } }, /expected an array/],
    [{ http: { maxSessions: 0 } }, /at least 1 sessions/],
    [{ http: { maxSessions: 2.5 } }, /whole number/],
  ])("refuses %j", (file, message) => {
    expect(voidErrorOf(() => parseRegistryText(JSON.stringify(file), FILE)).message).toMatch(message);
  });
});

describe("protocol in the file", () => {
  it.each([
    [undefined, undefined],
    ["auto", undefined],
    ["legacy", "legacy"],
    ["modern", "modern"],
  ])("protocol %j normalises to %j (auto is the same as no setting)", (protocol, expected) => {
    const registry = parseRegistryText(
      JSON.stringify({ mcpServers: { s: { url: "https://example.com/mcp", protocol } } }),
      FILE,
    );
    expect(registry.servers[0]?.protocol).toBe(expected);
  });

  it.each([["2026-07-28"], [true], ["Modern"]])("refuses protocol %j", (protocol) => {
    const file = { mcpServers: { s: { command: "x", protocol } } };
    expect(voidErrorOf(() => parseRegistryText(JSON.stringify(file), FILE)).message).toMatch(
      /"auto", "legacy" or "modern"/,
    );
  });
});
