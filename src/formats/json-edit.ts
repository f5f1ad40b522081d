import { type Node, type ParseError, parseTree } from "jsonc-parser";
import { deepEqual } from "./deep-equal.js";
import { stripJsonComments } from "./jsonc.js";
import { TextError } from "./text-error.js";

/**
 * Edits of JSON and JSON-with-comments text that change one member and leave every other byte
 * where it was: comments, formatting, key order, trailing commas. Offsets come from jsonc-parser's
 * tree of the text with comments blanked out (same length), so they are valid in the original text.
 *
 * The functions are pure and never verify their own output; callers parse the result and compare
 * it with what they meant (see plan.ts), so a mistake here is an error, never a corrupted file.
 */

type Path = readonly string[];

interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

interface ObjectNode extends Span {
  readonly kind: "object";
  readonly members: MemberNode[];
}
interface OtherNode extends Span {
  readonly kind: "array" | "scalar";
}
type JsonNode = ObjectNode | OtherNode;

interface MemberNode {
  readonly key: string;
  readonly keyStart: number;
  readonly value: JsonNode;
}

export class JsonEditError extends TextError {}

const WHITESPACE = /[ \t\r\n]/;

/**
 * The spans of (comment-blanked) JSON, from jsonc-parser's syntax tree. Text with a syntax error
 * is refused with the offset of the first one: edits only ever start from text that parses.
 */
function scan(text: string): JsonNode {
  const errors: ParseError[] = [];
  // A byte-order mark is not JSON to the parser; a space of the same length keeps the offsets.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  let root: Node | undefined;
  try {
    root = parseTree(source, errors, { allowTrailingComma: false, disallowComments: true });
  } catch (error) {
    if (error instanceof RangeError) throw new JsonEditError("nested too deeply to edit", 0);
    throw error;
  }
  const first = errors[0];
  if (root === undefined || first !== undefined)
    throw new JsonEditError("not valid JSON", first?.offset ?? 0);
  return toNode(root);
}

function toNode(node: Node): JsonNode {
  const span = { start: node.offset, end: node.offset + node.length };
  if (node.type === "array") return { kind: "array", ...span };
  if (node.type !== "object") return { kind: "scalar", ...span };
  const members: MemberNode[] = [];
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key === undefined || value === undefined) throw new JsonEditError("not valid JSON", property.offset);
    members.push({ key: String(key.value), keyStart: key.offset, value: toNode(value) });
  }
  return { kind: "object", ...span, members };
}

/** The member JSON.parse keeps for `key` (the last one). */
function member(node: ObjectNode, key: string): MemberNode | undefined {
  return node.members.findLast((m) => m.key === key);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The whitespace that starts the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? "";
}

/** Whether only whitespace precedes `offset` on its line. */
function firstOnLine(text: string, offset: number): boolean {
  return text.slice(lineStart(text, offset), offset).trim() === "";
}

/** The file's indentation step: that of its first indented line, else two spaces. */
function indentUnit(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  const found = match?.[1] ?? "";
  if (found.startsWith("\t")) return "\t";
  return found.length > 0 && found.length <= 8 ? found : "  ";
}

