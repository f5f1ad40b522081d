import { visit } from "jsonc-parser";
import type { JsonPath } from "./json-path.js";

/**
 * Where things are in JSON (and JSON-with-comments) text, for messages: the offset of the value
 * (or key) at a JSON path, and keys repeated in one object. Values themselves always come from
 * parsing; this never builds them. Built on jsonc-parser's visitor, so comments and trailing
 * commas are allowed and offsets are those of the text as given.
 */

/** Called for every value in document order (pre-order): its path, and where its value and key start. */
type Visit = (path: JsonPath, valueOffset: number, keyOffset: number | undefined) => void;
/** Called for a key that already occurred in the same object: its path and both key offsets. */
type VisitDuplicate = (path: JsonPath, firstKeyOffset: number, keyOffset: number) => void;

interface Frame {
  readonly kind: "object" | "array";
  /** Length of the path when the container began (its own path). */
  readonly depth: number;
  readonly seen: Map<string, number>;
  index: number;
  key: string | undefined;
  keyOffset: number | undefined;
}

/** Thrown from a callback to stop jsonc-parser's visitor at the first syntax error. */
const STOP = Symbol("stop");

/**
 * Walks `text` up to its first syntax error (or its end). Nesting too deep for the parser's
 * recursion ends the walk early too; what was visited until then stands.
 */
function walkJson(text: string, onValue: Visit, onDuplicate?: VisitDuplicate): void {
  const path: (string | number)[] = [];
  const stack: Frame[] = [];
  const begin = (offset: number): number => {
    const depth = path.length;
    const parent = stack.at(-1);
    let keyOffset: number | undefined;
    if (parent?.kind === "object") {
      path.push(parent.key ?? "");
      keyOffset = parent.keyOffset;
    } else if (parent?.kind === "array") {
      path.push(parent.index);
    }
    onValue(path, offset, keyOffset);
    return depth;
  };
  const open = (kind: Frame["kind"], offset: number) => {
    const depth = begin(offset);
    stack.push({ kind, depth, seen: new Map(), index: 0, key: undefined, keyOffset: undefined });
  };
  const close = () => {
    const frame = stack.pop();
    if (frame !== undefined) path.length = frame.depth;
  };
  try {
    visit(
      text,
      {
        onObjectBegin: (offset) => open("object", offset),
        onArrayBegin: (offset) => open("array", offset),
        onObjectEnd: close,
        onArrayEnd: close,
        onLiteralValue: (_value, offset) => {
          path.length = begin(offset);
        },
        onObjectProperty: (key, offset) => {
          const frame = stack.at(-1);
          if (frame === undefined) return;
          const first = frame.seen.get(key);
          if (first === undefined) frame.seen.set(key, offset);
          else onDuplicate?.([...path, key], first, offset);
          frame.key = key;
          frame.keyOffset = offset;
        },
        onSeparator: (character) => {
          const frame = stack.at(-1);
          if (character === "," && frame?.kind === "array") frame.index++;
        },
        onError: () => {
          throw STOP;
        },
      },
      { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true },
    );
  } catch (error) {
    // STOP (a syntax error) or a RangeError (nesting deeper than the stack): keep what was seen.
    if (error !== STOP && !(error instanceof RangeError)) throw error;
  }
}

function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((part, i) => part === path[i]);
}

/**
 * Offset of the value at `path` (or of its key, when `target` is "key"). When the path does not
 * exist, the offset of its deepest existing ancestor; the root's offset when nothing matches.
 * With duplicate keys the last one wins, as in JSON.parse. Text that is not valid JSON is
 * located as far as it parses.
 */
export function locateJsonPath(text: string, path: JsonPath, target: "value" | "key" = "value"): number {
  let found = { depth: -1, valueOffset: 0, keyOffset: undefined as number | undefined };
  walkJson(text, (at, valueOffset, keyOffset) => {
    // Pre-order: the latest matching node is the deepest one of the object JSON.parse keeps.
    if (startsWith(path, at)) found = { depth: at.length, valueOffset, keyOffset };
  });
  if (target === "key" && found.depth === path.length && found.keyOffset !== undefined) {
    return found.keyOffset;
  }
  return found.valueOffset;
}

export interface DuplicateKey {
  /** Path of the repeated key; JSON.parse keeps the value of its last occurrence. */
  readonly path: JsonPath;
  readonly firstOffset: number;
  readonly offset: number;
}

/** Keys that occur more than once in the same object, in document order, up to the first syntax error. */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  walkJson(
    text,
    () => {},
    (path, firstOffset, offset) => found.push({ path, firstOffset, offset }),
  );
  return found;
}
