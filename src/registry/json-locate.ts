import type { JsonPath } from "./json-path.js";

/**
 * A tiny JSON scanner, used only to say *where* in a file something is: the offset of the value
 * (or key) at a JSON path, and the offset of the first syntax error. Values themselves always
 * come from JSON.parse; this never builds them.
 */

/** 1-based line and column (column counted in UTF-16 code units, like most editors' JSON tools). */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

export function lineColumnAt(text: string, offset: number): LineColumn {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

class JsonScanError extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`JSON syntax error at offset ${offset}`);
    this.offset = offset;
  }
}

/** Called for every value in document order (pre-order): its path, and where its value and key start. */
type Visit = (path: JsonPath, valueOffset: number, keyOffset: number | undefined) => void;
/** Called for a key that already occurred in the same object: its path and both key offsets. */
type VisitDuplicate = (path: JsonPath, firstKeyOffset: number, keyOffset: number) => void;

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function walkJson(text: string, visit: Visit, onDuplicate?: VisitDuplicate): void {
  const stack: (string | number)[] = [];
  let pos = 0;

  const fail = (): never => {
    throw new JsonScanError(pos);
  };
  const skipWhitespace = () => {
    while (pos < text.length && WHITESPACE.has(text.charAt(pos))) pos++;
  };
  const expect = (char: string) => {
    if (text.charAt(pos) !== char) fail();
    pos++;
  };
  // Returns the decoded string; the opening quote is at `pos`.
  const scanString = (): string => {
    expect('"');
    const start = pos;
    let raw = "";
    while (pos < text.length) {
      const c = text.charAt(pos);
      if (c === '"') {
        raw = text.slice(start, pos);
        pos++;
        try {
          return JSON.parse(`"${raw}"`) as string;
        } catch {
          pos = start;
          return fail();
        }
      }
      if (c === "\\") pos += 2;
      else if (c.charCodeAt(0) < 0x20) return fail();
      else pos++;
    }
    return fail();
  };
  const scanLiteral = (word: string) => {
    for (const char of word) expect(char);
  };
  const scanNumber = () => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null) return fail();
    pos += match[0].length;
  };
  const scanValue = (keyOffset: number | undefined) => {
    skipWhitespace();
    visit(stack, pos, keyOffset);
    const c = text.charAt(pos);
    if (c === "{") {
      pos++;
      skipWhitespace();
      if (text.charAt(pos) === "}") {
        pos++;
        return;
      }
      const seen = new Map<string, number>();
      for (;;) {
        skipWhitespace();
        const keyStart = pos;
        const key = scanString();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, keyStart);
        else onDuplicate?.([...stack, key], first, keyStart);
        skipWhitespace();
        expect(":");
        stack.push(key);
        scanValue(keyStart);
        stack.pop();
        skipWhitespace();
        if (text.charAt(pos) === ",") pos++;
        else return expect("}");
      }
    }
    if (c === "[") {
      pos++;
      skipWhitespace();
      if (text.charAt(pos) === "]") {
        pos++;
        return;
      }
      for (let index = 0; ; index++) {
        stack.push(index);
        scanValue(undefined);
        stack.pop();
        skipWhitespace();
        if (text.charAt(pos) === ",") pos++;
        else return expect("]");
      }
    }
    if (c === '"') return void scanString();
    if (c === "t") return scanLiteral("true");
    if (c === "f") return scanLiteral("false");
    if (c === "n") return scanLiteral("null");
    return scanNumber();
  };

  scanValue(undefined);
  skipWhitespace();
  if (pos < text.length) fail();
}

function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((part, i) => part === path[i]);
}

/**
 * Offset of the value at `path` (or of its key, when `target` is "key"). When the path does not
 * exist, the offset of its deepest existing ancestor; the root's offset when nothing matches.
 * With duplicate keys the last one wins, as in JSON.parse. Text that is not valid JSON is
 * located as far as it scans.
 */
export function locateJsonPath(text: string, path: JsonPath, target: "value" | "key" = "value"): number {
  let found = { depth: -1, valueOffset: 0, keyOffset: undefined as number | undefined };
  try {
    walkJson(text, (at, valueOffset, keyOffset) => {
      // Pre-order: the latest matching node is the deepest one of the object JSON.parse keeps.
      if (startsWith(path, at)) found = { depth: at.length, valueOffset, keyOffset };
    });
  } catch {
    // Broken text (JsonScanError) or nesting too deep for the stack (RangeError): use what was found.
  }
  if (target === "key" && found.depth === path.length && found.keyOffset !== undefined) {
    return found.keyOffset;
  }
  return found.valueOffset;
}

/** Offset of the first JSON syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): number | undefined {
  try {
    walkJson(text, () => {});
    return undefined;
  } catch (error) {
    // A RangeError (nesting too deep) says nothing about the syntax.
    return error instanceof JsonScanError ? error.offset : undefined;
  }
}

export interface DuplicateKey {
  /** Path of the repeated key; JSON.parse keeps the value of its last occurrence. */
  readonly path: JsonPath;
  readonly firstOffset: number;
  readonly offset: number;
}

/** Keys that occur more than once in the same object, in document order. Assumes valid JSON. */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  try {
    walkJson(
      text,
      () => {},
      (path, firstOffset, offset) => found.push({ path, firstOffset, offset }),
    );
  } catch {
    // Not scannable to the end: report what was found.
  }
  return found;
}
