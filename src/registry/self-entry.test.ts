import { describe, expect, it } from "vitest";
import { type EntryShape, type SelfFacts, selfEntryReason } from "./self-entry.js";

const FACTS: SelfFacts = { ports: [7420, 7450], token: "tok-123456" };

describe("selfEntryReason", () => {
  it.each<[string, EntryShape, string | undefined]>([
    // stdio: voidmcp's own programs
    ["the bin", { command: "voidmcp", args: ["serve"] }, "its command runs voidmcp (voidmcp)"],
    ["the bin, not serving", { command: "voidmcp", args: ["list"] }, undefined],
    ["the bin without args", { command: "voidmcp" }, undefined],
    [
      "an absolute bin",
      { command: "/usr/local/bin/voidmcp", args: ["serve"] },
      "its command runs voidmcp (voidmcp)",
    ],
    [
      "a Windows bin",
      { command: "C:\\tools\\voidmcp.exe", args: ["serve"] },
      "its command runs voidmcp (voidmcp.exe)",
    ],
    [
      "a compiled binary",
      { command: "./voidmcp-linux-x64", args: ["serve"] },
      "its command runs voidmcp (voidmcp-linux-x64)",
    ],
    [
      "node and the bundle",
      { command: "/usr/bin/node", args: ["/x/dist/bundle/voidmcp.mjs", "serve"] },
      "its command runs voidmcp (node voidmcp.mjs)",
    ],
    [
      "node and a checkout's CLI",
      { command: "node", args: ["--no-warnings", "/src/voidmcp/dist/src/cli/main.js", "serve"] },
      "its command runs voidmcp (node main.js)",
    ],
    [
      "npx -y voidmcp",
      { command: "npx", args: ["-y", "voidmcp", "serve"] },
      "its command runs voidmcp (npx voidmcp)",
    ],
    [
      "npx voidmcp@latest",
      { command: "npx", args: ["voidmcp@latest", "serve"] },
      "its command runs voidmcp (npx voidmcp@latest)",
    ],
    [
      "npm exec voidmcp",
      { command: "npm", args: ["exec", "voidmcp", "--", "serve"] },
      "its command runs voidmcp (npm voidmcp)",
    ],
    // stdio: other programs
    [
      "another server",
      { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/x"] },
      undefined,
    ],
    [
      "a package named like voidmcp",
      { command: "npx", args: ["-y", "voidmcp-plugin-x", "serve"] },
      undefined,
    ],
    [
      "node and another script",
      { command: "node", args: ["/home/me/voidmcp-tools/server.js", "serve"] },
      undefined,
    ],
    ["a program in a voidmcp folder", { command: "/home/me/voidmcp/bin/other", args: ["serve"] }, undefined],
    ["node and another main.js", { command: "node", args: ["/x/src/cli/main.js", "serve"] }, undefined],
    // remote: loopback /mcp on voidmcp's ports, or with this registry's token
    [
      "the default port",
      { url: "http://127.0.0.1:7420/mcp" },
      "its URL is voidmcp's own endpoint (port 7420)",
    ],
    [
      "localhost and a trailing slash",
      { url: "http://localhost:7450/mcp/" },
      "its URL is voidmcp's own endpoint (port 7450)",
    ],
    ["IPv6 loopback", { url: "http://[::1]:7420/mcp" }, "its URL is voidmcp's own endpoint (port 7420)"],
    [
      "this registry's token on another port",
      { url: "http://127.0.0.1:9999/mcp", headers: { Authorization: "Bearer tok-123456" } },
      "its URL is voidmcp's own endpoint (it sends this registry's token)",
    ],
    ["another port", { url: "http://127.0.0.1:9999/mcp" }, undefined],
    [
      "another token",
      { url: "http://127.0.0.1:9999/mcp", headers: { Authorization: "Bearer other" } },
      undefined,
    ],
    ["another path", { url: "http://127.0.0.1:7420/sse" }, undefined],
    ["another host", { url: "http://example.com:7420/mcp" }, undefined],
    ["https", { url: "https://127.0.0.1:7420/mcp" }, undefined],
    ["not a URL", { url: "not a url" }, undefined],
    ["nothing", {}, undefined],
  ])("%s", (_, entry, reason) => {
    expect(selfEntryReason(entry, FACTS)).toBe(reason);
  });

  it("knows the default port without facts", () => {
    expect(selfEntryReason({ url: "http://127.0.0.1:7420/mcp" })).toBe(
      "its URL is voidmcp's own endpoint (port 7420)",
    );
  });

  it("does not take an empty token for a match", () => {
    expect(
      selfEntryReason(
        { url: "http://127.0.0.1:1/mcp", headers: { Authorization: "Bearer " } },
        { ports: [], token: "" },
      ),
    ).toBeUndefined();
  });
});
