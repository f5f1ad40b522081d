import { VoidError } from "../core/index.js";
import { findJsonSyntaxError, lineColumnAt } from "./json-locate.js";

/**
 * JSON.parse with an error a person can act on: `file:line:col: invalid JSON: <reason>`.
 * The reason never quotes the text (Node's message does, and the text may hold secrets).
 * A leading byte-order mark is ignored. Throws VoidError("registry_invalid").
 */
export function parseJsonText(text: string, file: string, hint?: string): unknown {
  // Same length, so offsets into the text stay right.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const offset = syntaxErrorOffset(source, error.message);
    const { line, column } = lineColumnAt(source, offset);
    throw new VoidError(
      "registry_invalid",
      `${file}:${line}:${column}: invalid JSON: ${reasonOf(error.message)}`,
      {
        hint: syntaxHint(source, offset) ?? hint ?? "fix the JSON syntax at that spot",
        cause: error,
      },
    );
  }
}

function syntaxErrorOffset(text: string, message: string): number {
  const match = /at position (\d+)/.exec(message);
  const offset = match?.[1] !== undefined ? Number(match[1]) : (findJsonSyntaxError(text) ?? text.length);
  // "Unexpected end" points past trailing whitespace; the end of the last content reads better.
  return Math.min(offset, text.trimEnd().length);
}

/** Node's message without the position (given as line:col instead) and without the quoted text. */
function reasonOf(message: string): string {
  const reason = message
    .replace(/\s+(?:in JSON )?at position \d+.*$/s, "")
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "")
    .replace(/^Unexpected end of JSON input$/, "unexpected end of text");
  return escapeControls(reason);
}

/** Control characters (Node may name a line break as the unexpected token) written as JSON escapes. */
function escapeControls(text: string): string {
  let out = "";
  for (const char of text) out += char < " " ? JSON.stringify(char).slice(1, -1) : char;
  return out;
}

function syntaxHint(text: string, offset: number): string | undefined {
  const here = text.charAt(offset);
  const before = text.slice(0, offset).trimEnd().slice(-1);
  if (before === "," && (here === "}" || here === "]")) {
    return "JSON does not allow a trailing comma; remove the comma before it";
  }
  if (here === "/") return "JSON does not allow comments; remove them";
  if (here === "'") return "JSON strings use double quotes";
  return undefined;
}
