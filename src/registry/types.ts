/**
 * The registry after parsing and normalising: what the rest of voidmcp works with.
 * The raw file shape (zod schema) lives in schema.ts; nothing outside registry/ sees it.
 */

export type Exposure = "auto" | "code" | "direct";

export interface ToolFilter {
  /** When set, only these upstream tool names are exposed. */
  readonly allow?: readonly string[];
  /** These upstream tool names are never exposed (applied after allow). */
  readonly deny?: readonly string[];
}

interface ServerSpecBase {
  /** The key in `mcpServers`. */
  readonly name: string;
  readonly enabled: boolean;
  /** Prefix for exposed names; defaults to `name`; "" mounts the server's names unprefixed. */
  readonly prefix: string;
  /** Per-call timeout for this server's tool calls. */
  readonly timeoutMs: number;
  readonly tools: ToolFilter;
  /**
   * A lazy server is started once to learn what it offers, stopped after `idleTimeoutMs`
   * without calls (its listing stays in the catalogue), and started again by the next call.
   */
  readonly lazy: boolean;
  readonly idleTimeoutMs: number;
  /** The largest single answer accepted from this server; unset means the gateway's default (64 MiB). */
  readonly maxResponseBytes?: number;
  /**
   * The roots (`file://` URIs) this server is told when it asks `roots/list`, whoever the client
   * is; absent when the entry sets none (then only a lone stdio client's own roots are relayed).
   */
  readonly roots?: readonly string[];
  /**
   * By upstream tool name: what clients see instead (a name under the prefix, used as it is, and
   * or a description). Absent when the entry sets none.
   */
  readonly overrides?: Readonly<Record<string, ToolOverride>>;
  /**
   * The protocol era pinned for this server: "legacy" (the `initialize` handshake, 2025-11-25 and
   * older) or "modern" (2026-07-28: `server/discover`, per-request metadata). Absent means "auto":
   * the era is detected the way the specification tells a dual-era client to.
   */
  readonly protocol?: "legacy" | "modern";
}

export interface ToolOverride {
  /** The tool's name under the server's prefix; checked against the name rules when parsed. */
  readonly name?: string;
  readonly description?: string;
}

/**
 * A named subset of the gateway, chosen by `serve --profile NAME` or the URL `/mcp/NAME`: every
 * part optional; what it leaves out is as absent to its clients as a tool that does not exist.
 */
export interface ProfileSpec {
  readonly name: string;
  /** Only these servers; every server when absent. */
  readonly servers?: readonly string[];
  /** Globs on `<server>.<upstream tool name>`: when set, only matching tools. */
  readonly allow?: readonly ToolPattern[];
  /** Globs on `<server>.<upstream tool name>`: never these (applied after allow). */
  readonly deny?: readonly ToolPattern[];
  /** Overrides the registry's `expose` for this profile's clients. */
  readonly expose?: Exposure;
}

/** `<server>.<tool>` split at its first dot (server names have none); either side may hold `*`. */
export interface ToolPattern {
  readonly key: string;
  readonly server: string;
  readonly tool: string;
}

export interface StdioServerSpec extends ServerSpecBase {
  readonly transport: "stdio";
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the gateway's own environment; values may hold `${VAR}` until expanded. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
}

export interface RemoteServerSpec extends ServerSpecBase {
  /** "http" is Streamable HTTP (falling back to legacy SSE when that is all the server speaks). */
  readonly transport: "http" | "sse";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sign-in settings from the entry's `oauth` object, when it has one. */
  readonly oauth?: OAuthSettings;
}

/** A remote server's `oauth` object: a pre-registered client, scopes, a client metadata document. */
export interface OAuthSettings {
  readonly clientId?: string;
  /** May hold `${VAR}` until expanded. */
  readonly clientSecret?: string;
  readonly scopes?: readonly string[];
  readonly redirectPort?: number;
  readonly clientMetadataUrl?: string;
}

export type ServerSpec = StdioServerSpec | RemoteServerSpec;

