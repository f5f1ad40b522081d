import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_NAME_BUDGET } from "../core/index.js";
import { codeModeSchema, type ParsedServerEntry, type RegistryFile } from "./schema.js";
import {
  type CodeModeSettings,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_FIRST_LIST_WAIT_MS,
  DEFAULT_HEALTH_CHECK_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_POLICY,
  DEFAULT_RESTART_POLICY,
  type GatewaySettings,
  type OAuthSettings,
  type PolicySettings,
  type ProfileSpec,
  REGISTRY_VERSION,
  type Registry,
  type ServerSpec,
  type ToolFilter,
  type ToolOverride,
  type ToolPattern,
} from "./types.js";

/**
 * From a schema-checked file to the Registry the rest of voidmcp uses: every default filled in,
 * transport decided, servers in file order (JavaScript object order: keys that look like array
 * indices, such as "7", come first; the name rules allow them, so this is the one exception).
 */
export function normaliseRegistry(file: RegistryFile, path: string, exists: boolean): Registry {
  const settings: GatewaySettings = {
    expose: file.expose ?? "auto",
    nameBudget: file.nameBudget ?? DEFAULT_NAME_BUDGET,
    profiles: profileSpecs(file.profiles),
    firstListWaitMs: file.firstListWaitMs ?? DEFAULT_FIRST_LIST_WAIT_MS,
    callTimeoutMs: file.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    restart: { ...DEFAULT_RESTART_POLICY, ...definedOnly(file.restart ?? {}) },
    healthCheckMs: file.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS,
    codeMode: codeModeSettings(file.codeMode),
    policy: policySettings(file.policy),
    ...(file.http?.maxSessions !== undefined ? { http: { maxSessions: file.http.maxSessions } } : {}),
  };
  const servers = Object.entries(file.mcpServers ?? {}).map(([name, entry]) =>
    normaliseServer(name, entry, settings.callTimeoutMs),
  );
  return { path, exists, version: file.version ?? REGISTRY_VERSION, settings, servers };
}

function normaliseServer(name: string, entry: ParsedServerEntry, defaultTimeoutMs: number): ServerSpec {
  const base = {
    name,
    enabled: entry.enabled ?? entry.disabled !== true,
    prefix: entry.prefix ?? name,
    timeoutMs: entry.timeoutMs ?? defaultTimeoutMs,
    tools: toolFilter(entry.tools),
    lazy: entry.lazy ?? false,
    idleTimeoutMs: entry.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    ...(entry.maxResponseBytes !== undefined ? { maxResponseBytes: entry.maxResponseBytes } : {}),
    ...(entry.roots !== undefined ? { roots: entry.roots.map((root) => rootUri(root, homedir())) } : {}),
    ...(entry.overrides !== undefined ? { overrides: toolOverrides(entry.overrides) } : {}),
    // "auto" is the same as no setting, so writing it out does not restart the server.
    ...(entry.protocol !== undefined && entry.protocol !== "auto" ? { protocol: entry.protocol } : {}),
  };
  // The schema guarantees exactly one of command and url.
  if (entry.url !== undefined) {
    return {
      ...base,
      transport: entry.type === "sse" ? "sse" : "http",
      url: entry.url,
      headers: { ...entry.headers },
      ...(entry.oauth !== undefined ? { oauth: oauthSettings(entry.oauth) } : {}),
    };
  }
  return {
    ...base,
    transport: "stdio",
    command: entry.command ?? "",
    args: [...(entry.args ?? [])],
    env: { ...entry.env },
    cwd: entry.cwd,
  };
}

/** The Code Mode keys voidmcp knows: the schema's, so the two never drift apart. */
const CODE_MODE_KEYS = Object.keys(codeModeSchema.shape) as (keyof typeof codeModeSchema.shape)[];
/**
 * A root as the schema accepted it (absolute path, `~`, `~/…` or `file://` URI) as the `file://`
 * URI an MCP server expects: `~` is the user's home, a URI is kept as written.
 */
export function rootUri(root: string, home: string): string {
  if (root.startsWith("file:")) return root;
  const path = root === "~" ? home : root.startsWith("~/") ? join(home, root.slice(2)) : root;
  return pathToFileURL(path).href;
}

/** The known Code Mode keys that the file sets (unknown keys stay in the file, not in settings). */
function codeModeSettings(raw: RegistryFile["codeMode"]): CodeModeSettings {
  const settings: { -readonly [K in keyof CodeModeSettings]: CodeModeSettings[K] } = {};
  for (const key of CODE_MODE_KEYS) {
    const value = raw?.[key];
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/** The file's policy over the defaults; a rule key splits at its first "." (server names have none). */
export function policySettings(raw: RegistryFile["policy"]): PolicySettings {
  const rules = Object.entries(raw?.rules ?? {}).map(([key, decision]) => {
    const dot = key.indexOf(".");
    return { key, server: key.slice(0, dot), tool: key.slice(dot + 1), decision };
  });
  return {
    default: raw?.default ?? DEFAULT_POLICY.default,
    unannotated: raw?.unannotated ?? DEFAULT_POLICY.unannotated,
    destructive: raw?.destructive ?? DEFAULT_POLICY.destructive,
    confirmTimeoutMs: raw?.confirmTimeoutMs ?? DEFAULT_POLICY.confirmTimeoutMs,
    rules,
  };
}

/** Overrides with only the keys they set (an empty one changes nothing and is dropped). */
function toolOverrides(raw: NonNullable<ParsedServerEntry["overrides"]>): Record<string, ToolOverride> {
  const out: Record<string, ToolOverride> = {};
  for (const [tool, override] of Object.entries(raw)) {
    const kept = definedOnly(override);
    if (Object.keys(kept).length > 0) out[tool] = kept;
  }
  return out;
}

/** The file's profiles, each pattern split at its first "." (server names have none). */
function profileSpecs(raw: RegistryFile["profiles"]): Record<string, ProfileSpec> {
  const patterns = (keys: readonly string[]): ToolPattern[] =>
    keys.map((key) => {
      const dot = key.indexOf(".");
      return { key, server: key.slice(0, dot), tool: key.slice(dot + 1) };
    });
  const out: Record<string, ProfileSpec> = {};
  for (const [name, spec] of Object.entries(raw ?? {})) {
    out[name] = {
      name,
      ...(spec.servers !== undefined ? { servers: [...spec.servers] } : {}),
      ...(spec.tools?.allow !== undefined ? { allow: patterns(spec.tools.allow) } : {}),
      ...(spec.tools?.deny !== undefined ? { deny: patterns(spec.tools.deny) } : {}),
      ...(spec.expose !== undefined ? { expose: spec.expose } : {}),
    };
  }
  return out;
}

function oauthSettings(raw: NonNullable<ParsedServerEntry["oauth"]>): OAuthSettings {
  return definedOnly({
    clientId: raw.clientId,
    clientSecret: raw.clientSecret,
    scopes: raw.scopes === undefined ? undefined : [...raw.scopes],
    redirectPort: raw.redirectPort,
    clientMetadataUrl: raw.clientMetadataUrl,
  }) as OAuthSettings;
}

function toolFilter(tools: ParsedServerEntry["tools"]): ToolFilter {
  const filter: { allow?: readonly string[]; deny?: readonly string[] } = {};
  if (tools?.allow !== undefined) filter.allow = [...tools.allow];
  if (tools?.deny !== undefined) filter.deny = [...tools.deny];
  return filter;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
