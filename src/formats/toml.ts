import { TextError } from "./text-error.js";
/**
 * A TOML 1.0 reader, enough for Codex CLI's config.toml and careful about what it accepts:
 * comments, bare/quoted/dotted keys, every string form, integers (decimal, hex, octal, binary),
 * floats, booleans, dates and times (kept as their text), arrays, inline tables, [tables] and
 * [[arrays of tables]], with TOML's rules against defining a key or table twice. Newlines and a
 * trailing comma inside inline tables are accepted (as TOML 1.1 does).
 *
 * Besides the value it reports where each table header is, so that a table can be replaced or
 * removed by editing the text (toml-edit.ts) without rewriting the rest of the file.
 */

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

/** A `[table]` or `[[array table]]` header and the text of its section. */
export interface TomlSection {
  readonly path: readonly string[];
  readonly array: boolean;
  /** Offset of the start of the header's line. */
  readonly start: number;
  /**
   * Offset just past the section's last line that holds a key/value pair (or the header itself);
   * comment and blank lines after it, which usually describe the next section, are not included.
   */
  readonly end: number;
}

export interface TomlDocument {
  readonly value: TomlTable;
  readonly sections: readonly TomlSection[];
  /** Every key/value pair outside inline tables, in file order. */
  readonly pairs: readonly TomlPair[];
}

export interface TomlPair {
  /** The absolute key path (the table's path, then the dotted key). */
  readonly path: readonly string[];
  /** Index in `sections` of the header it is written under; -1 for the top of the file. */
  readonly section: number;
}

export class TomlSyntaxError extends TextError {}

/** How a table came to exist; it decides what may still be added to it. */
type Origin = "implicit" | "header" | "dotted" | "inline" | "array-item";

const BARE_KEY = /[A-Za-z0-9_-]/;
const DATE_TIME =
  /^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)/;
const ESCAPES: Readonly<Record<string, string>> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\u001b",
  '"': '"',
  "\\": "\\",
};

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Pure: what is wrong with a date, time or date-time that has the right shape (DATE_TIME), or
 * undefined. Dates must exist in the calendar; seconds go to 59 (no leap seconds, as smol-toml).
 */
function dateTimeProblem(text: string): string | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (month < 1 || month > 12) return "invalid date: the month must be 01 to 12";
    const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
    if (day < 1 || day > days) return `invalid date: that month has days 01 to ${days}`;
  }
  const time = /(?:^|[Tt ])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (time) {
    if (Number(time[1]) > 23) return "invalid time: the hour must be 00 to 23";
    if (Number(time[2]) > 59) return "invalid time: the minute must be 00 to 59";
    if (time[3] !== undefined && Number(time[3]) > 59) return "invalid time: the second must be 00 to 59";
  }
  const offset = /[+-](\d{2}):(\d{2})$/.exec(text);
  if (offset && time) {
    if (Number(offset[1]) > 23 || Number(offset[2]) > 59) return "invalid time offset";
  }
  return undefined;
}

/** Parses TOML text. Throws TomlSyntaxError (with the offset of the problem). */
export function parseToml(text: string): TomlDocument {
  return new Parser(text).document();
}

class Parser {
  private pos = 0;
  private readonly origins = new Map<TomlTable, Origin>();
  /** Arrays made by [[headers]] (which later headers may extend), as opposed to array values. */
  private readonly tableArrays = new Set<TomlValue[]>();
  private readonly sections: { path: string[]; array: boolean; start: number; end: number }[] = [];
  private readonly pairs: TomlPair[] = [];
  private readonly root: TomlTable = {};

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  document(): TomlDocument {
    const root = this.root;
    this.origins.set(root, "header");
    let table = root;
    let tablePath: string[] = [];
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    for (;;) {
      this.skipBlankLines();
      if (this.pos >= this.text.length) break;
      const lineStart = this.pos;
      if (this.peek() === "[") {
        const array = this.text.startsWith("[[", this.pos);
        this.pos += array ? 2 : 1;
        this.skipSpaces();
        tablePath = this.key();
        this.skipSpaces();
        this.expect(array ? "]]" : "]");
        table = array ? this.openArrayTable(tablePath, lineStart) : this.openTable(tablePath, lineStart);
        this.sections.push({ path: tablePath, array, start: lineStart, end: this.pos });
      } else {
        const keyStart = this.pos;
        const key = this.key();
        this.skipSpaces();
        this.expect("=");
        this.skipSpaces();
        const value = this.value();
        this.assign(table, key, value, keyStart, "dotted");
        this.pairs.push({ path: [...tablePath, ...key], section: this.sections.length - 1 });
      }
      this.endOfLine();
      const section = this.sections.at(-1);
      if (section) section.end = this.pos;
    }
    return { value: root, sections: this.sections, pairs: this.pairs };
  }

