import { parseToml, type TomlSection } from "./toml.js";

/**
 * Edits of TOML text (Codex CLI's config.toml) at the level of `[table]` sections: replace or
 * append one table, remove tables. Every other byte stays where it was. Like json-edit.ts these
 * are pure and callers verify the result by parsing it.
 */

export class TomlEditError extends Error {}

/** A string as a TOML basic string. Throws for a lone surrogate, which TOML cannot hold. */
export function tomlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) throw new TomlEditError("a string holds a lone surrogate");
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

export function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlString(key);
}

/** A value of a simple table: strings, finite numbers, booleans, arrays and tables of those. */
export type TomlWritable =
  | string
  | number
  | boolean
  | readonly TomlWritable[]
  | { readonly [key: string]: TomlWritable };

function inline(value: TomlWritable): string {
  if (typeof value === "string") return tomlString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TomlEditError("cannot write a number that is not finite");
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => inline(item as TomlWritable)).join(", ")}]`;
  const entries = Object.entries(value as { readonly [key: string]: TomlWritable });
  if (entries.length === 0) return "{}";
  return `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${inline(v)}`).join(", ")} }`;
}

/** `[path]` and its keys, one per line (nested tables inline), ending with a newline. */
export function renderTable(
  path: readonly string[],
  table: { readonly [key: string]: TomlWritable },
): string {
  const lines = [`[${path.map(tomlKey).join(".")}]`];
  for (const [key, value] of Object.entries(table)) lines.push(`${tomlKey(key)} = ${inline(value)}`);
  return `${lines.join("\n")}\n`;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

function sectionsUnder(text: string, prefix: readonly string[]): TomlSection[] {
  return parseToml(text).sections.filter((section) => startsWith(section.path, prefix));
}

/**
 * Whether the table at `path` is written only as `[path]` / `[path.sub]` sections, so that it can
 * be replaced or removed by sections: none of its keys is set from another section (through
 * dotted keys or an inline table) or from the top of the file.
 */
export function isSectionTable(text: string, path: readonly string[]): boolean {
  const { sections, pairs } = parseToml(text);
  const own = sections.filter((section) => startsWith(section.path, path));
  if (own[0]?.path.length !== path.length) return false;
  return pairs
    .filter((pair) => startsWith(pair.path, path) || startsWith(path, pair.path))
    .every((pair) => {
      const home = sections[pair.section];
      return home !== undefined && startsWith(home.path, path);
    });
}

/** Removes the sections of `path` and its sub-tables (header to last key line, each). */
export function removeTable(text: string, path: readonly string[]): string {
  let out = text;
  for (const section of sectionsUnder(text, path).reverse()) out = cut(out, section.start, section.end);
  return out;
}

const BLANK_LINE = /^[ \t]*\r?\n/;

/**
 * Removes the lines from `start` to `end` (both at line starts), with the comment lines right
 * above them (they describe the section), and one blank line when blank lines would then meet.
 */
function cut(text: string, start: number, end: number): string {
  let from = start;
  for (;;) {
    const previous = text.lastIndexOf("\n", from - 2) + 1;
    if (from === 0 || !/^[ \t]*#/.test(text.slice(previous, from))) break;
    from = previous;
  }
  let to = end;
  const blankBefore = from === 0 || /\n[ \t]*\r?\n$/.test(text.slice(0, from));
  const after = BLANK_LINE.exec(text.slice(to));
  if (blankBefore && after) to += after[0].length;
  return text.slice(0, from) + text.slice(to);
}

/**
 * Sets the table at `path` to `rendered` (from renderTable): in place of its first section when it
 * exists (its other sections removed), else appended at the end, after a blank line.
 */
export function setTable(text: string, path: readonly string[], rendered: string): string {
  const sections = sectionsUnder(text, path);
  const first = sections[0];
  if (first !== undefined) {
    // Sections end just past their last key line, so what follows starts a line of its own.
    let out = text;
    for (const section of sections.slice(1).reverse())
      out = out.slice(0, section.start) + out.slice(section.end);
    return out.slice(0, first.start) + rendered + out.slice(first.end);
  }
  if (text.trim() === "") return rendered;
  const body = text.endsWith("\n") ? text : `${text}\n`;
  return `${body}${body.endsWith("\n\n") ? "" : "\n"}${rendered}`;
}
