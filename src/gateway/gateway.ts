import {
  type CodeModeLimits,
  DEFAULT_LIMITS,
  type ExecutionResult,
  parseLimits,
  prewarm,
} from "../codemode/index.js";
import { describeError, Listeners, type Logger, VoidError } from "../core/index.js";
import type { ClientChannel, GatewayBackend, ListKind, RequestContext } from "../downstream/index.js";
import { diffServers, type Registry, type ServerDiff, type ServerSpec } from "../registry/index.js";
import {
  buildCatalogue,
  type CallToolResult,
  type Catalogue,
  type CompleteRequestParams,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type SupervisorOptions,
  type Tool,
  UpstreamPool,
  type UpstreamStatus,
} from "../upstream/index.js";
import {
  DEFAULT_DETAIL,
  DETAILS,
  executionToolResult,
  runCode,
  searchCatalogue,
  serverSummaries,
} from "./code-mode.js";
import { exposeDirect } from "./exposure.js";
import {
  DEFAULT_SEARCH_LIMIT,
  isMetaTool,
  MAX_SEARCH_LIMIT,
  META_TOOL_NAMES,
  metaTools,
} from "./meta-tools.js";
import { ClientRelay } from "./relay.js";

export interface GatewayOptions {
  readonly registry: Registry;
  readonly log: Logger;
  readonly version: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long an upstream may take to answer `initialize` before it is marked failed. */
  readonly connectTimeoutMs?: number;
  /** Why the registry file could not be used, when the gateway runs without it. */
  readonly registryError?: string;
  /**
   * Restart servers that stop, ping ready ones, stop idle lazy ones: what a long-running
   * `serve` wants. One-shot commands leave it off and report the first failure as it is.
   */
  readonly heal?: boolean;
}

export interface ServerReport extends UpstreamStatus {
  readonly prefix: string;
  readonly exposedTools: number;
}

export interface GatewayReport {
  readonly registryPath: string;
  readonly registryExists: boolean;
  readonly registryError: string | undefined;
  readonly servers: readonly ServerReport[];
  readonly collisions: Catalogue["collisions"];
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * The composition root: registry → upstream pool → catalogue → what clients see. Implements the
 * downstream backend. `start()` returns at once; upstreams connect in the background.
 */
export class Gateway implements GatewayBackend {
  readonly info: Implementation;
  readonly pool: UpstreamPool;
  private registry: Registry;
  /** Why the registry file could not be (re)loaded; the registry in use is the last good one. */
  private registryError: string | undefined;
  private limits: CodeModeLimits;
  private readonly heal: boolean;
  private readonly relay = new ClientRelay();
  private started = false;
  private startOnClient = false;
  private sharedClients = false;
  private readonly log: Logger;
  private current: Catalogue = buildCatalogue([], META_TOOL_NAMES);
  private firstListDone = false;
  private readonly listeners = new Listeners<[readonly ListKind[]]>();

  constructor(options: GatewayOptions) {
    this.registry = options.registry;
    this.log = options.log;
    this.heal = options.heal ?? false;
    const { limits, error } = limitsOf(options.registry, options.log);
    this.limits = limits;
    this.registryError = options.registryError ?? error;
    this.info = { name: "voidmcp", version: options.version };
    this.pool = new UpstreamPool({
      log: options.log,
      env: options.env ?? process.env,
      clientInfo: { name: "voidmcp", version: options.version },
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      supervision: this.supervision(options.registry),
      relay: this.relay,
    });
    this.pool.onChange(() => this.rebuild());
  }

  private supervision(registry: Registry): SupervisorOptions {
    return {
      heal: this.heal,
      restart: registry.settings.restart,
      healthCheckMs: registry.settings.healthCheckMs,
    };
  }

