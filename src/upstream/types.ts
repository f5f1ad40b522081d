import type {
  ClientCapabilities,
  Implementation,
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from "@modelcontextprotocol/client";
import type { Logger } from "../core/index.js";
import type { RestartPolicy, ServerSpec } from "../registry/index.js";
import type { ProtocolEra, ProtocolSetting } from "./era.js";
import type { OAuthContext } from "./oauth/index.js";

/**
 * A registered server's life, across sessions:
 * - "starting" → "ready": a session is up;
 * - "restarting": the session ended (crash, dropped connection, failed health check) and a new
 *   one starts after a backoff; the server's tools stay in the catalogue and calls fail fast;
 * - "failed": it failed `maxAttempts` times in a row without staying up, or failed in a way a
 *   retry cannot fix (a missing command, a variable not set, credentials refused);
 * - "idle": a lazy server stopped after `idleTimeoutMs` without calls; the next call starts it;
 * - "needs-auth": a remote server's OAuth sign-in is missing, revoked or refused; its calls fail
 *   at once saying `voidmcp auth <server>`; while serving, it starts again by itself as soon as
 *   new credentials are stored (that command, run anywhere);
 * - "disabled", "closed".
 */
export type UpstreamState =
  | "disabled"
  | "starting"
  | "ready"
  | "restarting"
  | "failed"
  | "needs-auth"
  | "idle"
  | "closed";

/** What a ready upstream offers, as it listed it (schemas untouched). */
export interface UpstreamListing {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  readonly prompts: readonly Prompt[];
}

export const EMPTY_LISTING: UpstreamListing = {
  tools: [],
  resources: [],
  resourceTemplates: [],
  prompts: [],
};

/** One server as `voidmcp list`, `list_servers` and `voidmcp doctor` show it. */
export interface UpstreamStatus {
  readonly name: string;
  readonly transport: ServerSpec["transport"];
  readonly state: UpstreamState;
  readonly error: string | undefined;
  /** Milliseconds from start to ready, of the last session that became ready. */
  readonly startMs: number | undefined;
  /** The stdio child's pid while ready. */
  readonly pid: number | undefined;
  readonly serverInfo: Implementation | undefined;
  /**
   * The protocol era the last ready session spoke ("legacy": `initialize`, 2025-11-25 and older;
   * "modern": 2026-07-28 and later), and its negotiated version. Kept while the server restarts.
   */
  readonly era: ProtocolEra | undefined;
  readonly protocolVersion: string | undefined;
  /** The registry's `protocol` setting for this server. */
  readonly protocol: ProtocolSetting;
  readonly toolCount: number;
  /** Sessions started after the first. */
  readonly restarts: number;
  /** Milliseconds the current session has been ready. */
  readonly uptimeMs: number | undefined;
  /** When the next restart is due (ms from now), while restarting. */
  readonly retryInMs: number | undefined;
  readonly lazy: boolean;
}

export interface CallOptions {
  /** Aborting sends `notifications/cancelled` upstream and rejects the call. */
  readonly signal?: AbortSignal;
  /** Defaults to the server's `timeoutMs`. */
  readonly timeoutMs?: number;
  readonly onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/**
 * How an upstream reaches the gateway's clients: what it may ask of them (declared as this
 * connection's client capabilities), its requests to them, and its notifications for them.
 * The gateway implements it; upstream knows nothing of downstream clients.
 */
export interface UpstreamRelay {
  /** The capabilities to declare to upstream `server`: what it can use through the gateway. */
  clientCapabilities(server: string): ClientCapabilities;
  /** A request from upstream `server` to a client (sampling, elicitation, roots); raw result. */
  request(
    server: string,
    method: RelayedRequest,
    params: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
  /** A notification from upstream `server` meant for clients (log messages, resources/updated). */
  notify(server: string, method: RelayedNotification, params: Record<string, unknown> | undefined): void;
  /**
   * Calls `changed` whenever `server` should be told `notifications/roots/list_changed`;
   * returns the unsubscribe function. Asked only when roots with listChanged were declared.
   */
  onRootsChanged?(server: string, changed: () => void): () => void;
}

export type RelayedRequest = "sampling/createMessage" | "elicitation/create" | "roots/list";
export type RelayedNotification = "notifications/message" | "notifications/resources/updated";

export interface ConnectionDeps {
  readonly log: Logger;
  /** The gateway's environment: inherited by stdio children and used for `${VAR}` expansion. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Reads the named secrets a server references (`${secret:NAME}`), just before each connect, so
   * a secret set meanwhile is used by the next (re)connect. The map holds the stored ones; a
   * rejection (the store cannot be read) fails that connect. Absent: no secret is stored.
   */
  readonly secrets?: (names: readonly string[]) => Promise<ReadonlyMap<string, string>>;
  readonly clientInfo: Implementation;
  readonly connectTimeoutMs: number;
  readonly relay?: UpstreamRelay;
  /**
   * The largest single message (a response, usually) accepted from an upstream, in bytes, for
   * servers whose registry entry does not set `maxResponseBytes`. Default 64 MiB.
   */
  readonly maxResponseBytes?: number;
  /**
   * The chain of voidmcp gateways this one is part of (see chain.ts), read at every connect and
   * request: sent as X-Voidmcp-Chain to HTTP upstreams and as VOIDMCP_CHAIN to stdio ones.
   */
  readonly chain?: () => string;
  /**
   * Where remote servers' OAuth credentials live (see oauth/). Without it, remote servers only
   * send the registry's headers.
   */
  readonly oauth?: OAuthContext;
}

export interface SupervisorOptions {
  /** Restart sessions that end, ping ready ones, stop idle lazy ones. Off for one-shot commands. */
  readonly heal: boolean;
  readonly restart: RestartPolicy;
  /** 0 turns health checks off. */
  readonly healthCheckMs: number;
}
