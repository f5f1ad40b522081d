import { VoidError } from "../core/index.js";

export type OptionType = "boolean" | "string" | "list";

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly short?: string;
  readonly value?: string;
  readonly description: string;
}

export interface ParseSpec {
  readonly options: readonly OptionSpec[];
  /**
   * Once this many positionals are collected, unknown `--flags` are taken as positionals too
   * (so `voidmcp add files npx -y pkg` passes `-y` to the server). Undefined: never.
   */
  readonly passThroughAfter?: number;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, boolean | string | readonly string[] | undefined>>;
}

/**
 * Parses argv for one command (pure). Options may come before or after positionals; `--name=value`
 * and `--name value` both work; `--` ends options. Unknown options are usage errors, except as
 * `passThroughAfter` allows.
 */
export function parseArgs(argv: readonly string[], spec: ParseSpec): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const option of spec.options) {
    byName.set(`--${option.name}`, option);
    if (option.short) byName.set(`-${option.short}`, option);
  }
  const positionals: string[] = [];
  const options: Record<string, boolean | string | string[] | undefined> = {};
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    i += 1;
    if (arg === "--") {
      positionals.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const key = eq === -1 ? arg : arg.slice(0, eq);
    const option = byName.get(key);
    if (!option) {
      if (spec.passThroughAfter !== undefined && positionals.length >= spec.passThroughAfter) {
        positionals.push(arg);
        continue;
      }
      throw new VoidError("usage", `unknown option ${key}`, { hint: "see --help for the options" });
    }
    if (option.type === "boolean") {
      if (eq !== -1) throw new VoidError("usage", `option --${option.name} takes no value`);
      options[option.name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i];
      if (next === undefined) {
        throw new VoidError("usage", `option --${option.name} needs a value (${option.value ?? "VALUE"})`);
      }
      value = next;
      i += 1;
    }
    if (option.type === "string") {
      options[option.name] = value;
    } else {
      const list = (options[option.name] as string[] | undefined) ?? [];
      list.push(value);
      options[option.name] = list;
    }
  }
  return { positionals, options };
}

/** `K=V` pairs (for --env) into a record; the first `=` splits. */
export function parsePairs(
  values: readonly string[],
  separator: "=" | ":",
  what: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf(separator);
    const key = at === -1 ? "" : value.slice(0, at).trim();
    if (key === "") {
      throw new VoidError("usage", `invalid ${what} "${value}"`, {
        hint: `write it as NAME${separator}VALUE`,
      });
    }
    out[key] = separator === ":" ? value.slice(at + 1).trim() : value.slice(at + 1);
  }
  return out;
}

/**
 * Tool arguments from the command line (pure): one JSON object, or `key=value` pairs. A value is
 * kept as a string when the tool's schema says the property is a string; otherwise it is read
 * as JSON when it parses (numbers, booleans, arrays, objects) and kept as a string when not.
 */
export function parseToolArguments(
  inputs: readonly string[],
  inputSchema: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  if (inputs.length === 0) return {};
  const first = inputs[0] as string;
  if (inputs.length === 1 && first.trimStart().startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(first);
    } catch (error) {
      throw new VoidError("usage", `arguments are not valid JSON: ${(error as Error).message}`, {
        hint: `quote the JSON for your shell, e.g. '{"text":"hi"}'`,
      });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new VoidError("usage", "arguments must be a JSON object");
    }
    return parsed as Record<string, unknown>;
  }
  const properties = (inputSchema?.properties ?? {}) as Record<string, { type?: unknown } | undefined>;
  const out: Record<string, unknown> = {};
  for (const input of inputs) {
    const at = input.indexOf("=");
    if (at <= 0) {
      throw new VoidError("usage", `invalid argument "${input}"`, {
        hint: `write arguments as key=value (e.g. text=hello) or pass one JSON object`,
      });
    }
    const key = input.slice(0, at);
    const raw = input.slice(at + 1);
    const type = properties[key]?.type;
    out[key] = type === "string" || (Array.isArray(type) && type.includes("string")) ? raw : readLoose(raw);
  }
  return out;
}

function readLoose(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
