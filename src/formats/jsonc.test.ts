import { describe, expect, it } from "vitest";
import { stripJsonComments } from "./jsonc.js";

describe("stripJsonComments", () => {
  it.each([
    ["plain JSON", '{"a": [1, 2]}', '{"a": [1, 2]}'],
    ["a line comment", '{"a": 1 // one\n}', '{"a": 1       \n}'],
    ["a block comment", '{/* x\ny */"a": 1}', '{    \n    "a": 1}'],
    ["a comment at the end without a newline", "[1] // end", "[1]       "],
    ["an unclosed block comment", "[1] /* never", "[1]         "],
    ["a trailing comma in an object", '{"a": 1,\n}', '{"a": 1 \n}'],
    ["a trailing comma in an array", "[1, 2, ]", "[1, 2  ]"],
    ["a trailing comma before a comment", '{"a": 1, // c\n}', '{"a": 1      \n}'],
    [
      "comment markers inside strings",
      '{"u": "http://x/*y*/", "c": "a,}"}',
      '{"u": "http://x/*y*/", "c": "a,}"}',
    ],
    ["escaped quotes inside strings", '{"q": "say \\"//hi\\"" // c\n}', '{"q": "say \\"//hi\\""     \n}'],
    ["commas that are not trailing", '{"a": [1, 2], "b": 3}', '{"a": [1, 2], "b": 3}'],
  ])("%s", (_, input, output) => {
    expect(stripJsonComments(input)).toBe(output);
    expect(stripJsonComments(input)).toHaveLength(input.length);
  });
});
