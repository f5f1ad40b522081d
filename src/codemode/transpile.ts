import { transform } from "sucrase";

/**
 * Model-written code to sandbox script (pure). The code is the body of an async function, so
 * top-level `await` and `return` work; TypeScript syntax (types, interfaces, generics, `as`,
 * `satisfies`, enums) is stripped or compiled by sucrase, which keeps line numbers. The wrapper
 * sits on a line of its own: line N of the user's code is line N + 1 of the script.
 */
export const SCRIPT_FILENAME = "script.ts";
export const SCRIPT_LINE_OFFSET = 1;

export interface SyntaxProblem {
  readonly message: string;
  /** 1-based, in the user's code. */
  readonly line: number;
  /** 1-based, in the user's code. */
  readonly column: number;
}

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

/**
 * The message for a syntax error the engine found at `line` of the user's code: when that line is
 * an `import` or `export` statement (which a script, the body of a function, cannot have), says so.
 */
export function moduleStatementHint(code: string, line: number, message: string): string {
  const statement = /^\s*(import|export)\b(?!\s*[(.])/.exec(code.split("\n")[line - 1] ?? "");
  if (!statement) return message;
  return `\`${statement[1]}\` statements are not supported (scripts cannot import or export: use the global \`tools\` object)`;
}

/** Rewrites `script.ts:LINE:COL` positions in a guest stack to the user's line numbers. */
export function toUserPositions(text: string): string {
  return text.replace(/script\.ts:(\d+)(?::(\d+))?/g, (_, line: string, column: string | undefined) => {
    const userLine = Math.max(1, Number(line) - SCRIPT_LINE_OFFSET);
    return column === undefined ? `line ${userLine}` : `line ${userLine}:${column}`;
  });
}