/** `value` as JSON on one line: `{ "a": [1, 2] }`, the way people write short objects. */
function renderInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderInline).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, inner]) => `${JSON.stringify(k)}: ${renderInline(inner)}`).join(", ")} }`;
  }
  return JSON.stringify(value) ?? "null";
}

export interface SetOptions {
  /** An existing value written on one line is replaced by one on one line (default: laid out). */
  readonly keepInline?: boolean;
}

/** `value` as JSON laid out like the file: `unit` per level, continuation lines at `indent`. */
function render(value: unknown, indent: string, unit: string, eol: string): string {
  return JSON.stringify(value, null, unit).replace(/\n/g, `${eol}${indent}`);
}

/** The file's line break: CRLF when it has one, else LF. */
function lineBreak(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** End of the line holding `offset` (before its \r\n or \n), when only blanks (in `plain`) follow. */
function restOfLineIsBlank(plain: string, offset: number): number | undefined {
  const newline = plain.indexOf("\n", offset);
  const end = newline === -1 ? plain.length : newline;
  if (plain.slice(offset, end).trim() !== "") return undefined;
  return plain.charAt(end - 1) === "\r" ? end - 1 : end;
}

interface Located {
  readonly node: ObjectNode;
  /** The keys of `path` that do not exist yet below `node`. */
  readonly missing: readonly string[];
}

function locate(plain: string, path: Path): Located {
  const root = scan(plain);
  if (root.kind !== "object") throw new JsonEditError("expected a JSON object at the top level", root.start);
  let node: ObjectNode = root;
  for (let i = 0; i < path.length; i++) {
    const found = member(node, path[i] as string);
    if (found === undefined) return { node, missing: path.slice(i) };
    if (found.value.kind !== "object") {
      throw new JsonEditError(`expected an object at ${path.slice(0, i + 1).join(".")}`, found.value.start);
    }
    node = found.value;
  }
  return { node, missing: [] };
}

/**
 * Sets `path` + `key` to `value`, creating the objects of `path` that are missing. An existing
 * value is replaced where it stands (comments inside it go with it); a new member goes after the
 * object's last member, on a line of its own when the object spans lines.
 */
export function setMember(
  text: string,
  path: Path,
  key: string,
  value: unknown,
  options: SetOptions = {},
): string {
  const plain = stripJsonComments(text);
  const { node, missing } = locate(plain, path);
  const unit = indentUnit(plain);
  if (missing.length === 0) {
    const existing = member(node, key);
    if (existing !== undefined) {
      const indent = indentAt(plain, existing.keyStart);
      const oneLine = !plain.slice(existing.value.start, existing.value.end).includes("\n");
      const rendered =
        options.keepInline === true && oneLine
          ? renderInline(value)
          : render(value, indent, unit, lineBreak(text));
      return text.slice(0, existing.value.start) + rendered + text.slice(existing.value.end);
    }
  }
  // The member to add: the first missing key, holding the rest of the path and the value.
  const addKey = missing[0] ?? key;
  let addValue: unknown = missing.length === 0 ? value : { [key]: value };
  for (const part of [...missing.slice(1)].reverse()) addValue = { [part]: addValue };
  return insertMember(text, plain, node, addKey, addValue, unit);
}

function insertMember(
  text: string,
  plain: string,
  node: ObjectNode,
  key: string,
  value: unknown,
  unit: string,
): string {
  const multiline = plain.slice(node.start, node.end).includes("\n");
  const eol = lineBreak(text);
  const last = node.members.at(-1);
  if (last === undefined) {
    // `{}` (perhaps with comments or blank lines inside): the member on its own line.
    const outer = indentAt(plain, node.start);
    const inner = outer + unit;
    const body = `${eol}${inner}${JSON.stringify(key)}: ${render(value, inner, unit, eol)}`;
    const close = node.end - 1;
    const before = text.slice(node.start + 1, close);
    const kept = before.trim() === "" ? "" : before.replace(/\s+$/, "");
    return `${text.slice(0, node.start + 1)}${kept}${body}${eol}${outer}${text.slice(close)}`;
  }
  if (!multiline) {
    const compact = renderInline(value);
    const at = last.value.end;
    return `${text.slice(0, at)}, ${JSON.stringify(key)}: ${compact}${text.slice(at)}`;
  }
  const indent = firstOnLine(plain, last.keyStart)
    ? indentAt(plain, last.keyStart)
    : indentAt(plain, node.start) + unit;
  const line = `${eol}${indent}${JSON.stringify(key)}: ${render(value, indent, unit, eol)}`;
  // A trailing comma after the last member is blanked in `plain`; the text still has it.
  let after = last.value.end;
  while (after < node.end - 1 && text.charAt(after) !== "," && WHITESPACE.test(plain.charAt(after))) after++;
  const trailingComma = text.charAt(after) === ",";
  if (trailingComma) {
    const at = restOfLineIsBlank(plain, after + 1) ?? after + 1;
    return `${text.slice(0, at)}${line},${text.slice(at)}`;
  }
  const at = restOfLineIsBlank(plain, last.value.end) ?? last.value.end;
  return `${text.slice(0, last.value.end)},${text.slice(last.value.end, at)}${line}${text.slice(at)}`;
}

/**
 * Removes every member named `key` from the object at `path` (nothing when there is none), with
 * the comma that separated it and, when it stood on lines of its own, those lines.
 */
export function removeMember(text: string, path: Path, key: string): string {
  let current = text;
  for (;;) {
    const plain = stripJsonComments(current);
    const { node, missing } = locate(plain, path);
    if (missing.length > 0) return current;
    const index = node.members.findIndex((m) => m.key === key);
    if (index === -1) return current;
    current = removeAt(current, plain, node, index);
  }
}

/**
 * The start of the comment-only lines right above the line starting at `start` (they describe
 * what is on it), or `start` itself. A blank line ends them.
 */
function withCommentsAbove(text: string, plain: string, start: number): number {
  let at = start;
  while (at > 0) {
    const previous = lineStart(plain, at - 1);
    const isComment = plain.slice(previous, at).trim() === "" && text.slice(previous, at).trim() !== "";
    if (!isComment) return at;
    at = previous;
  }
  return at;
}

function removeAt(text: string, plain: string, node: ObjectNode, index: number): string {
  const target = node.members[index] as MemberNode;
  const next = node.members[index + 1];
  if (node.members.length === 1) return `${text.slice(0, node.start + 1)}${text.slice(node.end - 1)}`;
  if (next !== undefined) {
    // From the key (its whole line when it starts one) to just past its comma (and the rest of
    // that line when only blanks follow).
    const start = firstOnLine(plain, target.keyStart)
      ? withCommentsAbove(text, plain, lineStart(plain, target.keyStart))
      : target.keyStart;
    let comma = target.value.end;
    while (plain.charAt(comma) !== ",") comma++;
    const lineEnd = restOfLineIsBlank(plain, comma + 1);
    let end: number;
    if (lineEnd !== undefined && firstOnLine(plain, target.keyStart)) {
      end = plain.indexOf("\n", lineEnd) === -1 ? lineEnd : plain.indexOf("\n", lineEnd) + 1;
    } else {
      end = comma + 1;
      while (plain.charAt(end) === " " || plain.charAt(end) === "\t") end++;
    }
    return text.slice(0, start) + text.slice(end);
  }
  // The last of several: the comma after the previous member goes, and so does this member: its
  // lines when it stands on lines of its own (comments before and after it stay), else from that
  // comma to the end of its value.
  const previous = node.members[index - 1] as MemberNode;
  let comma = previous.value.end;
  while (plain.charAt(comma) !== ",") comma++;
  const lineEnd = restOfLineIsBlank(plain, target.value.end);
  if (firstOnLine(plain, target.keyStart) && lineEnd !== undefined) {
    const newline = plain.indexOf("\n", lineEnd);
    const end = newline === -1 ? plain.length : newline + 1;
    const start = withCommentsAbove(text, plain, lineStart(plain, target.keyStart));
    return text.slice(0, comma) + text.slice(comma + 1, start) + text.slice(end);
  }
  return text.slice(0, comma) + text.slice(target.value.end);
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Edits `text`, which parses to `before`, so that it parses to `after`, touching only the members
 * that differ: a removed key is cut (removeMember), an added key is appended to its object, a
 * changed value is replaced where it stands; objects on both sides are compared member by member,
 * anything else is replaced whole. Comments, formatting and key order elsewhere stay byte for
 * byte. Undefined `after` values count as absent. Both roots must be objects. Pure; like the
 * other edits it does not verify its result, so callers parse it and compare with `after`.
 */
export function applyJsonChanges(text: string, before: JsonObject, after: JsonObject): string {
  return applyAt(text, [], before, after);
}

function applyAt(text: string, path: Path, before: JsonObject, after: JsonObject): string {
  let out = text;
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && (!Object.hasOwn(after, key) || after[key] === undefined)) {
      out = removeMember(out, path, key);
    }
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = Object.hasOwn(before, key) ? before[key] : undefined;
    if (deepEqual(old, value)) continue;
    out =
      isObject(old) && isObject(value)
        ? applyAt(out, [...path, key], old, value)
        : setMember(out, path, key, value, { keepInline: true });
  }
  return out;
}