  /**
   * Hot reload: makes `next` the live registry, touching only what changed. Added servers
   * start, removed ones stop (with their processes), changed ones restart, the rest and their
   * sessions are left alone. Clients hear about the new catalogue through list_changed.
   */
  applyRegistry(next: Registry): ServerDiff {
    const diff = diffServers(this.registry.servers, next.servers);
    if (!this.started) {
      // Nothing runs yet: the first client will start the new registry.
      this.registry = next;
      return diff;
    }
    const { limits, error } = limitsOf(next, this.log);
    this.registry = next;
    this.limits = limits;
    this.registryError = error;
    this.pool.setSupervision(this.supervision(next));
    for (const spec of diff.removed) void this.pool.remove(spec.name);
    for (const spec of [...diff.changed, ...diff.added]) this.pool.add(spec);
    const parts = [
      diff.added.length > 0 ? `started ${diff.added.map((s) => s.name).join(", ")}` : "",
      diff.removed.length > 0 ? `stopped ${diff.removed.map((s) => s.name).join(", ")}` : "",
      diff.changed.length > 0 ? `restarted ${diff.changed.map((s) => s.name).join(", ")}` : "",
    ].filter((p) => p !== "");
    this.log.info(`registry reloaded: ${parts.length > 0 ? parts.join("; ") : "no server changed"}`);
    this.rebuild();
    return diff;
  }

  /** An edit of the registry file that cannot be used: the live registry stays; the problem is shown. */
  registryProblem(message: string | undefined): void {
    if (message !== undefined && message !== this.registryError) this.log.error(message);
    this.registryError = message;
  }

  get instructions(): string {
    return (
      "voidmcp is a gateway in front of several MCP servers. Upstream tools are named `<server>__<tool>`. " +
      "Use `search` to find tools (it returns TypeScript signatures), `execute_code` to run a script that calls " +
      "many tools and returns only what you need, and `list_servers` to see which servers are up."
    );
  }

  get catalogue(): Catalogue {
    return this.current;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    prewarm(this.limits.memoryMb);
    for (const spec of this.registry.servers) this.pool.add(spec);
  }

  /**
   * Starts the upstreams when the first client has initialized. Over stdio there is one client,
   * and upstreams are told exactly the capabilities it declared (sampling, elicitation, roots).
   * Where several clients may come and go (`shared`: the HTTP front), upstreams are told all of
   * them, and a request reaching a client that lacks the capability is answered "method not
   * found". Used by `serve`; one-shot commands call start().
   */
  startWithFirstClient(shared: boolean): void {
    this.startOnClient = true;
    this.sharedClients = shared;
    // No sandbox preparation here: it would compete with answering initialize. start() does it.
  }

  clientConnected(client: ClientChannel): void {
    this.relay.connected(client);
    if (this.startOnClient && !this.started) {
      this.relay.declare(
        this.sharedClients
          ? { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } }
          : client.capabilities(),
      );
      this.start();
    }
  }

  clientClosed(client: ClientChannel): void {
    for (const uri of this.relay.closed(client)) void this.upstreamSubscribe(uri, false);
  }

  /** Waits (bounded) for upstreams that are still starting; never rejects. */
  whenSettled(timeoutMs: number = this.registry.settings.firstListWaitMs): Promise<void> {
    return this.pool.whenSettled(timeoutMs);
  }

  /** Stops every upstream; calls in progress get up to `graceMs` to finish. Idempotent. */
  async close(graceMs = 0): Promise<void> {
    this.listeners.clear();
    await this.pool.close(graceMs);
  }

  onListChanged(listener: (kinds: readonly ListKind[]) => void): () => void {
    return this.listeners.add(listener);
  }

