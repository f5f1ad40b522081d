import { parse as oracleParse, TomlDate } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parseToml, TomlSyntaxError } from "./toml.js";

/**
 * The TOML reader checked against smol-toml (a TOML 1.1 parser that passes the toml-test suite),
 * snippet by snippet: both must give the same value, or both must refuse the text. Where a value
 * cannot be the same, the comparison says how ours maps to theirs: dates and times are kept as
 * their text here (JSON-serialisable) and are compared through smol-toml's own date type.
 */

type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

function ours(text: string): Outcome {
  try {
    return { ok: true, value: parseToml(text).value };
  } catch (error) {
    if (!(error instanceof TomlSyntaxError)) throw error;
    return { ok: false, message: error.message };
  }
}

function theirs(text: string): Outcome {
  try {
    return { ok: true, value: oracleParse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** Where `a` (ours) and `b` (the oracle's) differ, or undefined when they agree. */
function difference(a: unknown, b: unknown, at = "value"): string | undefined {
  if (b instanceof Date) {
    if (typeof a !== "string") return `${at}: a date, got ${typeof a}`;
    const mine = new TomlDate(a);
    return mine.toISOString() === (b as TomlDate).toISOString()
      ? undefined
      : `${at}: ${mine.toISOString()} vs ${(b as TomlDate).toISOString()}`;
  }
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) return `${at}: arrays differ`;
    for (let i = 0; i < b.length; i++) {
      const inner = difference(a[i], b[i], `${at}[${i}]`);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  if (typeof b === "object" && b !== null) {
    if (typeof a !== "object" || a === null || Array.isArray(a)) return `${at}: a table, got ${typeof a}`;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.join("\u0000") !== keysB.join("\u0000")) return `${at}: keys ${keysA} vs ${keysB}`;
    for (const key of keysB) {
      const inner = difference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${at}: ${String(a)} vs ${String(b)}`;
}

const VALID: ReadonlyArray<readonly [string, string]> = [
  ["empty", ""],
  ["comments only", "# a\n  # b\n"],
  ["bare keys", "a = 1\nb-c = 2\nd_e = 3\n1234 = 4"],
  ["quoted keys", '"a b" = 1\n\'c.d\' = 2\n"" = 3'],
  ["dotted keys", "a.b.c = 1\na.d = 2\n\"x\".'y' = 3"],
  ["whitespace around dots", "a . b = 1"],
  ["basic strings with escapes", 's = "tab\\tquote\\"back\\\\slash\\u00e9\\U0001F600"'],
  ["TOML 1.1 escapes", 's = "\\e and \\x41"'],
  ["literal strings", "s = 'C:\\Users\\nodejs'"],
  ["multi-line basic", 's = """\nline one\nline two"""'],
  ["multi-line basic with line-ending backslash", 's = """\\\n   folded \\\n   text"""'],
  ["multi-line basic with quotes before the end", 's = """a ""quoted"" """""'],
  ["multi-line literal", "s = '''\nraw \\n text\n'''"],
  ["multi-line literal with quotes before the end", "s = '''it''s''''"],
  ["CRLF line endings", "a = 1\r\nb = 'x'\r\n[t]\r\nc = true\r\n"],
  ["integers", "a = 0\nb = +17\nc = -5\nd = 1_000_000\ne = -0"],
  ["hex, octal, binary", "a = 0xDEAD_beef\nb = 0o755\nc = 0b1101"],
  ["the largest safe integer", "a = 9007199254740991\nb = -9007199254740991"],
  ["floats", "a = 3.14\nb = -0.01\nc = 5e+22\nd = 1e06\ne = -2E-2\nf = 6.626e-34\ng = 224_617.445_991"],
  ["special floats", "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan"],
  ["signed zero floats", "a = -0.0\nb = +0.0"],
  ["a float too large for a double", "a = 1e400"],
  ["booleans", "a = true\nb = false"],
  [
    "offset date-times",
    "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999+07:00",
  ],
  ["a space as the date-time separator", "a = 1979-05-27 07:32:00Z"],
  ["lower-case t and z", "a = 1979-05-27t07:32:00z"],
  ["local date-times", "a = 1979-05-27T07:32:00\nb = 1979-05-27T00:32:00.5"],
  ["local dates and times", "a = 1979-05-27\nb = 07:32:00\nc = 00:32:00.999"],
  ["TOML 1.1 times without seconds", "a = 07:32\nb = 1979-05-27T07:32"],
  ["a leap day", "a = 2024-02-29"],
  ["arrays", 'a = [1, 2, 3]\nb = ["x", \'y\']\nc = [[1, 2], ["a"]]\nd = []\ne = [1, "mixed", 2.5]'],
  ["arrays over lines, with comments and a trailing comma", "a = [\n  1, # one\n  2,\n]"],
  ["inline tables", 'a = { x = 1, y = "two", z.w = 3 }\nb = {}'],
  ["TOML 1.1 inline tables over lines", "a = {\n  x = 1,\n  y = 2,\n}"],
  ["tables", "[a]\nx = 1\n[b.c]\ny = 2\n[ d . e ]\nz = 3"],
  ["a super-table after its sub-table", "[x.y.z]\na = 1\n[x]\nb = 2"],
  ["arrays of tables", "[[p]]\nname = 'a'\n[[p]]\nname = 'b'\n[p.sub]\nq = 1"],
  [
    "nested arrays of tables",
    "[[fruit]]\nname = 'apple'\n[[fruit.variety]]\nname = 'red'\n[[fruit]]\nname = 'banana'",
  ],
  [
    "a Codex config",
    "model = 'o3'\n\n[mcp_servers.fs]\ncommand = 'npx'\nargs = ['-y', 'fs']\nenv = { LOG = '1' }\n",
  ],
  ["a byte-order mark", "\ufeffa = 1"],
  ["a key named like a value", "true = 1\ninf = 2\n1979-05-27 = 3"],
  ["unicode in strings and quoted keys", 's = "héllo ☃"\n"ключ" = 1'],
];

const INVALID: ReadonlyArray<readonly [string, string]> = [
  ["an integer above 2^53", "a = 9007199254740993"],
  ["an integer below -2^53", "a = -9007199254740993"],
  ["a hex integer above 2^53", "a = 0x7FFFFFFFFFFFFFFF"],
  ["an integer beyond 64 bits", "a = 99999999999999999999"],
  ["an hour out of range", "a = 1979-05-27T25:00:00"],
  ["a minute out of range", "a = 07:60:00"],
  ["a leap second", "a = 2016-12-31T23:59:60Z"],
  ["a month out of range", "a = 1979-13-01"],
  ["day zero", "a = 1979-05-00"],
  ["an offset hour out of range", "a = 1979-05-27T00:32:00+24:00"],
  ["a key without a value", "a ="],
  ["a value without a key", "= 1"],
  ["a key defined twice", "a = 1\na = 2"],
  ["a table defined twice", "[a]\n[a]"],
  ["a table over a value", "a = 1\n[a]"],
  ["extending an inline table", "a = { x = 1 }\n[a.b]"],
  ["extending an inline table with a dotted key", "a = { x = 1 }\na.y = 2"],
  ["an array of tables over an array value", "a = []\n[[a]]"],
  ["two values on one line", "a = 1 b = 2"],
  ["an unterminated string", 'a = "abc'],
  ["an unterminated multi-line string", 'a = """abc'],
  ["a newline in a basic string", 'a = "ab\nc"'],
  ["a bad escape", 'a = "\\q"'],
  ["a surrogate escape", 'a = "\\uD800"'],
  ["a control character in a string", 'a = "\u0001"'],
  ["a control character in a comment", "# \u0007\na = 1"],
  ["leading zeros", "a = 007"],
  ["a double underscore", "a = 1__0"],
  ["a trailing underscore", "a = 10_"],
  ["a sign on a hex number", "a = +0x10"],
  ["a float without digits after the dot", "a = 1."],
  ["a float without digits before the dot", "a = .5"],
  ["an exponent without digits", "a = 1e"],
  ["a missing closing bracket", "a = [1, 2"],
  ["a missing comma in an array", "a = [1 2]"],
  ["an empty header", "[]"],
  ["an unclosed header", "[a\nb = 1"],
  ["a bare word as a value", "a = yes"],
  ["capitalised booleans", "a = True"],
];

describe("parseToml agrees with smol-toml", () => {
  it.each(VALID)("reads %s", (_, text) => {
    const expected = theirs(text);
    expect(expected.ok, `the oracle refused it: ${expected.ok ? "" : expected.message}`).toBe(true);
    const actual = ours(text);
    expect(actual.ok, actual.ok ? "" : actual.message).toBe(true);
    if (actual.ok && expected.ok) expect(difference(actual.value, expected.value)).toBeUndefined();
  });

  it.each(INVALID)("refuses %s", (_, text) => {
    expect(theirs(text).ok, "the oracle accepted it").toBe(false);
    expect(ours(text).ok, "the reader accepted it").toBe(false);
  });

  it("says why an integer is refused", () => {
    expect(ours("a = 9007199254740993")).toEqual({
      ok: false,
      message: "integer outside the range numbers keep exactly (±2^53 - 1)",
    });
  });
});

/**
 * Where smol-toml is knowingly wrong, the reader follows the TOML spec instead: these are the
 * only disagreements, written down so that they stay the only ones.
 */
describe("parseToml where smol-toml 1.9 deviates from the TOML spec", () => {
  it.each([
    ["February 30th", "a = 2021-02-30"],
    ["February 29th of a common year", "a = 2021-02-29"],
    ["April 31st", "a = 2021-04-31T00:00:00Z"],
  ])("refuses the impossible date %s, which smol-toml rolls over into the next month", (_, text) => {
    expect(theirs(text).ok).toBe(true);
    expect(ours(text)).toMatchObject({ ok: false });
  });
});
