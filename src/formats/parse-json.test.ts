import { describe, expect, it } from "vitest";
import { describeError, VoidError } from "../core/index.js";
import { parseJsonText } from "./parse-json.js";

function failureOf(text: string, options: Parameters<typeof parseJsonText>[2] = {}): VoidError {
  try {
    parseJsonText(text, "/f.json", options);
  } catch (error) {
    if (error instanceof VoidError) return error;
    throw error;
  }
  throw new Error("expected a VoidError, but the text parsed");
}

describe("parseJsonText", () => {
  it.each([
    [
      "an object",
      '{"a": [1, 2.5e3, -0, true, false, null, "s\\n"]}',
      { a: [1, 2500, -0, true, false, null, "s\n"] },
    ],
    ["a leading byte-order mark", '\ufeff{"a": 1}', { a: 1 }],
    [
      "a __proto__ key as an own key, like JSON.parse",
      '{"__proto__": {"x": 1}}',
      JSON.parse('{"__proto__": {"x": 1}}'),
    ],
    ["the last of duplicate keys", '{"a": 1, "a": 2}', { a: 2 }],
  ])("reads %s", (_, text, expected) => {
    expect(parseJsonText(text, "/f.json")).toEqual(expected);
  });

  it.each([
    ["comments", '{\n  // c\n  "a": /* here */ 1\n}', { comments: true }, { a: 1 }],
    ["trailing commas", '{"a": [1, 2,],}', { trailingCommas: true }, { a: [1, 2] }],
    ["both", '{"a": 1, // c\n}', { comments: true, trailingCommas: true }, { a: 1 }],
  ])("reads %s when allowed", (_, text, options, expected) => {
    expect(parseJsonText(text, "/f.json", options)).toEqual(expected);
  });

  // [what, text, options, message, hint (substring)]
  it.each<[string, string, Parameters<typeof parseJsonText>[2], string, string]>([
    [
      "a comment",
      '{\n  // c\n  "a": 1\n}',
      {},
      "/f.json:2:3: invalid JSON: comments are not allowed",
      "comments",
    ],
    [
      "a trailing comma",
      '{"a": 1,}',
      { comments: true },
      "/f.json:1:9: invalid JSON: expected a property name in double quotes",
      "trailing comma",
    ],
    [
      "a trailing comma in an array",
      "[1,]",
      {},
      "/f.json:1:4: invalid JSON: expected a value",
      "trailing comma",
    ],
    [
      "single quotes",
      "{'a': 1}",
      {},
      '/f.json:1:2: invalid JSON: expected a property name in double quotes or "}"',
      "double quotes",
    ],
    [
      "a missing colon",
      '{"a" 1}',
      {},
      '/f.json:1:6: invalid JSON: expected ":" after the property name',
      "fix the JSON",
    ],
    [
      "a bad escape",
      '{"a": "\\q"}',
      {},
      "/f.json:1:7: invalid JSON: invalid escape in a string",
      "fix the JSON",
    ],
    ["a bad number", '{"a": 01}', {}, '/f.json:1:8: invalid JSON: expected "," or "}"', "fix the JSON"],
    [
      "an unclosed comment",
      '{"a": 1 /* x',
      { comments: true },
      "/f.json:1:9: invalid JSON: unterminated comment",
      "fix the JSON",
    ],
    [
      "an empty text",
      "  ",
      {},
      "/f.json:1:1: invalid JSON: unexpected end of text; expected a value",
      "fix the JSON",
    ],
    [
      "an unclosed array at the end",
      '{"a": [1,\n\n',
      {},
      "/f.json:1:10: invalid JSON: unexpected end of text; expected a value",
      "fix the JSON",
    ],
  ])("refuses %s", (_, text, options, message, hint) => {
    const error = failureOf(text, options);
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toContain(hint);
  });

  it("gives the caller's hint when the error suggests none", () => {
    expect(failureOf("[1 2]", { hint: "expected a client config" }).hint).toBe("expected a client config");
  });
});

describe("parseJsonText never quotes the text", () => {
  const SECRET = "sk-live-9f8e7d6c5b4a";
  /** Every piece of the secret long enough to give something away. */
  const pieces = Array.from({ length: SECRET.length - 2 }, (_, i) => SECRET.slice(i, i + 3));
  it.each([
    ["a bare token as a value", `{"headers": {"Authorization": Bearer ${SECRET}}}`],
    ["a token in single quotes", `{"headers": {"Authorization": 'Bearer ${SECRET}'}}`],
    ["a token as a key without a colon", `{"headers": {"Bearer ${SECRET}"}}`],
    ["a value with no comma after it", `{"env": {"KEY": "${SECRET}" "NEXT": "x"}}`],
    ["an unterminated string", `{"env": {"KEY": "${SECRET}`],
    ["a raw line break in a string", `{"env": {"KEY": "${SECRET}\n"}}`],
    ["a bad escape in a string", `{"env": {"KEY": "${SECRET}\\q"}}`],
    ["a control character in a string", `{"env": {"KEY": "${SECRET}\u0001"}}`],
    ["text after the value", `{"env": {}} ${SECRET}`],
    ["a file that is not JSON at all", `${SECRET}\n-----BEGIN OPENSSH PRIVATE KEY-----\n`],
    ["a comment where comments are not allowed", `{"a": 1 // ${SECRET}\n}`],
  ])("%s", (_, text) => {
    const error = failureOf(text);
    const shown = describeError(error);
    expect(shown).toMatch(/^\/f\.json:\d+:\d+: invalid JSON: /);
    for (const piece of pieces) expect(shown).not.toContain(piece);
    expect(shown).not.toContain("Bearer");
    expect(shown).not.toContain("BEGIN");
    expect(error.cause).toBeUndefined();
  });
});