  private rebuild(): void {
    // Registry order decides who keeps a contested name, so a reload never reshuffles names.
    const sources = this.registry.servers.flatMap((spec) => {
      const connection = this.pool.get(spec.name);
      return connection
        ? [{ server: spec.name, prefix: spec.prefix, filter: spec.tools, listing: connection.listing }]
        : [];
    });
    const next = buildCatalogue(sources, META_TOOL_NAMES);
    for (const c of next.collisions) {
      if (
        !this.current.collisions.some(
          (p) => p.kind === c.kind && p.name === c.name && p.dropped === c.dropped,
        )
      ) {
        this.log.warn(
          `${c.kind} name "${c.name}" of server "${c.dropped}" is already taken by "${c.kept}"; not exposed`,
        );
      }
    }
    const previous = this.current;
    this.current = next;
    const changed = changedKinds(previous, next);
    if (changed.length > 0) {
      this.listeners.emit(changed);
    }
  }

  /** The first list of a session waits (bounded) for upstreams still starting. */
  private async firstList(): Promise<void> {
    if (this.firstListDone) return;
    await this.whenSettled();
    this.firstListDone = true;
  }

  async listTools(): Promise<Tool[]> {
    await this.firstList();
    const upstream = this.current.tools;
    const direct = exposeDirect(this.registry.settings.expose, upstream.length, true);
    const meta = metaTools(serverSummaries(this.current), this.limits.timeoutMs, this.limits.maxTimeoutMs);
    return [...meta, ...(direct ? upstream.map((entry) => entry.tool) : [])];
  }

  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult> {
    if (isMetaTool(name)) {
      switch (name) {
        case "search":
          return this.searchTool(args);
        case "execute_code":
          return this.executeCode(args, context);
        case "list_servers":
          return jsonResult(this.report());
        default: {
          const exhaustive: never = name;
          return exhaustive;
        }
      }
    }
    const entry =
      this.current.tool(name) ?? (await this.afterStartup(ownerOfName(name), () => this.current.tool(name)));
    if (!entry) throw this.unknown("tool", name);
    const connection = this.requireConnection(entry.server);
    return this.relay.during(entry.server, context, () =>
      connection.callTool(entry.upstreamName, args, {
        signal: context.signal,
        ...(context.onprogress ? { onprogress: context.onprogress } : {}),
      }),
    );
  }

  /**
   * A lookup that fails while a server that could own the name is still starting gets one
   * bounded wait for that server and a retry. Servers that cannot own it are not waited for.
   */
  private async afterStartup<T>(
    couldOwn: (spec: ServerSpec) => boolean,
    lookup: () => T | undefined,
  ): Promise<T | undefined> {
    const candidates = this.registry.servers
      .filter(couldOwn)
      .map((spec) => this.pool.get(spec.name))
      .filter((connection) => connection?.state === "starting");
    if (candidates.length === 0) return undefined;
    const waitMs = this.registry.settings.firstListWaitMs;
    await Promise.race([
      Promise.all(candidates.map((c) => c?.whenSettled())),
      new Promise((resolve) => setTimeout(resolve, waitMs).unref()),
    ]);
    return lookup();
  }

  /**
   * The error for a name nobody serves. When the name carries the prefix of a server that is not
   * ready, the real news is that server's state, so say that instead of "unknown".
   */
  private unknown(kind: "tool" | "prompt", name: string): VoidError {
    const owner = this.registry.servers.find(
      (spec) => spec.prefix !== "" && name.startsWith(`${spec.prefix}__`),
    );
    const connection = owner ? this.pool.get(owner.name) : undefined;
    if (owner && connection && connection.state !== "ready") {
      const status = connection.status();
      return new VoidError(
        "upstream_unavailable",
        `${kind} "${name}" belongs to server "${owner.name}", which is ${status.state}${status.error ? `: ${status.error}` : ""}`,
        { hint: "call list_servers to see the state of every server" },
      );
    }
    return new VoidError("not_found", `unknown ${kind} "${name}"`, {
      hint:
        kind === "tool"
          ? "call tools/list or the `search` tool to see the available names"
          : "call prompts/list to see the available names",
    });
  }

  private requireConnection(server: string) {
    const connection = this.pool.get(server);
    if (!connection) throw new VoidError("not_found", `unknown server "${server}"`);
    return connection;
  }

