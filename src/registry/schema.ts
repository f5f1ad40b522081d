import { isAbsolute } from "node:path";
import * as z from "zod";
import {
  isValidServerName,
  MAX_NAME_BUDGET,
  MIN_NAME_BUDGET,
  PREFIX_SEPARATOR,
  SERVER_NAME_PATTERN,
} from "../core/index.js";
import { kindOf } from "../formats/index.js";
import { crossIssues } from "./cross-checks.js";
import { isHttpUrl } from "./http-url.js";
import { REGISTRY_VERSION } from "./types.js";

/**
 * The raw registry file, as written by hand or by the CLI. `mcpServers` entries use the shape
 * Claude Desktop, Cursor and Claude Code use; voidmcp's own options sit beside them. Unknown keys
 * are allowed everywhere except inside `tools` (a typo there would silently widen what is exposed)
 * and are preserved by edits. Values may still hold `${VAR}` here; expansion happens at connect time.
 */

/** setTimeout treats anything above 2^31-1 ms as 1 ms, so timeouts are capped there. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** The largest single answer a server may be allowed to send (`maxResponseBytes`). */
export const MAX_RESPONSE_BYTES = 1024 ** 3;

/** The `type` values an entry may carry; "streamable-http" is the same as "http". */
export type RawTransportType = "stdio" | "http" | "sse" | "streamable-http";

/** One `mcpServers` entry as it is written in the file. The CLI builds these for `voidmcp add`. */
export interface RawServerEntry {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  type?: RawTransportType;
  enabled?: boolean;
  /** Cline's spelling: `disabled: true` means `enabled: false`. */
  disabled?: boolean;
  tools?: { allow?: string[]; deny?: string[] };
  prefix?: string;
  timeoutMs?: number;
  /** Stop the server after `idleTimeoutMs` without calls; start it again on the next call. */
  lazy?: boolean;
  idleTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Absolute paths (`~` allowed) or `file://` URIs: what the server is told `roots/list` returns. */
  roots?: string[];
  /** Per upstream tool name: the name (under the server's prefix) and/or description clients see. */
  overrides?: Record<string, { name?: string; description?: string }>;
  /** How `voidmcp auth` signs in to a remote server (OAuth 2.1); tokens never go here. */
  oauth?: RawOAuthSettings;
  /** Which MCP protocol era to speak to this server: detect it (the default), or pin one. */
  protocol?: "auto" | "legacy" | "modern";
  [key: string]: unknown;
}

/**
 * A remote server's sign-in settings. All optional: without them voidmcp discovers everything and
 * registers itself dynamically. `clientSecret` may hold `${VAR}` like headers.
 */
export interface RawOAuthSettings {
  /** A client registered beforehand with the server's authorization server. */
  clientId?: string;
  clientSecret?: string;
  /** Scopes to ask for; default: what the server's 401 or metadata names. */
  scopes?: string[];
  /** The loopback port of the redirect URI a pre-registered client was registered with. */
  redirectPort?: number;
  /** An https URL serving this client's metadata document (client ID metadata documents). */
  clientMetadataUrl?: string;
}

/** The whole file as a plain JSON object: key order and unknown keys are kept as read. */
export interface RegistryDocument {
  version?: number;
  mcpServers?: Record<string, RawServerEntry>;
  [key: string]: unknown;
}

/** An error message function: "expected <what>, got <kind of input>". */
function expected(what: string) {
  return (issue: { input?: unknown }) => `expected ${what}, got ${kindOf(issue.input)}`;
}

const stringValue = z.string({ error: expected("a string") });
const stringArray = z.array(stringValue, { error: expected("an array of strings") });
const stringRecord = z.record(z.string(), stringValue, { error: expected("an object of strings") });
const nonEmptyString = z
  .string({ error: expected("a non-empty string") })
  .refine((value) => value.trim() !== "", { error: "expected a non-empty string" });
const timeoutMs = z
  .int({ error: expected("a whole number of milliseconds") })
  .positive({ error: "expected a positive number of milliseconds" })
  .max(MAX_TIMEOUT_MS, { error: `expected at most ${MAX_TIMEOUT_MS} milliseconds` });

const NAME_RULE = `${SERVER_NAME_PATTERN.source} without "${PREFIX_SEPARATOR}"`;

