import { createScanner } from "jsonc-parser";

/** jsonc-parser's SyntaxKind values used here (its enum is `const`, which erasable TS cannot import). */
const CLOSE_BRACE = 2;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
const LINE_BREAK = 14;
const TRIVIA = 15;
const EOF = 17;

export interface BlankOptions {
  /** Blank `//` and `/* *\/` comments (default true). */
  readonly comments?: boolean;
  /** Blank commas right before `}` or `]` (default true). */
  readonly trailingCommas?: boolean;
}

/**
 * JSON with comments (VS Code's mcp.json and settings.json, a commented servers.json) to plain
 * JSON: `//` and `/* *\/` comments outside strings and trailing commas before `}` or `]` are
 * replaced by spaces. Line breaks stay, and so does the length, so offsets and line:col in the
 * result match the input. Tokens come from jsonc-parser's scanner; text that is not JSON is
 * blanked as far as the scanner makes out comments and commas in it.
 */
export function stripJsonComments(text: string, options: BlankOptions = {}): string {
  const comments = options.comments ?? true;
  const trailingCommas = options.trailingCommas ?? true;
  const scanner = createScanner(text, false);
  const blanks: Array<[number, number]> = [];
  let pendingComma: number | undefined;
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    const end = start + scanner.getTokenLength();
    if (kind === LINE_COMMENT || kind === BLOCK_COMMENT) {
      if (comments) blanks.push([start, end]);
      continue;
    }
    if (kind === LINE_BREAK || kind === TRIVIA) continue;
    if (pendingComma !== undefined && (kind === CLOSE_BRACE || kind === CLOSE_BRACKET)) {
      blanks.push([pendingComma, pendingComma + 1]);
    }
    pendingComma = kind === COMMA && trailingCommas ? start : undefined;
  }
  if (blanks.length === 0) return text;
  blanks.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end] of blanks) {
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]/g, " ");
    at = end;
  }
  return out + text.slice(at);
}
