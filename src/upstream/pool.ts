import { describeError, Listeners, type Logger } from "../core/index.js";
import type { ServerSpec } from "../registry/index.js";
import { UpstreamServer } from "./server.js";
import type { ConnectionDeps, SupervisorOptions } from "./types.js";

export interface PoolDeps extends ConnectionDeps {
  readonly supervision: SupervisorOptions;
}

/**
 * Every registered server, by name, in the order they were added. Starting is fire-and-forget:
 * a slow or broken server never holds up the others or the caller. `onChange` names the one
 * server whose state or listing changed, or that was added or removed.
 */
export class UpstreamPool {
  private readonly servers = new Map<string, UpstreamServer>();
  private readonly listeners: Listeners<[string]>;
  private closed = false;

  private readonly deps: PoolDeps;
  private supervision: SupervisorOptions;

  constructor(deps: PoolDeps) {
    this.deps = deps;
    this.supervision = deps.supervision;
    this.listeners = new Listeners((error) =>
      deps.log.error(`upstream change listener failed: ${describeError(error)}`),
    );
  }

  /** New restart and health-check settings, for servers added from now on. */
  setSupervision(supervision: SupervisorOptions): void {
    this.supervision = supervision;
  }

  get log(): Logger {
    return this.deps.log;
  }

  /** Adds `spec` and starts it in the background. A server of the same name is stopped and replaced. */
  add(spec: ServerSpec): UpstreamServer {
    if (this.closed) throw new Error("the upstream pool is closed");
    const previous = this.servers.get(spec.name);
    if (previous) void previous.close();
    const server: UpstreamServer = new UpstreamServer(spec, this.deps, this.supervision, () => {
      if (this.servers.get(spec.name) === server) this.emit(spec.name);
    });
    this.servers.set(spec.name, server);
    void server.start();
    this.emit(spec.name);
    return server;
  }

  /** Stops and forgets a server (its processes too). */
  async remove(name: string): Promise<void> {
    const server = this.servers.get(name);
    if (!server) return;
    this.servers.delete(name);
    await server.close();
    this.emit(name);
  }

  get(name: string): UpstreamServer | undefined {
    return this.servers.get(name);
  }

  all(): UpstreamServer[] {
    return [...this.servers.values()];
  }

  /**
   * Waits until every server has finished starting (ready, failed or waiting to retry), or
   * `timeoutMs` has passed, whichever is first. Never rejects.
   */
  async whenSettled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.all(this.all().map((s) => s.whenSettled())), deadline]);
    clearTimeout(timer);
  }

  /** `listener(name)` after the state or listing of server `name` changed. Returns an unsubscribe. */
  onChange(listener: (server: string) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Stops every upstream and its child processes. Calls in progress get up to `graceMs` to
   * finish first; whatever is still running then is cancelled. Idempotent.
   */
  async close(graceMs = 0): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.all().some((s) => s.busy > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.closed = true;
    const all = this.all();
    this.servers.clear();
    await Promise.all(all.map((s) => s.close()));
  }

  private emit(server: string): void {
    if (this.closed) return;
    this.listeners.emit(server);
  }
}