  // --- tables -------------------------------------------------------------------------------

  private fail(message: string, at = this.pos): never {
    throw new TomlSyntaxError(message, at);
  }

  /** Walks (creating implicit tables) to the parent of a header's last key. */
  private walk(path: readonly string[], at: number): TomlTable {
    let table = this.root;
    for (const part of path) {
      const next: TomlValue | undefined = Object.hasOwn(table, part) ? table[part] : undefined;
      if (next === undefined) {
        const created: TomlTable = {};
        this.origins.set(created, "implicit");
        table[part] = created;
        table = created;
      } else if (Array.isArray(next) && this.tableArrays.has(next)) {
        table = next.at(-1) as TomlTable;
      } else if (isTable(next) && this.origins.get(next) !== "inline") {
        table = next;
      } else {
        return this.fail(`"${part}" is already a value, not a table`, at);
      }
    }
    return table;
  }

  private openTable(path: readonly string[], at: number): TomlTable {
    const parent = this.walk(path.slice(0, -1), at);
    const last = path.at(-1) as string;
    const existing: TomlValue | undefined = Object.hasOwn(parent, last) ? parent[last] : undefined;
    if (existing === undefined) {
      const created: TomlTable = {};
      this.origins.set(created, "header");
      parent[last] = created;
      return created;
    }
    if (isTable(existing) && this.origins.get(existing) === "implicit") {
      this.origins.set(existing, "header");
      return existing;
    }
    if (!isTable(existing) || this.origins.get(existing) === "inline") {
      return this.fail(`"${last}" is already a value, not a table`, at);
    }
    return this.fail(`table [${path.join(".")}] is defined more than once`, at);
  }

  private openArrayTable(path: readonly string[], at: number): TomlTable {
    const parent = this.walk(path.slice(0, -1), at);
    const last = path.at(-1) as string;
    const existing: TomlValue | undefined = Object.hasOwn(parent, last) ? parent[last] : undefined;
    const item: TomlTable = {};
    this.origins.set(item, "array-item");
    if (existing === undefined) {
      const array: TomlValue[] = [item];
      this.tableArrays.add(array);
      parent[last] = array;
    } else if (Array.isArray(existing) && this.tableArrays.has(existing)) {
      existing.push(item);
    } else {
      this.fail(`[[${path.join(".")}]] conflicts with a value or table of the same name`, at);
    }
    return item;
  }

  /** Sets a (dotted) key in `table`, creating the tables its dots imply. */
  private assign(
    table: TomlTable,
    key: readonly string[],
    value: TomlValue,
    at: number,
    origin: Origin,
  ): void {
    let target = table;
    for (const part of key.slice(0, -1)) {
      const next: TomlValue | undefined = Object.hasOwn(target, part) ? target[part] : undefined;
      if (next === undefined) {
        const created: TomlTable = {};
        this.origins.set(created, origin);
        target[part] = created;
        target = created;
      } else if (
        isTable(next) &&
        (this.origins.get(next) === origin || this.origins.get(next) === "implicit")
      ) {
        if (this.origins.get(next) === "implicit") this.origins.set(next, origin);
        target = next;
      } else {
        this.fail(`cannot add keys to "${part}" here: it is already defined`, at);
      }
    }
    const last = key.at(-1) as string;
    if (Object.hasOwn(target, last)) this.fail(`key "${key.join(".")}" is defined more than once`, at);
    target[last] = value;
  }

  // --- lexical ------------------------------------------------------------------------------

  private peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  private expect(token: string): void {
    if (!this.text.startsWith(token, this.pos)) {
      const found =
        this.pos >= this.text.length
          ? "the end of the file"
          : this.peek() === "\n" || this.peek() === "\r"
            ? "the end of the line"
            : JSON.stringify(this.peek());
      this.fail(`expected "${token}", found ${found}`);
    }
    this.pos += token.length;
  }

