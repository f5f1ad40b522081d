import type {
  CallToolResult,
  CompleteRequestParams,
  CompleteResult,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  ReadResourceResult,
  ServerCapabilities,
} from "@modelcontextprotocol/client";
import { describeError, type Logger, VoidError } from "../core/index.js";
import type { ServerSpec } from "../registry/index.js";
import { type ProtocolEra, protocolSetting, rememberAfterConnect } from "./era.js";
import { findNeedsAuth, tokensKey } from "./oauth/index.js";
import { nextRestartDelay } from "./restart-policy.js";
import { isPermanentFailure, UpstreamSession } from "./session.js";
import {
  type CallOptions,
  type ConnectionDeps,
  EMPTY_LISTING,
  type SupervisorOptions,
  type UpstreamListing,
  type UpstreamState,
  type UpstreamStatus,
} from "./types.js";

/** A session that stayed ready this long ends the run of quick failures. */
const STABLE_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;
/**
 * While a server needs sign-in, how often the credential store is read for new tokens (one small
 * read per server, only in that state), so `voidmcp auth` in another terminal takes effect
 * without a restart.
 */
const NEEDS_AUTH_POLL_MS = 1_000;

/**
 * One registered server, the only state machine of its life (states: see UpstreamState). It
 * starts a session, restarts it with exponential backoff and jitter when it ends, gives up after
 * `maxAttempts` quick failures in a row (at once for failures a retry cannot fix), pings a ready
 * session to catch hangs, stops a lazy server when idle and wakes it on the next call, and routes
 * calls to the live session. start() never throws; every failure is in status().
 *
 * Listing contract: once a server has been ready, its last listing stays through restarting,
 * idle and the next starting, until a new session lists something else (or the server fails for
 * good, is disabled or closed). Clients therefore see no gap and no list_changed when a server
 * restarts and comes back with the same tools.
 *
 * `changed` is called after every change of state or listing.
 */
export class UpstreamServer {
  readonly spec: ServerSpec;
  private readonly deps: ConnectionDeps;
  private readonly options: SupervisorOptions;
  private readonly changed: () => void;
  private readonly log: Logger;
  private session: UpstreamSession | undefined;
  private current: UpstreamState;
  private lastError: string | undefined;
  /** The listing of the last session that was ready; undefined until one was. */
  private lastListing: UpstreamListing | undefined;
  private lastStartMs: number | undefined;
  private lastServerInfo: Implementation | undefined;
  private lastEra: ProtocolEra | undefined;
  private lastProtocolVersion: string | undefined;
  /**
   * The era this entry's server was found to speak, when it is kept beyond one session (see
   * rememberAfterConnect). It lives as long as this object, that is until the entry changes.
   */
  private rememberedEra: ProtocolEra | undefined;
  private restarts = 0;
  private sessions = 0;
  private quickFailures = 0;
  private readyAt: number | undefined;
  private retryAt: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  /** Why the server needs sign-in, with the command that fixes it (state needs-auth). */
  private authError: VoidError | undefined;
  private lastUsed = Date.now();
  private inFlight = 0;
  private settled: Promise<void> = Promise.resolve();

  constructor(spec: ServerSpec, deps: ConnectionDeps, options: SupervisorOptions, changed: () => void) {
    this.spec = spec;
    this.deps = deps;
    this.options = options;
    this.changed = changed;
    this.log = deps.log.child(spec.name);
    this.current = spec.enabled ? "starting" : "disabled";
  }

  get name(): string {
    return this.spec.name;
  }

  get state(): UpstreamState {
    return this.current;
  }

  /** What the server offers: kept while it restarts, idles or starts again; empty once it failed. */
  get listing(): UpstreamListing {
    switch (this.current) {
      case "ready":
      case "restarting":
      case "idle":
      case "starting":
      case "needs-auth":
        return this.lastListing ?? EMPTY_LISTING;
      case "failed":
      case "disabled":
      case "closed":
        return EMPTY_LISTING;
      default: {
        const exhaustive: never = this.current;
        return exhaustive;
      }
    }
  }

  status(): UpstreamStatus {
    const ready = this.current === "ready";
    return {
      name: this.spec.name,
      transport: this.spec.transport,
      state: this.current,
      error: this.lastError,
      startMs: this.lastStartMs,
      pid: ready ? this.session?.pid : undefined,
      serverInfo: this.lastServerInfo,
      era: this.lastEra,
      protocolVersion: this.lastProtocolVersion,
      protocol: protocolSetting(this.spec),
      toolCount: this.listing.tools.length,
      restarts: this.restarts,
      uptimeMs: ready && this.readyAt !== undefined ? Date.now() - this.readyAt : undefined,
      retryInMs:
        this.current === "restarting" && this.retryAt !== undefined
          ? Math.max(0, this.retryAt - Date.now())
          : undefined,
      lazy: this.spec.lazy,
    };
  }

