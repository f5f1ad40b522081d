import type { Logger } from "../core/index.js";
import type { ServerSpec } from "../registry/index.js";
import { type ConnectionDeps, UpstreamConnection } from "./connection.js";

/**
 * All upstream connections, by server name, in registry order. Starting is fire-and-forget: a
 * slow or broken server never holds up the others or the caller. `onChange` fires whenever any
 * connection changes state or listing.
 */
export class UpstreamPool {
  private readonly connections = new Map<string, UpstreamConnection>();
  private readonly listeners = new Set<() => void>();
  private closed = false;

  private readonly deps: ConnectionDeps;

  constructor(deps: ConnectionDeps) {
    this.deps = deps;
  }

  get log(): Logger {
    return this.deps.log;
  }

  /** Adds and starts every spec in the background. Names already present are replaced. */
  start(specs: readonly ServerSpec[]): void {
    for (const spec of specs) this.add(spec);
  }

  add(spec: ServerSpec): UpstreamConnection {
    if (this.closed) throw new Error("the upstream pool is closed");
    const previous = this.connections.get(spec.name);
    if (previous) void previous.close();
    const connection = new UpstreamConnection(spec, this.deps);
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

  get(name: string): UpstreamConnection | undefined {
    return this.connections.get(name);
  }

  all(): UpstreamConnection[] {
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
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every upstream and its child processes. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const all = this.all();
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private emit(): void {
    if (this.closed) return;
    for (const listener of this.listeners) listener();
  }
}