  private searchTool(args: Record<string, unknown> | undefined): CallToolResult {
    const query = typeof args?.query === "string" ? args.query : "";
    const rawLimit = typeof args?.limit === "number" ? Math.floor(args.limit) : DEFAULT_SEARCH_LIMIT;
    const limit = Math.min(Math.max(rawLimit, 1), MAX_SEARCH_LIMIT);
    const detail = DETAILS.find((d) => d === args?.detail) ?? DEFAULT_DETAIL;
    const answer = searchCatalogue(this.current, { query, detail, limit });
    return { content: [{ type: "text", text: answer.text }], structuredContent: answer.structured };
  }

  private async executeCode(
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult> {
    const code = args?.code;
    if (typeof code !== "string") {
      throw new VoidError("usage", "execute_code needs `code`: a string of JavaScript or TypeScript");
    }
    const timeoutMs = args?.timeoutMs;
    if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs > 0))) {
      throw new VoidError("usage", "execute_code's `timeoutMs` must be a positive number of milliseconds");
    }
    return executionToolResult(await this.runScript(code, timeoutMs, context.signal));
  }

  /** Runs a Code Mode script against the current catalogue (after the first, bounded wait). */
  async runScript(code: string, timeoutMs?: number, signal?: AbortSignal): Promise<ExecutionResult> {
    await this.firstList();
    return runCode(code, timeoutMs, this.limits, this.pool, () => this.current, signal);
  }

  /** State of every registered server and of the catalogue, for `list_servers` and `voidmcp list`. */
  report(): GatewayReport {
    const exposedBy = new Map<string, number>();
    for (const entry of this.current.tools)
      exposedBy.set(entry.server, (exposedBy.get(entry.server) ?? 0) + 1);
    const prefixOf = new Map(this.registry.servers.map((spec) => [spec.name, spec.prefix]));
    return {
      registryPath: this.registry.path,
      registryExists: this.registry.exists,
      registryError: this.registryError,
      servers: this.pool.all().map((connection) => ({
        ...connection.status(),
        prefix: prefixOf.get(connection.name) ?? connection.name,
        exposedTools: exposedBy.get(connection.name) ?? 0,
      })),
      collisions: this.current.collisions,
    };
  }

  async listResources(): Promise<Resource[]> {
    await this.firstList();
    return this.current.resources.map((entry) => entry.resource);
  }

  async listResourceTemplates(): Promise<ResourceTemplate[]> {
    await this.firstList();
    return this.current.templates.map((entry) => entry.template);
  }

  async readResource(uri: string, context: RequestContext): Promise<ReadResourceResult> {
    const server =
      this.current.resourceOwner(uri) ??
      (await this.afterStartup(
        () => true,
        () => this.current.resourceOwner(uri),
      ));
    if (!server) throw noResource(uri);
    return this.relay.during(server, context, () =>
      this.requireConnection(server).readResource(uri, { signal: context.signal }),
    );
  }

  async subscribe(uri: string, context: RequestContext): Promise<void> {
    const server = this.current.resourceOwner(uri);
    if (!server) throw noResource(uri);
    if (this.relay.subscribe(context.client, uri)) await this.upstreamSubscribe(uri, true);
  }

  async unsubscribe(uri: string, context: RequestContext): Promise<void> {
    if (this.relay.unsubscribe(context.client, uri)) await this.upstreamSubscribe(uri, false);
  }

  /** (Un)subscribes upstream, where the owner supports it; a server without subscriptions never sends updates. */
  private async upstreamSubscribe(uri: string, subscribe: boolean): Promise<void> {
    const server = this.current.resourceOwner(uri);
    const connection = server ? this.pool.get(server) : undefined;
    if (!connection?.serverCapabilities()?.resources?.subscribe) return;
    try {
      await connection.subscribe(uri, subscribe);
    } catch (error) {
      if (subscribe) throw error;
      this.log.debug(`unsubscribe ${uri}: ${describeError(error)}`);
    }
  }

  async complete(params: CompleteRequestParams, context: RequestContext): Promise<CompleteResult> {
    const ref = params.ref;
    if (ref.type === "ref/prompt") {
      const entry = this.current.prompt(ref.name);
      if (!entry) throw this.unknown("prompt", ref.name);
      const connection = this.requireConnection(entry.server);
      return this.relay.during(entry.server, context, () =>
        connection.complete(
          { ...params, ref: { ...ref, name: entry.upstreamName } },
          { signal: context.signal },
        ),
      );
    }
    const server =
      this.current.templates.find((t) => t.template.uriTemplate === ref.uri)?.server ??
      this.current.resourceOwner(ref.uri);
    if (!server) throw noResource(ref.uri);
    const connection = this.requireConnection(server);
    if (!connection.serverCapabilities()?.completions) return { completion: { values: [], hasMore: false } };
    return this.relay.during(server, context, () => connection.complete(params, { signal: context.signal }));
  }

  async setLogLevel(level: LoggingLevel, context: RequestContext): Promise<void> {
    this.relay.setLevel(context.client, level);
    await Promise.all(
      this.pool
        .all()
        .filter((c) => c.serverCapabilities()?.logging !== undefined)
        .map((c) =>
          c
            .setLogLevel(level)
            .catch((error: unknown) => this.log.debug(`${c.name}: setLevel: ${describeError(error)}`)),
        ),
    );
  }

  async listPrompts(): Promise<Prompt[]> {
    await this.firstList();
    return this.current.prompts.map((entry) => entry.prompt);
  }

  async getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
  ): Promise<GetPromptResult> {
    const entry =
      this.current.prompt(name) ??
      (await this.afterStartup(ownerOfName(name), () => this.current.prompt(name)));
    if (!entry) throw this.unknown("prompt", name);
    const connection = this.requireConnection(entry.server);
    return this.relay.during(entry.server, context, () =>
      connection.getPrompt(entry.upstreamName, args, { signal: context.signal }),
    );
  }
}

