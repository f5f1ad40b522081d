import { transform } from "sucrase";
import { SCRIPT_LINE_OFFSET, type SyntaxProblem } from "./positions.js";

export {
  moduleStatementHint,
  SCRIPT_FILENAME,
  SCRIPT_LINE_OFFSET,
  type SyntaxProblem,
  toUserPositions,
} from "./positions.js";

/**
 * Model-written code to sandbox script (pure). The code is the body of an async function, so
 * top-level `await` and `return` work; TypeScript syntax (types, interfaces, generics, `as`,
 * `satisfies`, enums) is stripped or compiled by sucrase, which keeps line numbers. The wrapper
 * sits on a line of its own: line N of the user's code is line N + 1 of the script.
 */
export type TranspileResult =
  | { readonly ok: true; readonly script: string }
  | { readonly ok: false; readonly problem: SyntaxProblem };

export function toSandboxScript(code: string): TranspileResult {
  const wrapped = `(async () => {\n${code}\n})()`;
  try {
    // Unused imports are kept, so that QuickJS rejects every import (see `moduleStatementHint`)
    // rather than some vanishing unseen.
    const { code: script } = transform(wrapped, {
      transforms: ["typescript"],
      disableESTransforms: true,
      keepUnusedImports: true,
    });
    return { ok: true, script };
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const raw = error instanceof Error ? error.message : String(error);
    const message = raw.replace(/\s*\(\d+:\d+\)\s*$/, "");
    const lines = code.split("\n");
    const line = Math.max(1, (loc?.line ?? 1) - SCRIPT_LINE_OFFSET);
    if (line > lines.length) {
      // The parser only noticed at the wrapper's closing line: the code ended too early.
      const last = lines.length;
      const problem = `${message}: the code ended unexpectedly (an unclosed bracket, brace or string?)`;
      return {
        ok: false,
        problem: { message: problem, line: last, column: (lines[last - 1]?.length ?? 0) + 1 },
      };
    }
    // sucrase reports 1-based columns.
    const column = Math.max(1, loc?.column ?? 1);
    return { ok: false, problem: { message: hintFor(message), line, column } };
  }
}

function hintFor(message: string): string {
  if (/import|export/.test(message)) {
    return `${message} (scripts cannot import or export: use the global \`tools\` object)`;
  }
  return message;
}

/** Scripts remembered by cachedSandboxScript, and the longest code it remembers. */
const CACHE_ENTRIES = 32;
const CACHE_MAX_CODE_CHARS = 16 * 1024;
const cache = new Map<string, TranspileResult>();

/**
 * toSandboxScript, remembering the latest short scripts: a model that runs the same code again
 * (a retry, a poll) does not pay for stripping it again. Same input, same result: the result is
 * plain immutable data.
 */
export function cachedSandboxScript(code: string): TranspileResult {
  const known = cache.get(code);
  if (known !== undefined) {
    // Most recently used last: the first entry is the one to forget.
    cache.delete(code);
    cache.set(code, known);
    return known;
  }
  const result = toSandboxScript(code);
  if (code.length <= CACHE_MAX_CODE_CHARS) {
    cache.set(code, result);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return result;
}
