import { describe, expect, it } from "vitest";
import { parseToml, TomlSyntaxError } from "./toml.js";

describe("parseToml: values", () => {
  const cases: Array<[string, string, unknown]> = [
    [
      "basic strings with escapes",
      String.raw`a = "tab\tquote\"back\\ \u00e9 \U0001F600"`,
      { a: 'tab\tquote"back\\ é 😀' },
    ],
    [
      "a literal string keeps backslashes",
      String.raw`a = 'C:\Users\me\server.js'`,
      { a: "C:\\Users\\me\\server.js" },
    ],
    [
      "a multi-line basic string, first newline and line-ending backslash trimmed",
      'a = """\nx\\\n    y\nz"""',
      { a: "xy\nz" },
    ],
    ["a multi-line literal string", "a = '''\nC:\\x\n''y'''", { a: "C:\\x\n''y" }],
    ["quotes right before the closing ones", 'a = """x"""""', { a: 'x""' }],
    [
      "integers",
      "a = 1_000\nb = -17\nc = 0xff\nd = 0o17\ne = 0b101\nf = +3",
      { a: 1000, b: -17, c: 255, d: 15, e: 5, f: 3 },
    ],
    [
      "floats",
      "a = 3.14\nb = -1e3\nc = 6.02E+23\nd = inf\ne = -inf",
      { a: 3.14, b: -1000, c: 6.02e23, d: Infinity, e: -Infinity },
    ],
    ["booleans", "a = true\nb = false", { a: true, b: false }],
    [
      "dates and times, kept as text",
      "a = 1979-05-27T07:32:00Z\nb = 1979-05-27 07:32:00.5-07:00\nc = 1979-05-27\nd = 07:32:00",
      { a: "1979-05-27T07:32:00Z", b: "1979-05-27 07:32:00.5-07:00", c: "1979-05-27", d: "07:32:00" },
    ],
    [
      "arrays over lines, with comments and a trailing comma",
      'a = [\n  1, # one\n  [2, "x"],\n]',
      { a: [1, [2, "x"]] },
    ],
    [
      "inline tables, with dotted keys",
      'a = { x = 1, "y z" = { w = true }, p.q = "r" }',
      { a: { x: 1, "y z": { w: true }, p: { q: "r" } } },
    ],
    [
      "dotted and quoted keys",
      'a.b."c.d" = 1\n"" = 2\n\'lit\' = 3',
      { a: { b: { "c.d": 1 } }, "": 2, lit: 3 },
    ],
    [
      "tables, sub-tables, and tables under dotted keys",
      "[a]\nx = 1\n[a.b]\ny = 2\n[c]\nd.e = 1\n[c.d.f]\ng = 3",
      { a: { x: 1, b: { y: 2 } }, c: { d: { e: 1, f: { g: 3 } } } },
    ],
    ["a super-table defined after its sub-table", "[a.b]\nx = 1\n[a]\ny = 2", { a: { b: { x: 1 }, y: 2 } }],
    [
      "arrays of tables",
      "[[p]]\nn = 1\n[[p]]\nn = 2\n[p.q]\nr = 3",
      { p: [{ n: 1 }, { n: 2, q: { r: 3 } }] },
    ],
    ["CRLF line breaks and a byte-order mark", "\uFEFFa = 1\r\n[t]\r\nb = 'x'\r\n", { a: 1, t: { b: "x" } }],
    ["comments everywhere", "# top\na = 1 # after\n  [ t ] # header\n# last", { a: 1, t: {} }],
  ];
  it.each(cases)("%s", (_, text, value) => {
    expect(parseToml(text).value).toEqual(value);
  });

  it("says where each section is, ending at its last key line", () => {
    const text = "a = 1\n\n# about t\n[t]\nx = 1\n\n# about u\n[u.v]\ny = [\n  1,\n]\n";
    const { sections, pairs } = parseToml(text);
    expect(sections).toEqual([
      { path: ["t"], array: false, start: text.indexOf("[t]"), end: text.indexOf("\n\n# about u") + 1 },
      { path: ["u", "v"], array: false, start: text.indexOf("[u.v]"), end: text.length },
    ]);
    expect(pairs).toEqual([
      { path: ["a"], section: -1 },
      { path: ["t", "x"], section: 0 },
      { path: ["u", "v", "y"], section: 1 },
    ]);
  });
});

describe("parseToml: what it refuses", () => {
  const cases: Array<[string, string, string, number]> = [
    ["a key defined twice", "a = 1\na = 2", 'key "a" is defined more than once', 6],
    ["a table defined twice", "[t]\n[t]", "table [t] is defined more than once", 4],
    ["a table over a value", "t = 1\n[t]", '"t" is already a value, not a table', 6],
    [
      "extending an inline table with a header",
      "t = { a = 1 }\n[t.b]",
      '"t" is already a value, not a table',
      14,
    ],
    [
      "extending an inline table with dotted keys",
      "t = { a = 1 }\nt.b = 2",
      'cannot add keys to "t" here: it is already defined',
      14,
    ],
    [
      "dotted keys into a table defined by a header",
      "[a.b]\nx = 1\n[a]\nb.y = 2",
      'cannot add keys to "b" here: it is already defined',
      16,
    ],
    [
      "a header for a table made by dotted keys",
      "[a]\nb.c = 1\n[a.b]",
      "table [a.b] is defined more than once",
      12,
    ],
    ["an unterminated string", 'a = "x\nb = 1', "unterminated string", 6],
    ["a bare value", "a = yes", 'expected a value, found "y"', 4],
    ["a leading zero", "a = 012", "leading zeros are not allowed", 4],
    ["a misplaced underscore", "a = 1__0", "underscores in a number must sit between digits", 4],
    ["an invalid escape", 'a = "\\q"', "invalid escape \\q", 5],
    ["two values on a line", "a = 1 b = 2", 'expected the end of the line, found "b"', 6],
    ["a key without a value", "a =", "expected a value, found nothing", 3],
    ["a control character", "a = 'x\u0001'", "control characters must be escaped in strings", 6],
  ];
  it.each(cases)("%s", (_, text, message, offset) => {
    let caught: unknown;
    try {
      parseToml(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TomlSyntaxError);
    expect((caught as TomlSyntaxError).message).toBe(message);
    expect((caught as TomlSyntaxError).offset).toBe(offset);
  });
});