export interface GatewaySettings {
  readonly expose: Exposure;
  /** The longest exposed tool or prompt name (DEFAULT_NAME_BUDGET = 64 - "mcp__voidmcp__".length). */
  readonly nameBudget: number;
  /** By name, in file order. */
  readonly profiles: Readonly<Record<string, ProfileSpec>>;
  /** How long the first tools/resources/prompts list waits for upstreams that are still starting. */
  readonly firstListWaitMs: number;
  /** Default per-call timeout when a server sets none. */
  readonly callTimeoutMs: number;
  /** How servers that stop unexpectedly are restarted. */
  readonly restart: RestartPolicy;
  /** How often a ready server is pinged to detect a hang; 0 turns it off. */
  readonly healthCheckMs: number;
  /** Gateway-wide Code Mode limits the file sets; the sandbox's defaults fill the rest. */
  readonly codeMode: CodeModeSettings;
  /** allow / confirm / deny for every tool call, direct or from a script. */
  readonly policy: PolicySettings;
  /** The Streamable HTTP front (`serve --http`), when the file sets it; defaults otherwise. */
  readonly http?: HttpSettings;
}

export type PolicyDecision = "allow" | "confirm" | "deny";

/** One `rules` entry: globs (`*` = any run of characters) on the server name and the upstream tool name. */
export interface PolicyRule {
  /** The key as written, `<server>.<tool>`: what messages and the audit log name. */
  readonly key: string;
  readonly server: string;
  readonly tool: string;
  readonly decision: PolicyDecision;
}

export interface PolicySettings {
  /** For a tool no rule matches whose annotations decide nothing. */
  readonly default: PolicyDecision;
  /** For a tool with no annotations at all. */
  readonly unannotated: PolicyDecision;
  /** For a tool annotated `destructiveHint: true` (and not read-only). */
  readonly destructive: PolicyDecision;
  /** How long a confirmation waits for the person before the call is refused. */
  readonly confirmTimeoutMs: number;
  readonly rules: readonly PolicyRule[];
}

export const DEFAULT_CONFIRM_TIMEOUT_MS = 300_000;

export const DEFAULT_POLICY: PolicySettings = {
  default: "allow",
  unannotated: "allow",
  destructive: "confirm",
  confirmTimeoutMs: DEFAULT_CONFIRM_TIMEOUT_MS,
  rules: [],
};

export interface HttpSettings {
  /** Sessions kept at most; opening one more ends the one idle the longest. */
  readonly maxSessions: number;
}

/** The `codeMode` object: every key optional, each checked against its range when parsed. */
export interface CodeModeSettings {
  readonly timeoutMs?: number;
  readonly maxTimeoutMs?: number;
  readonly memoryMb?: number;
  readonly stackKb?: number;
  readonly maxToolCalls?: number;
  readonly maxCodeBytes?: number;
  readonly maxOutputBytes?: number;
  readonly maxLogBytes?: number;
  readonly maxConcurrentRuns?: number;
  readonly maxQueuedRuns?: number;
  /** A script's return value larger than this (as JSON) leaves as a result handle (default 64 KB). */
  readonly handleBytes?: number;
  /** How long a result handle stays readable (default 30 minutes). */
  readonly handleTtlMs?: number;
}

export interface RestartPolicy {
  /** Consecutive quick failures before a server is marked failed and left alone. */
  readonly maxAttempts: number;
  /** Delay before the first retry; doubled for each further one (with jitter), up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface Registry {
  /** Absolute path of the file this came from (it may not exist: then the registry is empty). */
  readonly path: string;
  readonly exists: boolean;
  readonly version: number;
  readonly settings: GatewaySettings;
  /** In file order. */
  readonly servers: readonly ServerSpec[];
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };
export const DEFAULT_HEALTH_CHECK_MS = 30_000;
export const DEFAULT_FIRST_LIST_WAIT_MS = 5_000;
export const DEFAULT_MAX_SESSIONS = 1_000;
export const REGISTRY_VERSION = 1;