  /** Resolves when the current start attempt has ended (ready, failed or waiting to retry). */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  /** Starts a new session in the background; the returned promise never rejects. */
  start(): Promise<void> {
    if (this.current === "disabled" || this.current === "closed") return this.settled;
    this.clearTimers();
    const remembered = this.rememberedEra;
    const session: UpstreamSession = new UpstreamSession(
      this.spec,
      this.deps,
      {
        closed: (reason, permanent) => {
          if (session !== this.session || this.current !== "ready") return;
          this.session = undefined;
          this.sessionEnded(reason, permanent);
        },
        listChanged: (listing) => {
          if (session !== this.session || this.current !== "ready") return;
          this.lastListing = listing;
          this.changed();
        },
        needsAuth: (error) => {
          if (session !== this.session || this.current !== "ready") return;
          this.session = undefined;
          this.needsAuth(error);
        },
      },
      remembered,
    );
    this.session = session;
    if (this.sessions > 0) this.restarts += 1;
    this.sessions += 1;
    this.setState("starting");
    this.settled = session.connect().then(
      (listing) => this.sessionReady(session, listing),
      (error: unknown) => {
        // A verdict that did not lead to a session may be stale: the next start finds out again.
        if (session === this.session && remembered !== undefined) this.rememberedEra = undefined;
        this.sessionFailed(session, error);
      },
    );
    return this.settled;
  }

  private sessionReady(session: UpstreamSession, listing: UpstreamListing): void {
    if (session !== this.session || this.current === "closed") {
      void session.close();
      return;
    }
    this.lastListing = listing;
    this.lastStartMs = session.startMs;
    this.lastServerInfo = session.serverInfo;
    this.lastEra = session.era;
    this.lastProtocolVersion = session.protocolVersion;
    const outcome = session.outcome;
    if (outcome)
      this.rememberedEra = rememberAfterConnect(this.spec.transport, outcome) ?? this.rememberedEra;
    this.readyAt = Date.now();
    this.lastError = undefined;
    this.lastUsed = Date.now();
    this.setState("ready");
    this.scheduleHealthCheck();
    this.scheduleIdleCheck();
  }

  private sessionFailed(session: UpstreamSession, error: unknown): void {
    if (session !== this.session || this.current === "closed") return;
    this.session = undefined;
    const needsAuth = findNeedsAuth(error);
    if (needsAuth) {
      this.needsAuth(needsAuth);
      return;
    }
    const message = describeError(error);
    this.log.warn(`failed to start: ${message}`);
    this.sessionEnded(message, isPermanentFailure(error));
  }

  /**
   * The sign-in is missing, revoked or refused: no retry can fix that, only the person. While
   * serving, the store is watched and the server starts again once new tokens are stored. The
   * gateway never opens a browser itself.
   */
  private needsAuth(error: VoidError): void {
    this.clearTimers();
    this.readyAt = undefined;
    this.authError = error;
    this.lastError = describeError(error);
    this.log.warn(this.lastError);
    this.setState("needs-auth");
    const oauth = this.deps.oauth;
    if (!this.options.heal || !oauth) return;
    const key = tokensKey(this.spec.name);
    void oauth.store.get(key).then(
      (before) => {
        const poll = () => {
          if (this.current !== "needs-auth") return;
          oauth.store.get(key).then(
            (now) => {
              if (this.current !== "needs-auth") return;
              if (now !== undefined && now !== before) {
                this.log.info("new sign-in found: starting again");
                void this.start();
                return;
              }
              this.authTimer = setTimeout(poll, NEEDS_AUTH_POLL_MS);
              this.authTimer.unref();
            },
            () => {
              this.authTimer = setTimeout(poll, NEEDS_AUTH_POLL_MS);
              this.authTimer.unref();
            },
          );
        };
        if (this.current !== "needs-auth") return;
        this.authTimer = setTimeout(poll, NEEDS_AUTH_POLL_MS);
        this.authTimer.unref();
      },
      () => {},
    );
  }

  /** A session failed to start or ended: restart it later, or give up. */
  private sessionEnded(reason: string, permanent: boolean): void {
    this.clearTimers();
    const wasStable = this.readyAt !== undefined && Date.now() - this.readyAt >= STABLE_MS;
    if (wasStable) this.quickFailures = 0;
    this.readyAt = undefined;
    this.lastError = reason;
    this.quickFailures += 1;
    if (!this.options.heal || permanent || this.quickFailures > this.options.restart.maxAttempts) {
      if (this.options.heal && !permanent) {
        this.log.error(`gave up after ${this.quickFailures} failures in a row; last: ${reason}`);
      }
      this.setState("failed");
      return;
    }
    const delay = nextRestartDelay(this.options.restart, this.quickFailures, Math.random());
    this.retryAt = Date.now() + delay;
    this.log.warn(
      `${reason}; restarting in ${delay} ms (attempt ${this.quickFailures} of ${this.options.restart.maxAttempts})`,
    );
    this.retryTimer = setTimeout(() => void this.start(), delay);
    this.retryTimer.unref();
    this.setState("restarting");
  }