/** The registry's Code Mode limits, or the defaults with the reason when they are invalid. */
function limitsOf(registry: Registry, log: Logger): { limits: CodeModeLimits; error: string | undefined } {
  try {
    return { limits: parseLimits(registry.settings.codeMode), error: undefined };
  } catch (error) {
    const message = `${registry.path}: ${describeError(error)}; using the default Code Mode limits`;
    log.error(message);
    return { limits: DEFAULT_LIMITS, error: message };
  }
}

function noResource(uri: string): VoidError {
  return new VoidError("not_found", `no server offers resource "${uri}"`, {
    hint: "call resources/list or resources/templates/list to see what is available",
  });
}

/** Whether a server could expose `name`: it mounts unprefixed, or the name starts with its prefix. */
function ownerOfName(name: string): (spec: ServerSpec) => boolean {
  return (spec) => spec.prefix === "" || name.startsWith(`${spec.prefix}__`);
}

function jsonResult(value: unknown): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/** Which lists a client would see differently (compares exposed definitions, not identity). */
function changedKinds(previous: Catalogue, next: Catalogue): ListKind[] {
  const kinds: ListKind[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (
    !same(
      previous.tools.map((e) => e.tool),
      next.tools.map((e) => e.tool),
    )
  )
    kinds.push("tools");
  if (
    !same(
      previous.resources.map((e) => e.resource),
      next.resources.map((e) => e.resource),
    ) ||
    !same(
      previous.templates.map((e) => e.template),
      next.templates.map((e) => e.template),
    )
  ) {
    kinds.push("resources");
  }
  if (
    !same(
      previous.prompts.map((e) => e.prompt),
      next.prompts.map((e) => e.prompt),
    )
  )
    kinds.push("prompts");
  return kinds;
}
