/**
 * Where things are in the script the sandbox runs versus the code the model wrote (pure). The
 * code is wrapped on a line of its own (see transpile.ts): line N of the user's code is line
 * N + 1 of the script. Kept apart from the transpiler so the gateway's thread, which only maps
 * positions back, does not load it.
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
