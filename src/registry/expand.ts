import { VoidError } from "../core/index.js";
import { isHttpUrl } from "./http-url.js";
import type { Substitution } from "./redact.js";
import type { RemoteServerSpec, ServerSpec, StdioServerSpec } from "./types.js";

/**
 * `${secret:NAME}`, `${NAME}` or `${NAME:-default}`; the default runs to the first `}` and is not
 * expanded itself. A secret has no default: a missing one is an error that says how to set it.
 */
const REFERENCE = /\$\{(?:secret:([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g;

/** Only these `${secret:NAME}` references are read, so that other fields are not scanned by accident. */
const SECRET_REFERENCE = /\$\{secret:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The values of named secrets, looked up synchronously: the caller reads the credential store
 * first (see secretReferences) and hands expansion what it found. Undefined: not stored.
 */
export type SecretLookup = (name: string) => string | undefined;

interface Missing {
  readonly field: string;
  readonly variable: string;
}

/**
 * Where `${secret:NAME}` is expanded: env values, header values and the url. Never command, args
 * or cwd, since an argv is visible to every user of the machine (`ps`).
 */
type SecretPlace = "allowed" | "refused";

/**
 * Expands one string. `${NAME}` takes the variable's value (an empty value is kept);
 * `${NAME:-default}` takes the default when the variable is unset or empty, as in sh;
 * `${secret:NAME}` takes the stored secret. Anything else (`$NAME`, `$$`, `${input:x}`, an
 * unclosed `${`) is left as written. Results are not scanned again, so a value that contains
 * `${...}` stays literal.
 */
function expandString(
  value: string,
  context: ExpandContext,
  field: string,
  found: Found,
  place: SecretPlace,
): string {
  return value.replace(
    REFERENCE,
    (whole, secret: string | undefined, name: string | undefined, fallback: string | undefined) => {
      if (secret !== undefined) {
        if (place === "refused") {
          found.refusedSecrets.push({ field, variable: secret });
          return whole;
        }
        const stored = context.secret?.(secret);
        if (stored === undefined) {
          found.missingSecrets.push({ field, variable: secret });
          return whole;
        }
        found.used.push({ name: `secret:${secret}`, value: stored });
        return stored;
      }
      const variable = name as string;
      const set = context.env[variable];
      if (fallback !== undefined && (set === undefined || set === "")) return fallback;
      if (set === undefined) {
        found.missing.push({ field, variable });
        return whole;
      }
      found.used.push({ name: variable, value: set });
      return set;
    },
  );
}

interface ExpandContext {
  readonly env: Environment;
  readonly secret: SecretLookup | undefined;
}

/** What expansion met on the way: references it could not resolve, and the values it put in. */
interface Found {
  readonly missing: Missing[];
  readonly missingSecrets: Missing[];
  readonly refusedSecrets: Missing[];
  readonly used: Substitution[];
}

/**
 * Pure: the names of the secrets `spec` references where they are expanded (env values, header
 * values, url), each once, in order. What to read from the credential store before connecting.
 */
export function secretReferences(spec: ServerSpec): string[] {
  const texts =
    spec.transport === "stdio" ? Object.values(spec.env) : [spec.url, ...Object.values(spec.headers)];
  const names = new Set<string>();
  for (const text of texts)
    for (const match of text.matchAll(SECRET_REFERENCE)) names.add(match[1] as string);
  return [...names];
}

function expandRecord(
  record: Readonly<Record<string, string>>,
  context: ExpandContext,
  field: string,
  found: Found,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = expandString(value, context, `${field}.${key}`, found, "allowed");
  }
  return out;
}

/**
 * Pure: a copy of `spec` with `${VAR}` references expanded from `env` in command, args, env
 * values, cwd, url and header values (names and keys are never expanded), and `${secret:NAME}`
 * from `secret` in env values, header values and the url. Done at connect time, so secrets need
 * not live in the file.
 *
 * Throws VoidError("registry_invalid") naming the server, the fields and the names when a
 * variable without a default is unset or a secret is not stored (all of them at once), when a
 * secret is referenced where it would be visible on a command line, or when the expanded url is
 * not an http(s) URL. Messages never include expanded values.
 */
export function expandServer(spec: StdioServerSpec, env: Environment, secret?: SecretLookup): StdioServerSpec;
export function expandServer(
  spec: RemoteServerSpec,
  env: Environment,
  secret?: SecretLookup,
): RemoteServerSpec;
export function expandServer(spec: ServerSpec, env: Environment, secret?: SecretLookup): ServerSpec;
export function expandServer(spec: ServerSpec, env: Environment, secret?: SecretLookup): ServerSpec {
  return expandTracked(spec, env, secret).spec;
}

/** An expanded server, with the environment values that went into it. */
export interface Expansion<S extends ServerSpec = ServerSpec> {
  readonly spec: S;
  /**
   * Every `${NAME}` replaced by a variable's value and every `${secret:NAME}` by the secret (named
   * `secret:NAME`); defaults written in the file are not listed: they are in the file already. Text built from `spec` must go through redactValues with
   * these before it leaves the process.
   */
  readonly substitutions: readonly Substitution[];
}

/** expandServer, also saying which values it put in (for redacting them from messages). */
export function expandTracked(spec: ServerSpec, env: Environment, secret?: SecretLookup): Expansion {
  const found: Found = { missing: [], missingSecrets: [], refusedSecrets: [], used: [] };
  const context: ExpandContext = { env, secret };
  if (spec.transport === "stdio") {
    const expanded = expandStdio(spec, context, found);
    throwIfMissing(spec.name, found);
    return { spec: expanded, substitutions: found.used };
  }
  const expanded = expandRemote(spec, context, found);
  throwIfMissing(spec.name, found);
  if (!isHttpUrl(expanded.url)) {
    throw new VoidError(
      "registry_invalid",
      `server "${spec.name}": url ${JSON.stringify(spec.url)} does not expand to an http:// or https:// URL`,
      { hint: "check the url and the variables it uses" },
    );
  }
  return { spec: expanded, substitutions: found.used };
}

function throwIfMissing(server: string, found: Found): void {
  if (found.refusedSecrets.length > 0) {
    const list = found.refusedSecrets
      .map(({ field, variable }) => `\${secret:${variable}} in ${field}`)
      .join(", ");
    throw new VoidError(
      "registry_invalid",
      `server "${server}": secrets are not expanded in command, args or cwd (every user can read a command line): ${list}`,
      { hint: "pass the secret in env (or a header) and let the server read it from there" },
    );
  }
  throwIfMissingVariables(server, found.missing);
  const missing = found.missingSecrets;
  if (missing.length === 0) return;
  const list = missing.map(({ field, variable }) => `\${secret:${variable}} in ${field}`).join(", ");
  const names = [...new Set(missing.map((m) => m.variable))];
  throw new VoidError(
    "registry_invalid",
    `server "${server}": ${names.length === 1 ? "secret" : "secrets"} not stored: ${list}`,
    { hint: names.map((name) => `run \`voidmcp secret set ${name}\``).join(", then ") },
  );
}

function throwIfMissingVariables(server: string, missing: readonly Missing[]): void {
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

function expandStdio(spec: StdioServerSpec, context: ExpandContext, found: Found): StdioServerSpec {
  return {
    ...spec,
    command: expandString(spec.command, context, "command", found, "refused"),
    args: spec.args.map((arg, i) => expandString(arg, context, `args[${i}]`, found, "refused")),
    env: expandRecord(spec.env, context, "env", found),
    cwd: spec.cwd === undefined ? undefined : expandString(spec.cwd, context, "cwd", found, "refused"),
  };
}

function expandRemote(spec: RemoteServerSpec, context: ExpandContext, found: Found): RemoteServerSpec {
  return {
    ...spec,
    url: expandString(spec.url, context, "url", found, "allowed"),
    headers: expandRecord(spec.headers, context, "headers", found),
    ...(spec.oauth === undefined
      ? {}
      : {
          oauth: {
            ...spec.oauth,
            ...(spec.oauth.clientSecret === undefined
              ? {}
              : {
                  clientSecret: expandString(
                    spec.oauth.clientSecret,
                    context,
                    "oauth.clientSecret",
                    found,
                    "allowed",
                  ),
                }),
          },
        }),
  };
}
