import { visit } from "jsonc-parser";
import { VoidError } from "../core/index.js";
import { stripJsonComments } from "./jsonc.js";
import { lineColumnAt } from "./line-column.js";

export interface ParseJsonOptions {
  /** What to do, when the syntax error itself suggests nothing better. */
  readonly hint?: string;
  /** Accept `//` and `/* *\/` comments (JSON with comments). Default false. */
  readonly comments?: boolean;
  /** Accept a comma before `}` or `]`. Default false. */
  readonly trailingCommas?: boolean;
}

/**
 * Reasons for jsonc-parser's ParseErrorCode values that describe a bad token on their own. The
 * others (a token where another kind was expected) are worded from where the parser was, see
 * `expectation`. No reason quotes the text, which may hold secrets (a token in a header, or the
 * first bytes of whatever file a symbolic link points at).
 */
const TOKEN_REASONS: Readonly<Record<number, string>> = {
  2: "invalid number",
  10: "comments are not allowed",
  11: "unterminated comment",
  12: "unterminated string",
  13: "incomplete number",
  14: "invalid \\u escape in a string",
  15: "invalid escape in a string",
  16: "control character in a string (write it as an escape)",
};

const CLOSE_BRACE_EXPECTED = 7;
const CLOSE_BRACKET_EXPECTED = 8;

/** What the parser expects next inside a container. */
type Expecting = "first-key" | "key" | "colon" | "value" | "first-value" | "after-value";

interface Container {
  readonly kind: "object" | "array";
  expecting: Expecting;
}

/** What was expected where the parser stopped, in words. `undefined` is the top level. */
function expectation(container: Container | undefined, rootDone: boolean): string {
  if (container === undefined) {
    return rootDone ? "unexpected text after the end of the value" : "expected a value";
  }
  const close = container.kind === "object" ? '"}"' : '"]"';
  switch (container.expecting) {
    case "first-key":
      return 'expected a property name in double quotes or "}"';
    case "key":
      return "expected a property name in double quotes";
    case "colon":
      return 'expected ":" after the property name';
    case "first-value":
      return 'expected a value or "]"';
    case "value":
      return "expected a value";
    case "after-value":
      return `expected "," or ${close}`;
    default: {
      const exhaustive: never = container.expecting;
      return exhaustive;
    }
  }
}

interface SyntaxProblem {
  readonly offset: number;
  readonly reason: string;
}

/** The first syntax error jsonc-parser finds under `options`, or undefined when it finds none. */
function firstSyntaxError(text: string, options: ParseJsonOptions): SyntaxProblem | undefined {
  const stack: Container[] = [];
  // jsonc-parser ends a container before it reports the missing "}" or "]" (at the end of text).
  let ended: Container | undefined;
  let rootDone = false;
  let problem: SyntaxProblem | undefined;
  const stop = Symbol("stop");
  const valueDone = () => {
    const parent = stack.at(-1);
    if (parent === undefined) rootDone = true;
    else parent.expecting = "after-value";
  };
  try {
    visit(
      text,
      {
        onObjectBegin: () => void stack.push({ kind: "object", expecting: "first-key" }),
        onArrayBegin: () => void stack.push({ kind: "array", expecting: "first-value" }),
        onObjectEnd: () => {
          ended = stack.pop();
          valueDone();
        },
        onArrayEnd: () => {
          ended = stack.pop();
          valueDone();
        },
        onLiteralValue: valueDone,
        onObjectProperty: () => {
          const top = stack.at(-1);
          if (top !== undefined) top.expecting = "colon";
        },
        onSeparator: (character) => {
          const top = stack.at(-1);
          if (top === undefined) return;
          if (character === ":") top.expecting = "value";
          else top.expecting = top.kind === "object" ? "key" : "value";
        },
        onError: (code, offset) => {
          const missingClose = code === CLOSE_BRACE_EXPECTED || code === CLOSE_BRACKET_EXPECTED;
          const expected = missingClose ? expectation(ended, false) : expectation(stack.at(-1), rootDone);
          const atEnd = text.slice(offset).trim() === "";
          const reason = TOKEN_REASONS[code] ?? (atEnd ? `unexpected end of text; ${expected}` : expected);
          problem = { offset, reason };
          throw stop;
        },
      },
      {
        disallowComments: options.comments !== true,
        allowTrailingComma: options.trailingCommas === true,
        allowEmptyContent: false,
      },
    );
  } catch (error) {
    if (error !== stop && !(error instanceof RangeError)) throw error;
  }
  return problem;
}

/**
 * JSON.parse (of the text with comments and trailing commas blanked, when allowed) with an error
 * a person can act on: `file:line:col: invalid JSON: <what was expected>`. The message never
 * quotes the text. A leading byte-order mark is ignored. Throws VoidError("registry_invalid").
 */
export function parseJsonText(text: string, file: string, options: ParseJsonOptions = {}): unknown {
  // Same length, so offsets into the text stay right.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const plain =
    options.comments === true || options.trailingCommas === true
      ? stripJsonComments(source, {
          comments: options.comments === true,
          trailingCommas: options.trailingCommas === true,
        })
      : source;
  try {
    return JSON.parse(plain) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const problem = firstSyntaxError(source, options) ?? {
      // The two parsers disagree (or the text nests too deep): Node's position, none of its words.
      offset: Number(/at position (\d+)/.exec(error.message)?.[1] ?? source.length),
      reason: "not valid JSON",
    };
    // An error at the end points past trailing whitespace; the end of the last content reads better.
    const offset = Math.min(problem.offset, source.trimEnd().length);
    const { line, column } = lineColumnAt(source, offset);
    throw new VoidError("registry_invalid", `${file}:${line}:${column}: invalid JSON: ${problem.reason}`, {
      hint: syntaxHint(source, offset, options) ?? options.hint ?? "fix the JSON syntax at that spot",
    });
  }
}

function syntaxHint(text: string, offset: number, options: ParseJsonOptions): string | undefined {
  const here = text.charAt(offset);
  const before = text.slice(0, offset).trimEnd().slice(-1);
  if (options.trailingCommas !== true && before === "," && (here === "}" || here === "]")) {
    return "JSON does not allow a trailing comma; remove the comma before it";
  }
  if (options.comments !== true && here === "/") return "JSON does not allow comments; remove them";
  if (here === "'") return "JSON strings use double quotes";
  return undefined;
}
