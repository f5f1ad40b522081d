import { VoidError } from "../core/index.js";
import { isHttpUrl } from "./http-url.js";
import type { Substitution } from "./redact.js";
import type { RemoteServerSpec, ServerSpec, StdioServerSpec } from "./types.js";

/** `${NAME}` or `${NAME:-default}`; the default runs to the first `}` and is not expanded itself. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

interface Missing {
  readonly field: string;
  readonly variable: string;
}

/**
 * Expands one string. `${NAME}` takes the variable's value (an empty value is kept);
 * `${NAME:-default}` takes the default when the variable is unset or empty, as in sh. Anything
 * else (`$NAME`, `$$`, `${input:x}`, an unclosed `${`) is left as written. Results are not
 * scanned again, so a value that contains `${...}` stays literal.
 */
function expandString(value: string, env: Environment, field: string, found: Found): string {
  return value.replace(REFERENCE, (whole, name: string, fallback: string | undefined) => {
    const set = env[name];
    if (fallback !== undefined && (set === undefined || set === "")) return fallback;
    if (set === undefined) {
      found.missing.push({ field, variable: name });
      return whole;
    }
    found.used.push({ name, value: set });
    return set;
  });
}

/** What expansion met on the way: references it could not resolve, and the values it put in. */
interface Found {
  readonly missing: Missing[];
  readonly used: Substitution[];
}

function expandRecord(
  record: Readonly<Record<string, string>>,
  env: Environment,
  field: string,
  found: Found,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = expandString(value, env, `${field}.${key}`, found);
  }
  return out;
}

/**
 * Pure: a copy of `spec` with `${VAR}` references expanded from `env` in command, args, env
 * values, cwd, url and header values (names and keys are never expanded). Done at connect time,
 * so secrets need not live in the file.
 *
 * Throws VoidError("registry_invalid") naming the server, the fields and the variables when a
 * variable without a default is unset (all of them at once), or when the expanded url is not an
 * http(s) URL. Messages never include expanded values.
 */
export function expandServer(spec: StdioServerSpec, env: Environment): StdioServerSpec;
export function expandServer(spec: RemoteServerSpec, env: Environment): RemoteServerSpec;
export function expandServer(spec: ServerSpec, env: Environment): ServerSpec;
export function expandServer(spec: ServerSpec, env: Environment): ServerSpec {
  return expandTracked(spec, env).spec;
}

/** An expanded server, with the environment values that went into it. */
export interface Expansion<S extends ServerSpec = ServerSpec> {
  readonly spec: S;
  /**
   * Every `${NAME}` replaced by a variable's value (defaults written in the file are not listed:
   * they are in the file already). Text built from `spec` must go through redactValues with
   * these before it leaves the process.
   */
  readonly substitutions: readonly Substitution[];
}

/** expandServer, also saying which values it put in (for redacting them from messages). */
export function expandTracked(spec: ServerSpec, env: Environment): Expansion {
  const found: Found = { missing: [], used: [] };
  if (spec.transport === "stdio") {
    const expanded = expandStdio(spec, env, found);
    throwIfMissing(spec.name, found.missing);
    return { spec: expanded, substitutions: found.used };
  }
  const expanded = expandRemote(spec, env, found);
  throwIfMissing(spec.name, found.missing);
  if (!isHttpUrl(expanded.url)) {
    throw new VoidError(
      "registry_invalid",
      `server "${spec.name}": url ${JSON.stringify(spec.url)} does not expand to an http:// or https:// URL`,
      { hint: "check the url and the variables it uses" },
    );
  }
  return { spec: expanded, substitutions: found.used };
}

function throwIfMissing(server: string, missing: readonly Missing[]): void {
  if (missing.length === 0) return;
  const list = missing.map(({ field, variable }) => `\${${variable}} in ${field}`).join(", ");
  const names = [...new Set(missing.map((m) => m.variable))];
  throw new VoidError(
    "registry_invalid",
    `server "${server}": ${names.length === 1 ? "variable" : "variables"} not set: ${list}`,
    {
      hint: `set ${names.join(", ")} in the environment voidmcp runs in, or write \${${names[0]}:-default} in the registry`,
    },
  );
}

function expandStdio(spec: StdioServerSpec, env: Environment, found: Found): StdioServerSpec {
  return {
    ...spec,
    command: expandString(spec.command, env, "command", found),
    args: spec.args.map((arg, i) => expandString(arg, env, `args[${i}]`, found)),
    env: expandRecord(spec.env, env, "env", found),
    cwd: spec.cwd === undefined ? undefined : expandString(spec.cwd, env, "cwd", found),
  };
}

function expandRemote(spec: RemoteServerSpec, env: Environment, found: Found): RemoteServerSpec {
  return {
    ...spec,
    url: expandString(spec.url, env, "url", found),
    headers: expandRecord(spec.headers, env, "headers", found),
    ...(spec.oauth === undefined
      ? {}
      : {
          oauth: {
            ...spec.oauth,
            ...(spec.oauth.clientSecret === undefined
              ? {}
              : { clientSecret: expandString(spec.oauth.clientSecret, env, "oauth.clientSecret", found) }),
          },
        }),
  };
}
