import { Listeners, type Logger } from "../core/index.js";
import type { ListKind } from "../downstream/index.js";
import type { GatewaySettings, ServerDiff, ServerSpec } from "../registry/index.js";
import {
  type Catalogue,
  type CatalogueSource,
  type ListKindChange,
  LiveCatalogue,
  type OAuthContext,
  type SupervisorOptions,
  UpstreamPool,
  type UpstreamRelay,
  type UpstreamServer,
  type UpstreamStatus,
} from "../upstream/index.js";
import { META_TOOL_NAMES } from "./meta-tools.js";

export interface UpstreamsOptions {
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly connectTimeoutMs: number;
  /** Restart servers that stop, ping ready ones, stop idle lazy ones (serve); off for one-shot commands. */
  readonly heal: boolean;
  readonly relay: UpstreamRelay;
  /** The chain of voidmcp gateways to tell upstreams (see upstream/chain.ts). */
  readonly chain?: () => string;
  /** Reads the `${secret:NAME}` values a server references, at each connect. */
  readonly secrets?: (names: readonly string[]) => Promise<ReadonlyMap<string, string>>;
  /** Remote servers' OAuth credentials (see upstream/oauth). */
  readonly oauth?: OAuthContext;
}

export interface ServerReport extends UpstreamStatus {
  readonly prefix: string;
  readonly exposedTools: number;
}

/**
 * The registered servers as the gateway sees them: the pool of upstream life cycles (nothing
 * outside gateway/ touches it), the catalogue built from what they list, and list changes for
 * clients. Registry order decides who keeps a contested name, so a reload never reshuffles names.
 */
export class Upstreams {
  private readonly pool: UpstreamPool;
  private readonly log: Logger;
  private readonly heal: boolean;
  private servers: readonly ServerSpec[];
  private nameBudget: number;
  private readonly live = new LiveCatalogue(META_TOOL_NAMES);
  private readonly listeners = new Listeners<[readonly ListKind[]]>();
  private started = false;

  constructor(options: UpstreamsOptions, servers: readonly ServerSpec[], settings: GatewaySettings) {
    this.log = options.log;
    this.heal = options.heal;
    this.servers = servers;
    this.nameBudget = settings.nameBudget;
    this.pool = new UpstreamPool({
      log: options.log,
      env: options.env,
      clientInfo: { name: "voidmcp", version: options.version },
      connectTimeoutMs: options.connectTimeoutMs,
      supervision: this.supervision(settings),
      relay: options.relay,
      ...(options.chain ? { chain: options.chain } : {}),
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.oauth ? { oauth: options.oauth } : {}),
    });
    // One server changed (state or listing): only its part of the catalogue is recomputed.
    this.pool.onChange((server) => this.announce(this.live.update(this.sources(), server)));
  }

  get catalogue(): Catalogue {
    return this.live.current;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Starts every registered server in the background. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const spec of this.servers) this.pool.add(spec);
  }

  /**
   * Makes `servers` the registered set, touching only `diff`: added servers start, removed ones
   * stop (with their processes), changed ones restart; the rest keep their sessions. Before
   * start() nothing runs, so only the set (and the settings) change.
   */
  apply(servers: readonly ServerSpec[], diff: ServerDiff, settings: GatewaySettings): void {
    this.servers = servers;
    this.nameBudget = settings.nameBudget;
    this.pool.setSupervision(this.supervision(settings));
    if (!this.started) return;
    for (const spec of diff.removed) void this.pool.remove(spec.name);
    for (const spec of [...diff.changed, ...diff.added]) this.pool.add(spec);
    // Prefixes, filters, overrides, the name budget or the order may have changed: every part
    // is rebuilt, once.
    this.announce(this.live.reset(this.sources()));
  }

  /**
   * Restarts server `name` with its current spec, so it reads its secrets again. Servers that do
   * not run (not started yet, disabled, idle, given up on and gone) read them when they start.
   */
  restart(name: string): void {
    const spec = this.spec(name);
    const server = this.pool.get(name);
    if (!this.started || spec === undefined || server === undefined) return;
    if (server.state === "disabled" || server.state === "idle" || server.state === "closed") return;
    this.pool.add(spec);
  }

  /** The life cycle of server `name`, for the router. */
  server(name: string): UpstreamServer | undefined {
    return this.pool.get(name);
  }

  spec(name: string): ServerSpec | undefined {
    return this.servers.find((spec) => spec.name === name);
  }

  get specs(): readonly ServerSpec[] {
    return this.servers;
  }

  all(): UpstreamServer[] {
    return this.pool.all();
  }

  /** Waits (bounded) until every server has finished starting; never rejects. */
  whenSettled(timeoutMs: number): Promise<void> {
    return this.pool.whenSettled(timeoutMs);
  }

  /**
   * Waits (bounded) for the servers `couldOwn` picks that are still starting, then looks again.
   * Servers that cannot own the name are not waited for; nothing is waited for when none starts.
   */
  async afterStartup<T>(
    couldOwn: (spec: ServerSpec) => boolean,
    lookup: () => T | undefined,
    waitMs: number,
  ): Promise<T | undefined> {
    const starting = this.servers
      .filter(couldOwn)
      .map((spec) => this.pool.get(spec.name))
      .filter((server): server is UpstreamServer => server?.state === "starting");
    if (starting.length === 0) return undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(starting.map((server) => server.whenSettled())),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    return lookup();
  }

  /** Every registered server's state, with its prefix and how many tools it exposes. */
  report(): ServerReport[] {
    const exposed = new Map<string, number>();
    for (const entry of this.catalogue.tools) exposed.set(entry.server, (exposed.get(entry.server) ?? 0) + 1);
    const prefixOf = new Map(this.servers.map((spec) => [spec.name, spec.prefix]));
    return this.pool.all().map((server) => ({
      ...server.status(),
      prefix: prefixOf.get(server.name) ?? server.name,
      exposedTools: exposed.get(server.name) ?? 0,
    }));
  }

  /** Tells clients a list changed for a reason of the gateway's own (a policy edit hides or shows tools). */
  listChanged(kinds: readonly ListKind[]): void {
    this.listeners.emit(kinds);
  }

  onListChanged(listener: (kinds: readonly ListKind[]) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Stops every upstream; calls in progress get up to `graceMs` to finish. Idempotent. */
  async close(graceMs = 0): Promise<void> {
    this.listeners.clear();
    await this.pool.close(graceMs);
  }

  private supervision(settings: GatewaySettings): SupervisorOptions {
    return { heal: this.heal, restart: settings.restart, healthCheckMs: settings.healthCheckMs };
  }

  /** Every registered server's part of the catalogue, in registry order (the order decides collisions). */
  private sources(): CatalogueSource[] {
    return this.servers.flatMap((spec) => {
      const server = this.pool.get(spec.name);
      return server
        ? [
            {
              server: spec.name,
              prefix: spec.prefix,
              filter: spec.tools,
              listing: server.listing,
              nameBudget: this.nameBudget,
              ...(spec.overrides ? { overrides: spec.overrides } : {}),
            },
          ]
        : [];
    });
  }

  private announce(change: ListKindChange): void {
    for (const c of change.newCollisions) {
      this.log.warn(
        `${c.kind} name "${c.name}" of server "${c.dropped}" is already taken by "${c.kept}"; not exposed`,
      );
    }
    if (change.kinds.length > 0) this.listeners.emit(change.kinds);
  }
}
