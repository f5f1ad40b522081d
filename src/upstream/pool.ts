import { Listeners, type Logger } from "../core/index.js";
import type { ServerSpec } from "../registry/index.js";
import type { ConnectionDeps } from "./connection.js";
import { type SupervisorOptions, UpstreamSupervisor } from "./supervisor.js";

export interface PoolDeps extends ConnectionDeps {
  readonly supervision: SupervisorOptions;
}

/**
 * All upstream connections, by server name, in registry order. Starting is fire-and-forget: a
 * slow or broken server never holds up the others or the caller. `onChange` fires whenever any
 * connection changes state or listing.
 */
export class UpstreamPool {
  private readonly connections = new Map<string, UpstreamSupervisor>();
  private readonly listeners = new Listeners();
  private closed = false;

  private readonly deps: PoolDeps;
  private supervision: SupervisorOptions;

  constructor(deps: PoolDeps) {
    this.deps = deps;
    this.supervision = deps.supervision;
  }

  /** New restart and health-check settings, for servers started from now on. */
  setSupervision(supervision: SupervisorOptions): void {
    this.supervision = supervision;
  }

  get log(): Logger {
    return this.deps.log;
  }

  /** Adds and starts every spec in the background. Names already present are replaced. */
  start(specs: readonly ServerSpec[]): void {
    for (const spec of specs) this.add(spec);
  }

  add(spec: ServerSpec): UpstreamSupervisor {
    if (this.closed) throw new Error("the upstream pool is closed");
    const previous = this.connections.get(spec.name);
    if (previous) void previous.close();
    const connection = new UpstreamSupervisor(spec, this.deps, this.supervision);
    this.connections.set(spec.name, connection);
    connection.onChange(() => this.emit());
    void connection.start();
    this.emit();
    return connection;
  }

  async remove(name: string): Promise<void> {
    const connection = this.connections.get(name);
    if (!connection) return;
    this.connections.delete(name);
    await connection.close();
    this.emit();
  }

  get(name: string): UpstreamSupervisor | undefined {
    return this.connections.get(name);
  }

  all(): UpstreamSupervisor[] {
    return [...this.connections.values()];
  }

  /**
   * Waits until every connection has finished starting (ready or failed), or `timeoutMs`
   * has passed, whichever is first. Never rejects.
   */
  async whenSettled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.all(this.all().map((c) => c.whenSettled())), deadline]);
    clearTimeout(timer);
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Stops every upstream and its child processes. Calls in progress get up to `graceMs` to
   * finish first; whatever is still running then is cancelled. Idempotent.
   */
  async close(graceMs = 0): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.all().some((c) => c.busy > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.closed = true;
    const all = this.all();
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private emit(): void {
    if (this.closed) return;
    this.listeners.emit();
  }
}
