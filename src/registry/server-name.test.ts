import { describe, expect, it } from "vitest";
import { sanitiseServerName } from "./server-name.js";

describe("sanitiseServerName", () => {
  it.each([
    ["github", "github"],
    ["my_server-2", "my_server-2"],
    ["my server", "my-server"],
    ["@modelcontextprotocol/server-filesystem", "modelcontextprotocol-server-filesystem"],
    ["mcp.example.com", "mcp-example-com"],
    ["  spaced  out  ", "spaced-out"],
    ["a__b", "a_b"],
    ["_private", "private"],
    ["-dash", "dash"],
    ["trailing!", "trailing"],
    ["Ünïcode", "Unicode"],
    ["café", "cafe"],
    ["x".repeat(60), "x".repeat(48)],
    [`${"a".repeat(47)} b`, "a".repeat(47)],
    ["!!!", undefined],
    ["", undefined],
    ["日本", undefined],
  ])("%j becomes %j", (name, expected) => {
    expect(sanitiseServerName(name)).toBe(expected);
  });
});