export const serverNameSchema = z.string().refine(isValidServerName, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid server name: expected ${NAME_RULE}`,
});

const prefixSchema = z
  .string({ error: expected("a string") })
  .refine((value) => value === "" || SERVER_NAME_PATTERN.test(value), {
    error: `expected "" or a prefix matching ${SERVER_NAME_PATTERN.source}`,
  });

const toolFilterSchema = z.strictObject(
  { allow: stringArray.optional(), deny: stringArray.optional() },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "tools takes only allow and deny"
        : expected("an object with allow and/or deny")(issue),
  },
);

/**
 * A root as written: an absolute path, `~` or `~/…`, or a `file://` URI of an absolute path. A
 * relative path is refused: relative to what would depend on where the gateway was started.
 */
export function isRootSpelling(value: string): boolean {
  if (value === "~" || value.startsWith("~/")) return true;
  if (value.startsWith("file:")) {
    if (!value.startsWith("file:///") && !value.startsWith("file://localhost/")) return false;
    try {
      const url = new URL(value);
      return (
        url.protocol === "file:" &&
        url.pathname.startsWith("/") &&
        (url.host === "" || url.host === "localhost")
      );
    } catch {
      return false;
    }
  }
  return isAbsolute(value);
}

const rootsSchema = z.array(
  z.string({ error: expected("a string") }).refine(isRootSpelling, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a root: expected an absolute path, "~/…" or a file:// URI`,
  }),
  { error: expected("an array of absolute paths or file:// URIs") },
);

/**
 * Per upstream tool: what clients see instead of its name and/or description. Strict, because a
 * misspelt key would silently do nothing. Whether the name fits the rules depends on the
 * server's prefix and the file's nameBudget, so it is checked with the whole file (cross-checks.ts).
 */
const overridesSchema = z.record(
  z.string().min(1, { error: "expected the upstream name of a tool" }),
  z.strictObject(
    {
      name: z.string({ error: expected("a string") }).optional(),
      description: z.string({ error: expected("a string") }).optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? "an override takes only name and description"
          : expected("an object with name and/or description")(issue),
    },
  ),
  { error: expected('an object of "<tool>": { "name": …, "description": … }') },
);

const oauthSchema = z.strictObject(
  {
    clientId: nonEmptyString.optional(),
    clientSecret: nonEmptyString.optional(),
    scopes: stringArray.optional(),
    redirectPort: z
      .int({ error: expected("a port number") })
      .min(1, { error: "expected a port from 1 to 65535" })
      .max(65_535, { error: "expected a port from 1 to 65535" })
      .optional(),
    clientMetadataUrl: z
      .string({ error: expected("an https:// URL") })
      .refine((value) => value.startsWith("https://") && isHttpUrl(value), {
        error: "expected an https:// URL",
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "oauth takes only clientId, clientSecret, scopes, redirectPort and clientMetadataUrl"
        : expected("an object")(issue),
  },
);

const REMOTE_TYPES: readonly string[] = ["http", "sse", "streamable-http"];

/** Checks run once every field has the right type: one transport, consistent with `type`. */
function checkEntry(entry: z.infer<typeof entryFields>, ctx: z.RefinementCtx): void {
  const hasCommand = entry.command !== undefined;
  const hasUrl = entry.url !== undefined;
  if (hasCommand && hasUrl) {
    ctx.addIssue({
      code: "custom",
      path: [],
      params: { at: "key" },
      message:
        "has both command and url; expected exactly one (command for a local server, url for a remote one)",
    });
  } else if (!hasCommand && !hasUrl) {
    ctx.addIssue({
      code: "custom",
      path: [],
      params: { at: "key" },
      message: "expected command (a local stdio server) or url (a remote server)",
    });
  }
  if (entry.type !== undefined) {
    if (hasCommand && !hasUrl && REMOTE_TYPES.includes(entry.type)) {
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: `type "${entry.type}" needs url, but the entry has command; use type "stdio" or drop type`,
      });
    }
    if (hasUrl && !hasCommand && entry.type === "stdio") {
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: `type "stdio" needs command, but the entry has url; use type "http" or "sse"`,
      });
    }
  }
  // A url with ${VAR} in it can only be checked after expansion (see expand.ts).
  if (entry.url !== undefined && !entry.url.includes("${") && !isHttpUrl(entry.url)) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "expected an http:// or https:// URL" });
  }
  if (entry.oauth !== undefined && hasCommand && !hasUrl) {
    ctx.addIssue({
      code: "custom",
      path: ["oauth"],
      message: "oauth is for remote servers (url); this entry has command",
    });
  }
  if (entry.oauth?.clientSecret !== undefined && entry.oauth.clientId === undefined) {
    ctx.addIssue({ code: "custom", path: ["oauth", "clientSecret"], message: "clientSecret needs clientId" });
  }
  if (entry.enabled === true && entry.disabled === true) {
    ctx.addIssue({
      code: "custom",
      path: ["disabled"],
      message: "disabled: true contradicts enabled: true; keep only one of them",
    });
  }
}

