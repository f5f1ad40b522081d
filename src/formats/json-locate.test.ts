import { describe, expect, it } from "vitest";
import { findDuplicateKeys, locateJsonPath } from "./json-locate.js";
import { formatJsonPath, type JsonPath } from "./json-path.js";
import { lineColumnAt } from "./line-column.js";

describe("lineColumnAt", () => {
  const text = "ab\ncd\r\n\nxyz";
  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 1, 3],
    [3, 2, 1],
    [5, 2, 3], // the \r belongs to line 2
    [7, 3, 1],
    [8, 4, 1],
    [10, 4, 3],
    [11, 4, 4], // end of text
    [99, 4, 4], // clamped
  ])("offset %i is line %i column %i", (offset, line, column) => {
    expect(lineColumnAt(text, offset)).toEqual({ line, column });
  });
});

describe("locateJsonPath", () => {
  const text = [
    "{",
    '  "version": 1,',
    '  "mcpServers": {',
    '    "a": { "command": "x", "args": ["one", "two"] },',
    '    "b c": {"url": "http://h", "headers": {"X-K": "v"}}',
    "  }",
    "}",
  ].join("\n");
  const at = (line: number, column: number) => ({ line, column });
  const cases: Array<[string, JsonPath, "value" | "key", { line: number; column: number }]> = [
    ["the root", [], "value", at(1, 1)],
    ["a top-level value", ["version"], "value", at(2, 14)],
    ["a top-level key", ["version"], "key", at(2, 3)],
    ["a nested object", ["mcpServers", "a"], "value", at(4, 10)],
    ["a nested key", ["mcpServers", "a"], "key", at(4, 5)],
    ["an array", ["mcpServers", "a", "args"], "value", at(4, 36)],
    ["an array element", ["mcpServers", "a", "args", 1], "value", at(4, 44)],
    ["a key with a space", ["mcpServers", "b c", "headers", "X-K"], "value", at(5, 51)],
    ["a missing key: its parent", ["mcpServers", "a", "env"], "value", at(4, 10)],
    ["a missing key asked as key: its parent's value", ["mcpServers", "zzz"], "key", at(3, 17)],
    ["an index past the end: the array", ["mcpServers", "a", "args", 5], "value", at(4, 36)],
    ["a key of an array element path on an object: the object", ["mcpServers", 0], "value", at(3, 17)],
  ];
  it.each(cases)("finds %s", (_, path, target, expected) => {
    expect(lineColumnAt(text, locateJsonPath(text, path, target))).toEqual(expected);
  });

  it("follows the last of duplicate keys, as JSON.parse does", () => {
    const dup = '{"a": {"b": 1}, "a": {"c": 2}}';
    expect(locateJsonPath(dup, ["a"])).toBe(21);
    // a.b exists only in the first "a", which JSON.parse discards: point at the kept "a".
    expect(locateJsonPath(dup, ["a", "b"])).toBe(21);
    expect(locateJsonPath(dup, ["a", "c"])).toBe(27);
  });

  it("decodes escaped keys", () => {
    expect(locateJsonPath('{"a\\u0062": 7}', ["ab"])).toBe(12);
  });

  it("survives nesting too deep to recurse into", () => {
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expect(locateJsonPath(deep, [0, 0, 0])).toBe(3);
    expect(findDuplicateKeys(deep)).toEqual([]);
  });

  it("locates as far as broken text scans", () => {
    expect(locateJsonPath('{"a": {"b": [1, 2', ["a", "b", 1])).toBe(16);
  });

  it("reads JSON with comments and trailing commas, at offsets of the text as given", () => {
    const text = '{\n  // the servers\n  "a": /* one */ [1, 2,],\n  "b": 3,\n}';
    expect(lineColumnAt(text, locateJsonPath(text, ["a", 1]))).toEqual({ line: 3, column: 22 });
    expect(lineColumnAt(text, locateJsonPath(text, ["b"], "key"))).toEqual({ line: 4, column: 3 });
  });
});

describe("formatJsonPath", () => {
  it.each([
    [[], ""],
    [["mcpServers", "my-server", "args", 2], "mcpServers.my-server.args[2]"],
    [["mcpServers", "my server"], 'mcpServers["my server"]'],
    [["env", "A.B"], 'env["A.B"]'],
  ] as Array<[JsonPath, string]>)("%j is %s", (path, expected) => {
    expect(formatJsonPath(path)).toBe(expected);
  });
});

describe("findDuplicateKeys", () => {
  it.each([
    ['{"a": 1, "b": {"a": 2}}', []],
    ['{"a": 1, "a": 2}', [{ path: ["a"], firstOffset: 1, offset: 9 }]],
    ['[{"x": {"k": 1, "k": 2}}]', [{ path: [0, "x", "k"], firstOffset: 8, offset: 16 }]],
    ['{"a\\u0062": 1, "ab": 2}', [{ path: ["ab"], firstOffset: 1, offset: 15 }]],
  ] as Array<[string, unknown[]]>)("%s", (text, expected) => {
    expect(findDuplicateKeys(text)).toEqual(expected);
  });
});
