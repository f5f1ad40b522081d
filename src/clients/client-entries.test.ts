import { describe, expect, it } from "vitest";
import {
  fromCopilotEntry,
  fromGeminiEntry,
  fromOpencodeEntry,
  fromZedEntry,
  isNotImportable,
} from "./client-entries.js";

describe("fromOpencodeEntry", () => {
  it.each<[string, unknown, unknown]>([
    [
      "local: the command array splits, environment is env",
      { type: "local", command: ["npx", "-y", "pkg"], environment: { A: "1" }, enabled: true },
      { command: "npx", args: ["-y", "pkg"], env: { A: "1" }, enabled: true },
    ],
    ["a command without arguments", { type: "local", command: ["server"] }, { command: "server" }],
    [
      "remote",
      { type: "remote", url: "https://x/mcp", headers: { H: "v" }, enabled: false },
      { url: "https://x/mcp", headers: { H: "v" }, enabled: false },
    ],
    ["other keys stay", { type: "local", command: ["s"], timeout: 5000 }, { command: "s", timeout: 5000 }],
    [
      "an unknown type stays for the checks to report",
      { type: "weird", command: ["s"] },
      { type: "weird", command: "s" },
    ],
    ["not an object", ["npx"], ["npx"]],
  ])("%s", (_, raw, expected) => {
    expect(fromOpencodeEntry(raw)).toEqual(expected);
  });
});

describe("fromZedEntry", () => {
  it.each<[string, unknown, unknown]>([
    [
      "current shape, source custom dropped",
      { source: "custom", command: "node", args: ["s.js"], env: {} },
      { command: "node", args: ["s.js"], env: {} },
    ],
    [
      "the shape before Zed 0.190",
      { command: { path: "node", args: ["s.js"], env: { A: "1" } }, settings: {} },
      { command: "node", args: ["s.js"], env: { A: "1" }, settings: {} },
    ],
    ["remote", { url: "https://x/mcp", headers: { H: "v" } }, { url: "https://x/mcp", headers: { H: "v" } }],
    ["not an object", 3, 3],
  ])("%s", (_, raw, expected) => {
    expect(fromZedEntry(raw)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ["source extension", { source: "extension", settings: { key: "v" } }],
    ["only settings", { settings: {} }],
  ])("an extension's server is not importable: %s", (_, raw) => {
    const converted = fromZedEntry(raw);
    expect(isNotImportable(converted)).toBe(true);
    expect(converted).toEqual({
      notImportable: "it is provided by a Zed extension, which only Zed can start",
    });
  });
});

describe("fromCopilotEntry", () => {
  it.each<[string, unknown, unknown]>([
    [
      "local with all tools",
      { type: "local", command: "npx", args: ["-y", "pkg"], env: {}, tools: ["*"] },
      { command: "npx", args: ["-y", "pkg"], env: {} },
    ],
    [
      "a list of tools is an allow list",
      { type: "stdio", command: "s", tools: ["read", "list"] },
      { type: "stdio", command: "s", tools: { allow: ["read", "list"] } },
    ],
    [
      "http",
      { type: "http", url: "https://x/mcp", headers: { H: "v" }, tools: ["*"] },
      { type: "http", url: "https://x/mcp", headers: { H: "v" } },
    ],
    [
      "voidmcp's own tools object stays",
      { command: "s", tools: { deny: ["x"] } },
      { command: "s", tools: { deny: ["x"] } },
    ],
  ])("%s", (_, raw, expected) => {
    expect(fromCopilotEntry(raw)).toEqual(expected);
  });
});

describe("fromGeminiEntry", () => {
  it.each<[string, unknown, unknown]>([
    [
      "a plain url is SSE",
      { url: "https://x/sse", timeout: 5 },
      { url: "https://x/sse", type: "sse", timeout: 5 },
    ],
    ["httpUrl is left to the common conversion", { httpUrl: "https://x/mcp" }, { httpUrl: "https://x/mcp" }],
    [
      "a url beside httpUrl too",
      { httpUrl: "https://x/mcp", url: "https://x/sse" },
      { httpUrl: "https://x/mcp", url: "https://x/sse" },
    ],
    [
      "an explicit type is kept",
      { url: "https://x/mcp", type: "http" },
      { url: "https://x/mcp", type: "http" },
    ],
    ["a command", { command: "s", trust: true }, { command: "s", trust: true }],
  ])("%s", (_, raw, expected) => {
    expect(fromGeminiEntry(raw)).toEqual(expected);
  });
});