const entryFields = z.looseObject(
  {
    command: nonEmptyString.optional(),
    args: stringArray.optional(),
    env: stringRecord.optional(),
    cwd: stringValue.optional(),
    url: nonEmptyString.optional(),
    headers: stringRecord.optional(),
    type: z
      .enum(["stdio", "http", "sse", "streamable-http"], {
        error: expected('"stdio", "http", "sse" or "streamable-http"'),
      })
      .optional(),
    enabled: z.boolean({ error: expected("true or false") }).optional(),
    disabled: z.boolean({ error: expected("true or false") }).optional(),
    tools: toolFilterSchema.optional(),
    prefix: prefixSchema.optional(),
    timeoutMs: timeoutMs.optional(),
    lazy: z.boolean({ error: expected("true or false") }).optional(),
    idleTimeoutMs: timeoutMs.optional(),
    maxResponseBytes: z
      .int({ error: expected("a whole number of bytes") })
      .min(1024, { error: "expected at least 1024 bytes" })
      .max(MAX_RESPONSE_BYTES, { error: `expected at most ${MAX_RESPONSE_BYTES} bytes (1 GiB)` })
      .optional(),
    roots: rootsSchema.optional(),
    overrides: overridesSchema.optional(),
    oauth: oauthSchema.optional(),
    protocol: z
      .enum(["auto", "legacy", "modern"], { error: expected('"auto", "legacy" or "modern"') })
      .optional(),
  },
  { error: expected("an object describing the server") },
);

export const serverEntrySchema = entryFields.superRefine(checkEntry);

const wholeNumber = (min: number, max: number, unit: string) =>
  z
    .int({ error: expected(`a whole number of ${unit}`) })
    .min(min, { error: `expected at least ${min} ${unit}` })
    .max(max, { error: `expected at most ${max} ${unit}` });

/**
 * Code Mode limits. Each one is optional (the sandbox's defaults fill the gaps); a value of the
 * wrong type or out of range is a rejected edit like any other. Unknown keys are kept, so a file
 * written for a later voidmcp still loads.
 */
export const codeModeSchema = z.looseObject(
  {
    timeoutMs: wholeNumber(1, 3_600_000, "milliseconds").optional(),
    maxTimeoutMs: wholeNumber(1, 3_600_000, "milliseconds").optional(),
    memoryMb: wholeNumber(8, 1024, "MB").optional(),
    stackKb: wholeNumber(64, 1024, "KB").optional(),
    maxToolCalls: wholeNumber(1, 100_000, "calls").optional(),
    maxCodeBytes: wholeNumber(1, 10_000_000, "bytes").optional(),
    maxOutputBytes: wholeNumber(1, 100_000_000, "bytes").optional(),
    maxLogBytes: wholeNumber(1, 10_000_000, "bytes").optional(),
    maxConcurrentRuns: wholeNumber(1, 64, "runs").optional(),
    maxQueuedRuns: wholeNumber(0, 10_000, "runs").optional(),
    handleBytes: wholeNumber(1, 100_000_000, "bytes").optional(),
    handleTtlMs: wholeNumber(1_000, 86_400_000, "milliseconds").optional(),
  },
  { error: expected("an object") },
);

const decisionSchema = z.enum(["allow", "confirm", "deny"], {
  error: expected('"allow", "confirm" or "deny"'),
});

/** `<server>.<tool>`, each side a name or a `*` glob; the tool side matches the upstream's own name. */
const RULE_KEY = /^[A-Za-z0-9_*-]+\.[^\s]+$/;

/**
 * Who may call what, read only from this file (nothing a script or a model sends can change it):
 * `rules` first (the most specific match wins), then the tool's annotations, then `default`.
 */