  private skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
  }

  private skipComment(): void {
    if (this.peek() !== "#") return;
    while (this.pos < this.text.length && this.peek() !== "\n") {
      const code = this.text.charCodeAt(this.pos);
      if ((code < 0x20 && code !== 0x09 && code !== 0x0d) || code === 0x7f) {
        this.fail("control character in a comment");
      }
      this.pos++;
    }
    if (this.text.charAt(this.pos - 1) === "\r") this.pos--;
  }

  private newline(): boolean {
    if (this.peek() === "\n") {
      this.pos++;
      return true;
    }
    if (this.peek() === "\r" && this.peek(1) === "\n") {
      this.pos += 2;
      return true;
    }
    return false;
  }

  private skipBlankLines(): void {
    for (;;) {
      this.skipSpaces();
      this.skipComment();
      if (!this.newline()) return;
    }
  }

  /** Spaces, newlines and comments, as allowed inside arrays. */
  private skipBlankSpace(): void {
    for (;;) {
      this.skipSpaces();
      this.skipComment();
      if (!this.newline()) return;
    }
  }

  private endOfLine(): void {
    this.skipSpaces();
    this.skipComment();
    if (this.pos < this.text.length && !this.newline()) {
      this.fail(`expected the end of the line, found ${JSON.stringify(this.peek())}`);
    }
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const start = this.pos;
        while (BARE_KEY.test(this.peek())) this.pos++;
        if (this.pos === start) this.fail(c === "" ? "expected a key" : `unexpected ${JSON.stringify(c)}`);
        parts.push(this.text.slice(start, this.pos));
      }
      this.skipSpaces();
      if (this.peek() !== ".") return parts;
      this.pos++;
      this.skipSpaces();
    }
  }

  // --- values -------------------------------------------------------------------------------

  private value(): TomlValue {
    const c = this.peek();
    if (c === '"')
      return this.text.startsWith('"""', this.pos) ? this.multilineBasicString() : this.basicString();
    if (c === "'")
      return this.text.startsWith("'''", this.pos) ? this.multilineLiteralString() : this.literalString();
    if (c === "[") return this.array();
    if (c === "{") return this.inlineTable();
    if (this.text.startsWith("true", this.pos) && !BARE_KEY.test(this.peek(4))) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith("false", this.pos) && !BARE_KEY.test(this.peek(5))) {
      this.pos += 5;
      return false;
    }
    const rest = this.text.slice(this.pos, this.pos + 64);
    const date = DATE_TIME.exec(rest);
    if (date && /^\d{2}:|^\d{4}-/.test(rest)) {
      const problem = dateTimeProblem(date[0]);
      if (problem !== undefined) this.fail(problem);
      this.pos += date[0].length;
      return date[0];
    }
    return this.number();
  }

  private number(): number {
    const start = this.pos;
    const match =
      /^[+-]?(?:inf|nan|0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?)/.exec(
        this.text.slice(this.pos, this.pos + 128),
      );
    if (!match)
      return this.fail(
        `expected a value, found ${this.peek() === "" ? "nothing" : JSON.stringify(this.peek())}`,
      );
    const raw = match[0];
    this.pos += raw.length;
    const body = raw.replace(/^[+-]/, "");
    const sign = raw.startsWith("-") ? -1 : 1;
    if (body === "inf") return sign * Number.POSITIVE_INFINITY;
    if (body === "nan") return Number.NaN;
    if (/(^|[^0-9A-Fa-f])_|_($|[^0-9A-Fa-f])|__/.test(body.replace(/^0[xob]/, ""))) {
      return this.fail("underscores in a number must sit between digits", start);
    }
    const digits = body.replace(/_/g, "");
    if (/^0[xob]/.test(digits)) {
      if (raw.startsWith("+") || raw.startsWith("-"))
        this.fail("hex, octal and binary numbers take no sign", start);
      return this.integer(BigInt(digits), start);
    }
    if (/^0\d/.test(digits)) return this.fail("leading zeros are not allowed", start);
    if (/^\d+$/.test(digits)) return this.integer(BigInt(sign) * BigInt(digits), start);
    const value = Number(digits);
    if (Number.isNaN(value) || !/^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(digits)) {
      return this.fail("invalid number", start);
    }
    return sign * value;
  }

  /**
   * An integer as a number, when a number holds it exactly. TOML integers go to ±2^63, but a
   * JSON-like value cannot keep more than 2^53 exactly; such integers are refused rather than
   * silently rounded (smol-toml does the same by default).
   */
  private integer(value: bigint, at: number): number {
    if (value > MAX_EXACT || value < -MAX_EXACT) {
      return this.fail("integer outside the range numbers keep exactly (±2^53 - 1)", at);
    }
    // Integers have no negative zero.
    return Number(value) + 0;
  }

  private basicString(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === "" || c === "\n" || c === "\r") this.fail("unterminated string");
      this.pos++;
      if (c === '"') return out;
      if (c === "\\") out += this.escape();
      else out += this.plainChar(c);
    }
  }

  private multilineBasicString(): string {
    this.expect('"""');
    this.newline();
    let out = "";
    for (;;) {
      if (this.text.startsWith('"""', this.pos)) {
        // Up to two quotes right before the closing ones belong to the string.
        let quotes = 3;
        while (quotes < 5 && this.peek(quotes) === '"') quotes++;
        out += '"'.repeat(quotes - 3);
        this.pos += quotes;
        return out;
      }
      const c = this.peek();
      if (c === "") this.fail('unterminated """ string');
      if (c === "\\") {
        const after = /^\\[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.pos + 256));
        if (after) {
          // A line-ending backslash drops the newline and the whitespace that follows.
          this.pos += after[0].length;
          while (/[ \t\r\n]/.test(this.peek()) && this.peek() !== "") this.pos++;
          continue;
        }
        this.pos++;
        out += this.escape();
        continue;
      }
      if (this.newline()) {
        out += "\n";
        continue;
      }
      this.pos++;
      out += this.plainChar(c);
    }
  }

  private literalString(): string {
    this.expect("'");
    const start = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === "" || c === "\n" || c === "\r") this.fail("unterminated string");
      if (c === "'") break;
      this.plainChar(c, this.pos);
      this.pos++;
    }
    const out = this.text.slice(start, this.pos);
    this.pos++;
    return out;
  }

  private multilineLiteralString(): string {
    this.expect("'''");
    this.newline();
    let out = "";
    for (;;) {
      if (this.text.startsWith("'''", this.pos)) {
        let quotes = 3;
        while (quotes < 5 && this.peek(quotes) === "'") quotes++;
        out += "'".repeat(quotes - 3);
        this.pos += quotes;
        return out;
      }
      const c = this.peek();
      if (c === "") this.fail("unterminated ''' string");
      if (this.newline()) {
        out += "\n";
        continue;
      }
      this.pos++;
      out += this.plainChar(c);
    }
  }

  /** `c`, checked; `at` is its offset (by default the character just consumed). */
  private plainChar(c: string, at = this.pos - 1): string {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      this.fail("control characters must be escaped in strings", at);
    }
    return c;
  }

  /** After a backslash: the escaped character. */
  private escape(): string {
    const c = this.peek();
    this.pos++;
    const simple = ESCAPES[c];
    if (simple !== undefined) return simple;
    if (c === "u" || c === "U" || c === "x") {
      const length = c === "u" ? 4 : c === "U" ? 8 : 2;
      const hex = this.text.slice(this.pos, this.pos + length);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== length) this.fail(`invalid \\${c} escape`);
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        this.fail(`\\${c}${hex} is not a Unicode scalar value`);
      this.pos += length;
      return String.fromCodePoint(code);
    }
    return this.fail(`invalid escape \\${c}`, this.pos - 2);
  }

  private array(): TomlValue[] {
    this.expect("[");
    const out: TomlValue[] = [];
    for (;;) {
      this.skipBlankSpace();
      if (this.peek() === "]") {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skipBlankSpace();
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      this.expect("]");
      return out;
    }
  }

  private inlineTable(): TomlTable {
    this.expect("{");
    const table: TomlTable = {};
    this.origins.set(table, "inline");
    for (;;) {
      this.skipBlankSpace();
      if (this.peek() === "}") {
        this.pos++;
        return table;
      }
      const at = this.pos;
      const key = this.key();
      this.skipSpaces();
      this.expect("=");
      this.skipSpaces();
      this.assign(table, key, this.value(), at, "inline");
      this.skipBlankSpace();
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      this.expect("}");
      return table;
    }
  }
}

function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