  private scheduleHealthCheck(): void {
    if (!this.options.heal || this.options.healthCheckMs <= 0) return;
    const session = this.session;
    this.healthTimer = setTimeout(async () => {
      if (session !== this.session || this.current !== "ready" || !session) return;
      try {
        await session.ping(PING_TIMEOUT_MS);
        if (session === this.session && this.current === "ready") this.scheduleHealthCheck();
      } catch (error) {
        if (session !== this.session || this.current !== "ready") return;
        const reason = `did not answer a health check ping (${describeError(error)})`;
        this.log.warn(reason);
        this.session = undefined;
        await session.close();
        if (this.current !== "ready") return;
        this.sessionEnded(reason, false);
      }
    }, this.options.healthCheckMs);
    this.healthTimer.unref();
  }

  private scheduleIdleCheck(): void {
    if (!this.options.heal || !this.spec.lazy) return;
    const check = () => {
      if (this.current !== "ready") return;
      const idleFor = Date.now() - this.lastUsed;
      if (this.inFlight === 0 && idleFor >= this.spec.idleTimeoutMs) {
        void this.sleep();
        return;
      }
      this.idleTimer = setTimeout(check, Math.max(1000, this.spec.idleTimeoutMs - idleFor));
      this.idleTimer.unref();
    };
    this.idleTimer = setTimeout(check, this.spec.idleTimeoutMs);
    this.idleTimer.unref();
  }

  /** Stops a lazy server that has been idle; its listing stays for the catalogue. */
  private async sleep(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.clearTimers();
    this.readyAt = undefined;
    this.log.info(`idle for ${this.spec.idleTimeoutMs} ms: stopping it until the next call`);
    this.setState("idle");
    await session?.close();
  }

  /** The live session for a call: wakes an idle lazy server and waits for one that is starting. */
  private async sessionForCall(): Promise<UpstreamSession> {
    if (this.current === "idle") void this.start();
    if (this.current === "starting") await this.settled;
    const session = this.session;
    if (this.current === "ready" && session) {
      this.lastUsed = Date.now();
      return session;
    }
    throw this.unavailable();
  }

  private unavailable(): VoidError {
    const name = this.spec.name;
    switch (this.current) {
      case "restarting": {
        const retry =
          this.retryAt !== undefined ? `; next try in ${Math.max(0, this.retryAt - Date.now())} ms` : "";
        return new VoidError(
          "upstream_unavailable",
          `server "${name}" is restarting after: ${this.lastError}${retry}`,
        );
      }
      case "failed":
        return new VoidError(
          "upstream_unavailable",
          `server "${name}" failed: ${this.lastError ?? "unknown error"}`,
          {
            hint: "fix the server or its registry entry (saving the registry restarts it), then check with `voidmcp list`",
          },
        );
      case "needs-auth":
        return this.authError ?? new VoidError("upstream_unavailable", `server "${name}" needs sign-in`);
      case "disabled":
        return new VoidError("upstream_unavailable", `server "${name}" is disabled in the registry`);
      case "closed":
        return new VoidError("upstream_unavailable", `server "${name}" has been stopped`);
      default:
        return new VoidError("upstream_unavailable", `server "${name}" is ${this.current}`);
    }
  }

  private async tracked<T>(run: (session: UpstreamSession) => Promise<T>): Promise<T> {
    const session = await this.sessionForCall();
    this.inFlight += 1;
    try {
      return await run(session);
    } finally {
      this.inFlight -= 1;
      this.lastUsed = Date.now();
    }
  }

  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    return this.tracked((session) => session.callTool(name, args, options));
  }

  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.tracked((session) => session.readResource(uri, options));
  }

  getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    options: CallOptions = {},
  ): Promise<GetPromptResult> {
    return this.tracked((session) => session.getPrompt(name, args, options));
  }

  complete(params: CompleteRequestParams, options: CallOptions = {}): Promise<CompleteResult> {
    return this.tracked((session) => session.complete(params, options));
  }

  subscribe(uri: string, subscribe: boolean): Promise<void> {
    return this.tracked((session) => session.subscribe(uri, subscribe));
  }

  setLogLevel(level: LoggingLevel): Promise<void> {
    return this.tracked((session) => session.setLogLevel(level));
  }

  /** What the live session's server declared (undefined while it is not ready). */
  serverCapabilities(): ServerCapabilities | undefined {
    return this.current === "ready" ? this.session?.serverCapabilities() : undefined;
  }

  /** Calls in progress on this server (for a graceful shutdown). */
  get busy(): number {
    return this.inFlight;
  }

  /** Stops the server and its processes for good. Idempotent. */
  async close(): Promise<void> {
    if (this.current === "closed") return;
    this.clearTimers();
    this.setState("closed");
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.healthTimer, this.idleTimer, this.authTimer]) {
      if (timer) clearTimeout(timer);
    }
    this.authTimer = undefined;
    this.retryTimer = undefined;
    this.healthTimer = undefined;
    this.idleTimer = undefined;
    this.retryAt = undefined;
  }

  private setState(state: UpstreamState): void {
    this.current = state;
    this.changed();
  }
}