const policySchema = z.strictObject(
  {
    default: decisionSchema.optional(),
    unannotated: decisionSchema.optional(),
    destructive: decisionSchema.optional(),
    confirmTimeoutMs: timeoutMs.optional(),
    rules: z
      .record(
        z.string().regex(RULE_KEY, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a rule: expected "<server>.<tool>", either side may use * globs`,
        }),
        decisionSchema,
        { error: expected('an object of "<server>.<tool>": "allow" | "confirm" | "deny"') },
      )
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "policy takes only default, unannotated, destructive, confirmTimeoutMs and rules"
        : expected("an object")(issue),
  },
);

const exposeSchema = z.enum(["auto", "code", "direct"], { error: expected('"auto", "code" or "direct"') });

/** `<server>.<tool>` globs, as policy rules write them; the tool side is the upstream's own name. */
const toolGlobs = z.array(
  z.string().regex(RULE_KEY, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a tool pattern: expected "<server>.<tool>", either side may use * globs`,
  }),
  { error: expected('an array of "<server>.<tool>" patterns') },
);

/**
 * A named subset of the gateway for one client or project (`serve --profile NAME`, `/mcp/NAME`).
 * Every key is optional; strict, because a misspelt key would silently widen what is exposed.
 */
const profileSchema = z.strictObject(
  {
    servers: z.array(stringValue, { error: expected("an array of server names") }).optional(),
    tools: z
      .strictObject(
        { allow: toolGlobs.optional(), deny: toolGlobs.optional() },
        {
          error: (issue) =>
            issue.code === "unrecognized_keys"
              ? "a profile's tools take only allow and deny"
              : expected("an object with allow and/or deny")(issue),
        },
      )
      .optional(),
    expose: exposeSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "a profile takes only servers, tools and expose"
        : expected("an object")(issue),
  },
);

export const profileNameSchema = z.string().refine(isValidServerName, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid profile name: expected ${NAME_RULE}`,
});

const registryFields = z.looseObject(
  {
    version: z
      .literal(REGISTRY_VERSION, {
        error: `expected ${REGISTRY_VERSION} (the only version this voidmcp reads)`,
      })
      .optional(),
    expose: exposeSchema.optional(),
    nameBudget: wholeNumber(MIN_NAME_BUDGET, MAX_NAME_BUDGET, "characters").optional(),
    profiles: z
      .record(profileNameSchema, profileSchema, { error: expected("an object of named profiles") })
      .optional(),
    codeMode: codeModeSchema.optional(),
    policy: policySchema.optional(),
    firstListWaitMs: z
      .int({ error: expected("a whole number of milliseconds") })
      .nonnegative({ error: "expected zero or a positive number of milliseconds" })
      .max(MAX_TIMEOUT_MS, { error: `expected at most ${MAX_TIMEOUT_MS} milliseconds` })
      .optional(),
    callTimeoutMs: timeoutMs.optional(),
    restart: z
      .strictObject(
        {
          maxAttempts: z
            .int({ error: expected("a whole number") })
            .min(0)
            .max(100)
            .optional(),
          baseDelayMs: timeoutMs.optional(),
          maxDelayMs: timeoutMs.optional(),
        },
        {
          error: (issue) =>
            issue.code === "unrecognized_keys"
              ? "restart takes only maxAttempts, baseDelayMs and maxDelayMs"
              : expected("an object")(issue),
        },
      )
      .optional(),
    healthCheckMs: z
      .int({ error: expected("a whole number of milliseconds") })
      .nonnegative({ error: "expected zero (off) or a positive number of milliseconds" })
      .max(MAX_TIMEOUT_MS, { error: `expected at most ${MAX_TIMEOUT_MS} milliseconds` })
      .optional(),
    http: z
      .looseObject(
        { maxSessions: wholeNumber(1, 1_000_000, "sessions").optional() },
        { error: expected("an object") },
      )
      .optional(),
    mcpServers: z
      .record(serverNameSchema, serverEntrySchema, { error: expected("an object of named servers") })
      .optional(),
  },
  { error: expected("a JSON object at the top level") },
);

/** The fields of the whole file, before the checks that need more than one of them. */
export type RegistryFields = z.infer<typeof registryFields>;

/**
 * The whole file: every field, then what only the whole file can tell (profiles that name
 * servers it does not register, overrides that break the name rules or collide; cross-checks.ts).
 */
export const registryFileSchema = registryFields.superRefine((file, ctx) => {
  for (const issue of crossIssues(file)) {
    ctx.addIssue({ code: "custom", path: [...issue.path], message: issue.message });
  }
});

export type RegistryFile = z.infer<typeof registryFileSchema>;
export type ParsedServerEntry = z.infer<typeof serverEntrySchema>;
