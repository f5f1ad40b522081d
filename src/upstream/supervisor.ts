import type { CompleteRequestParams, LoggingLevel } from "@modelcontextprotocol/client";
import { describeError, Listeners, type Logger, VoidError } from "../core/index.js";
import type { RestartPolicy, ServerSpec } from "../registry/index.js";
import {
  type CallOptions,
  type ConnectionDeps,
  type UpstreamStatus as SessionStatus,
  UpstreamConnection,
  type UpstreamListing,
} from "./connection.js";
import { nextRestartDelay } from "./restart-policy.js";

/**
 * A registered server's life, across sessions:
 * - "starting" → "ready": a session is up;
 * - "restarting": the session ended (crash, dropped connection, failed health check) and a new
 *   one starts after a backoff; the server's tools stay in the catalogue and calls fail fast;
 * - "failed": it failed `maxAttempts` times in a row without staying up, or failed in a way a
 *   retry cannot fix (a missing command, a variable not set, credentials refused);
 * - "idle": a lazy server stopped after `idleTimeoutMs` without calls; the next call starts it;
 * - "disabled", "closed".
 */
export type UpstreamState = "disabled" | "starting" | "ready" | "restarting" | "failed" | "idle" | "closed";

export interface UpstreamStatus extends Omit<SessionStatus, "state"> {
  readonly state: UpstreamState;
  /** Sessions started after the first. */
  readonly restarts: number;
  /** Milliseconds the current session has been ready. */
  readonly uptimeMs: number | undefined;
  /** When the next restart is due (ms from now), while restarting. */
  readonly retryInMs: number | undefined;
  readonly lazy: boolean;
}

export interface SupervisorOptions {
  /** Restart sessions that end, ping ready ones, stop idle lazy ones. Off for one-shot commands. */
  readonly heal: boolean;
  readonly restart: RestartPolicy;
  /** 0 turns health checks off. */
  readonly healthCheckMs: number;
}

/** A session that stayed ready this long ends the run of quick failures. */
const STABLE_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;

const EMPTY_LISTING: UpstreamListing = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

/**
 * Keeps one registered server available: starts it, restarts it with exponential backoff and
 * jitter when its session ends, pings it to catch hangs, stops and restarts it when lazy, and
 * routes calls to the live session. Never throws from start(); every failure is in status().
 */
export class UpstreamSupervisor {
  readonly spec: ServerSpec;
  private readonly deps: ConnectionDeps;
  private readonly options: SupervisorOptions;
  private readonly log: Logger;
  private session: UpstreamConnection | undefined;
  private current: UpstreamState;
  private lastError: string | undefined;
  private lastListing: UpstreamListing = EMPTY_LISTING;
  private restarts = 0;
  private sessions = 0;
  private quickFailures = 0;
  private readyAt: number | undefined;
  private retryAt: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastUsed = Date.now();
  private inFlight = 0;
  private settled: Promise<void> = Promise.resolve();
  private readonly listeners: Listeners;

  constructor(spec: ServerSpec, deps: ConnectionDeps, options: SupervisorOptions) {
    this.spec = spec;
    this.deps = deps;
    this.options = options;
    this.log = deps.log.child(spec.name);
    this.listeners = new Listeners((error) =>
      this.log.error(`change listener failed: ${describeError(error)}`),
    );
    this.current = spec.enabled ? "starting" : "disabled";
  }

  get name(): string {
    return this.spec.name;
  }

  get state(): UpstreamState {
    return this.current;
  }

  /** What the server offers: kept while it restarts or idles, empty once it failed. */
  get listing(): UpstreamListing {
    switch (this.current) {
      case "ready":
        return this.session?.listing ?? this.lastListing;
      case "restarting":
      case "idle":
        return this.lastListing;
      case "starting":
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
    const session = this.session?.status();
    return {
      name: this.spec.name,
      transport: this.spec.transport,
      state: this.current,
      error: this.lastError,
      startMs: session?.startMs,
      pid: this.current === "ready" ? session?.pid : undefined,
      serverInfo: session?.serverInfo,
      toolCount: this.listing.tools.length,
      restarts: this.restarts,
      uptimeMs:
        this.current === "ready" && this.readyAt !== undefined ? Date.now() - this.readyAt : undefined,
      retryInMs:
        this.current === "restarting" && this.retryAt !== undefined
          ? Math.max(0, this.retryAt - Date.now())
          : undefined,
      lazy: this.spec.lazy,
    };
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** Resolves when the current start attempt has ended (ready, failed or waiting to retry). */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  start(): Promise<void> {
    if (this.current === "disabled" || this.current === "closed") return this.settled;
    this.clearTimers();
    const session = new UpstreamConnection(this.spec, this.deps);
    this.session = session;
    if (this.sessions > 0) this.restarts += 1;
    this.sessions += 1;
    this.setState("starting");
    session.onChange(() => this.onSession(session));
    this.settled = session.start();
    return this.settled;
  }

  private onSession(session: UpstreamConnection): void {
    if (session !== this.session || this.current === "closed") return;
    switch (session.state) {
      case "ready":
        this.lastListing = session.listing;
        if (this.current !== "ready") {
          this.readyAt = Date.now();
          this.lastError = undefined;
          this.lastUsed = Date.now();
          this.setState("ready");
          this.scheduleHealthCheck();
          this.scheduleIdleCheck();
        } else {
          this.emit();
        }
        return;
      case "failed":
        this.sessionEnded(session.status().error ?? "the session ended", session.failedPermanently);
        return;
      case "starting":
      case "disabled":
      case "closed":
        return;
      default: {
        const exhaustive: never = session.state;
        void exhaustive;
      }
    }
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
        await session.close();
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
  private async sessionForCall(): Promise<UpstreamConnection> {
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
      case "disabled":
        return new VoidError("upstream_unavailable", `server "${name}" is disabled in the registry`);
      case "closed":
        return new VoidError("upstream_unavailable", `server "${name}" has been stopped`);
      default:
        return new VoidError("upstream_unavailable", `server "${name}" is ${this.current}`);
    }
  }

  private async tracked<T>(run: (session: UpstreamConnection) => Promise<T>): Promise<T> {
    const session = await this.sessionForCall();
    this.inFlight += 1;
    try {
      return await run(session);
    } finally {
      this.inFlight -= 1;
      this.lastUsed = Date.now();
    }
  }

  callTool(name: string, args: Record<string, unknown> | undefined, options: CallOptions = {}) {
    return this.tracked((session) => session.callTool(name, args, options));
  }

  readResource(uri: string, options: CallOptions = {}) {
    return this.tracked((session) => session.readResource(uri, options));
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options: CallOptions = {}) {
    return this.tracked((session) => session.getPrompt(name, args, options));
  }

  complete(params: CompleteRequestParams, options: CallOptions = {}) {
    return this.tracked((session) => session.complete(params, options));
  }

  subscribe(uri: string, subscribe: boolean) {
    return this.tracked((session) => session.subscribe(uri, subscribe));
  }

  setLogLevel(level: LoggingLevel) {
    return this.tracked((session) => session.setLogLevel(level));
  }

  /** What the live session's server declared (undefined while it is not ready). */
  serverCapabilities() {
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
    this.listeners.clear();
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.healthTimer, this.idleTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = undefined;
    this.healthTimer = undefined;
    this.idleTimer = undefined;
    this.retryAt = undefined;
  }

  private setState(state: UpstreamState): void {
    this.current = state;
    this.emit();
  }

  private emit(): void {
    this.listeners.emit();
  }
}
