import {
  type CallToolResult,
  Client,
  type ClientCapabilities,
  type CompleteRequestParams,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type Prompt,
  ProtocolError,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  SdkError,
  SdkErrorCode,
  type ServerCapabilities,
  type Tool,
  type Transport,
} from "@modelcontextprotocol/client";
import { describeError, Listeners, type Logger, VoidError } from "../core/index.js";
import {
  expandServer,
  type RemoteServerSpec,
  type ServerSpec,
  type StdioServerSpec,
} from "../registry/index.js";
import {
  describeHttpFailure,
  httpStatusOf,
  shouldFallBackToSse,
  sseTransport,
  streamableHttpTransport,
} from "./remote-transport.js";
import { StdioTransport } from "./stdio-transport.js";

export type UpstreamState = "disabled" | "starting" | "ready" | "failed" | "closed";

/** What a ready upstream offers, as it listed it (schemas untouched). */
export interface UpstreamListing {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  readonly prompts: readonly Prompt[];
}

export interface UpstreamStatus {
  readonly name: string;
  readonly transport: ServerSpec["transport"];
  readonly state: UpstreamState;
  readonly error: string | undefined;
  /** Milliseconds from start to ready, once ready. */
  readonly startMs: number | undefined;
  readonly pid: number | undefined;
  readonly serverInfo: Implementation | undefined;
  readonly toolCount: number;
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
  readonly clientInfo: Implementation;
  readonly connectTimeoutMs: number;
  readonly relay?: UpstreamRelay;
}

/** Which client capability lets an upstream make each relayed request. */
const REQUEST_CAPABILITY: Record<RelayedRequest, keyof ClientCapabilities> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

/** Failures that retrying cannot fix: the user has to change the registry or the environment. */
function isPermanent(error: unknown): boolean {
  if (!(error instanceof VoidError)) return false;
  if (error.code === "registry_invalid") return true;
  const status = error.details.httpStatus;
  if (status === 401 || status === 403) return true;
  return /command not found|permission denied/.test(error.message);
}

class InitializeTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer to initialize within ${timeoutMs} ms`);
  }
}

/** A failure reason followed by the last lines a stdio server wrote to stderr, if any. */
function withStderrTail(reason: string, tail: string): string {
  return tail ? `${reason}; its stderr ended with: ${tail.split("\n").slice(-3).join(" | ")}` : reason;
}

type ListKind = "tools" | "resources" | "prompts";

/** Quiet time after an upstream's list_changed before its list is read again. */
const LIST_CHANGED_DEBOUNCE_MS = 50;

const EMPTY_LISTING: UpstreamListing = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

/**
 * One registered server: its transport, its SDK client and what it lists. `start()` never
 * throws: a server that cannot start ends in state "failed" with `error` saying why, and the
 * rest of the gateway goes on. Listeners registered with `onChange` hear about every change of
 * state or listing (including the upstream's own list_changed notifications).
 */
export class UpstreamConnection {
  private client: Client | undefined;
  private transport: Transport | undefined;
  private currentState: UpstreamState;
  private lastError: string | undefined;
  private currentListing: UpstreamListing = EMPTY_LISTING;
  private startedAt = 0;
  private readyAfterMs: number | undefined;
  private settled: Promise<void> = Promise.resolve();
  private readonly listeners: Listeners;
  private readonly pendingRefresh = new Set<ListKind>();
  private failedForGood = false;
  private stopRootsWatch: (() => void) | undefined;
  private readonly log: Logger;

  readonly spec: ServerSpec;
  private readonly deps: ConnectionDeps;

  constructor(spec: ServerSpec, deps: ConnectionDeps) {
    this.spec = spec;
    this.deps = deps;
    this.currentState = spec.enabled ? "starting" : "disabled";
    this.log = deps.log.child(spec.name);
    this.listeners = new Listeners((error) =>
      this.log.error(`change listener failed: ${describeError(error)}`),
    );
  }

  get name(): string {
    return this.spec.name;
  }

  get state(): UpstreamState {
    return this.currentState;
  }

  get listing(): UpstreamListing {
    return this.currentState === "ready" ? this.currentListing : EMPTY_LISTING;
  }

  status(): UpstreamStatus {
    return {
      name: this.spec.name,
      transport: this.spec.transport,
      state: this.currentState,
      error: this.lastError,
      startMs: this.readyAfterMs,
      pid: this.transport instanceof StdioTransport ? this.transport.pid : undefined,
      serverInfo: this.client?.getServerVersion(),
      toolCount: this.listing.tools.length,
    };
  }

  /**
   * Whether the last failure needs the user to change something before a retry can work
   * (a command that does not exist, a variable that is not set, credentials refused).
   */
  get failedPermanently(): boolean {
    return this.currentState === "failed" && this.failedForGood;
  }

  /** Pings the server; rejects when it does not answer within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    const client = this.requireClient();
    await this.forward("ping", { timeoutMs }, () => client.ping({ timeout: timeoutMs }));
  }

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** Resolves when the current start attempt has ended (ready or failed). */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  /** Connects in the background; the returned promise never rejects. */
  start(): Promise<void> {
    if (!this.spec.enabled || this.currentState === "closed") return this.settled;
    this.settled = this.connect();
    return this.settled;
  }

  private async connect(): Promise<void> {
    this.startedAt = performance.now();
    this.setState("starting", undefined);
    try {
      const spec = expandServer(this.spec, this.deps.env);
      const { client, transport } =
        spec.transport === "stdio" ? await this.connectStdio(spec) : await this.connectRemote(spec);
      if (this.currentState === "closed") {
        await client.close().catch(() => {});
        return;
      }
      this.client = client;
      this.transport = transport;
      this.watchClose(client, transport);
      this.currentListing = await this.readListing(client);
      this.readyAfterMs = Math.round(performance.now() - this.startedAt);
      this.log.info(`ready in ${this.readyAfterMs} ms (${this.currentListing.tools.length} tools)`);
      this.setState("ready", undefined);
      const pending = [...this.pendingRefresh];
      this.pendingRefresh.clear();
      for (const kind of pending) void this.refresh(client, kind);
    } catch (error) {
      if (this.currentState === "closed") return;
      const message = describeError(error);
      this.log.warn(`failed to start: ${message}`);
      this.failedForGood = isPermanent(error);
      await this.dropClient();
      this.setState("failed", message);
    }
  }

  private newClient(): Client {
    const relay = this.deps.relay;
    const capabilities = relay?.clientCapabilities(this.spec.name) ?? {};
    const client = new Client(this.deps.clientInfo, { capabilities });
    client.onerror = (error) => this.log.debug(`protocol: ${error.message}`);
    if (relay) {
      const server = this.spec.name;
      for (const [method, capability] of Object.entries(REQUEST_CAPABILITY) as Array<
        [RelayedRequest, keyof ClientCapabilities]
      >) {
        if (capabilities[capability] === undefined) continue;
        client.setRequestHandler(method, async (request, ctx) => {
          try {
            return (await relay.request(
              server,
              method,
              request.params as Record<string, unknown> | undefined,
              ctx.mcpReq.signal,
            )) as never;
          } catch (error) {
            // The client's own JSON-RPC error passes back as it is; ours carry their code.
            if (error instanceof ProtocolError) throw error;
            const code = error instanceof VoidError ? error.details.rpcCode : undefined;
            throw new ProtocolError(typeof code === "number" ? code : -32603, describeError(error));
          }
        });
      }
      for (const method of ["notifications/message", "notifications/resources/updated"] as const) {
        client.setNotificationHandler(method, (notification) => {
          relay.notify(server, method, notification.params as Record<string, unknown> | undefined);
        });
      }
      if (capabilities.roots?.listChanged && relay.onRootsChanged) {
        this.stopRootsWatch = relay.onRootsChanged(server, () => {
          if (this.client !== client) return;
          void client.notification({ method: "notifications/roots/list_changed" }).catch(() => {});
        });
      }
    }
    return client;
  }

  /** What the upstream server declared at initialize (undefined before it is ready). */
  serverCapabilities(): ServerCapabilities | undefined {
    return this.currentState === "ready" ? this.client?.getServerCapabilities() : undefined;
  }

  async complete(params: CompleteRequestParams, options: CallOptions = {}): Promise<CompleteResult> {
    const client = this.requireClient();
    return this.forward("completion/complete", options, () =>
      client.request(
        { method: "completion/complete", params: params as Record<string, unknown> },
        this.requestOptions(options),
      ),
    );
  }

  async subscribe(uri: string, subscribe: boolean): Promise<void> {
    const client = this.requireClient();
    const method = subscribe ? "resources/subscribe" : "resources/unsubscribe";
    await this.forward(method, {}, () =>
      client.request({ method, params: { uri } }, this.requestOptions({})),
    );
  }

  async setLogLevel(level: LoggingLevel): Promise<void> {
    const client = this.requireClient();
    await this.forward("logging/setLevel", {}, () =>
      client.request({ method: "logging/setLevel", params: { level } }, this.requestOptions({})),
    );
  }

  private async handshake(client: Client, transport: Transport): Promise<void> {
    const timeoutMs = this.deps.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InitializeTimeout(timeoutMs)), timeoutMs);
    });
    try {
      await Promise.race([client.connect(transport), timeout]);
    } catch (error) {
      await client.close().catch(() => {});
      await transport.close().catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async connectStdio(spec: StdioServerSpec): Promise<{ client: Client; transport: Transport }> {
    const transport = new StdioTransport({
      command: spec.command,
      args: spec.args,
      env: { ...this.deps.env, ...spec.env },
      cwd: spec.cwd,
      log: this.log,
    });
    const client = this.newClient();
    try {
      await this.handshake(client, transport);
    } catch (error) {
      throw new VoidError("upstream_unavailable", this.explainStdioFailure(transport, error), {
        cause: error,
      });
    }
    return { client, transport };
  }

  /**
   * Why a stdio server did not come up. The child's own exit ("exited with code 3") is the news
   * when it died by itself; when voidmcp gave up on it (initialize timed out) or could not start
   * it, the reason is. The last stderr lines follow either way.
   */
  private explainStdioFailure(transport: StdioTransport, error: unknown): string {
    const reason = describeError(error);
    const ourDoing =
      error instanceof InitializeTimeout || /command not found|cannot start|permission denied/.test(reason);
    const base = transport.exit && !ourDoing ? `the server ${transport.exit}` : reason;
    return withStderrTail(base, transport.stderrTail());
  }

  private async connectRemote(spec: RemoteServerSpec): Promise<{ client: Client; transport: Transport }> {
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw new VoidError("registry_invalid", `"${spec.url}" is not a valid URL`);
    }
    if (spec.transport === "sse") return this.connectWith(sseTransport(url, spec.headers), spec.url);
    try {
      return await this.connectWith(streamableHttpTransport(url, spec.headers), spec.url);
    } catch (error) {
      const status = error instanceof VoidError ? error.details.httpStatus : undefined;
      if (typeof status !== "number" || !shouldFallBackToSse(status)) throw error;
      this.log.info(`Streamable HTTP answered ${status}; trying legacy SSE`);
      return this.connectWith(sseTransport(url, spec.headers), spec.url);
    }
  }

  private async connectWith(
    transport: Transport,
    url: string,
  ): Promise<{ client: Client; transport: Transport }> {
    const client = this.newClient();
    try {
      await this.handshake(client, transport);
    } catch (error) {
      throw new VoidError("upstream_unavailable", describeHttpFailure(url, error), {
        cause: error,
        details: { httpStatus: httpStatusOf(error) },
      });
    }
    return { client, transport };
  }

  private watchClose(client: Client, transport: Transport): void {
    client.onclose = () => {
      if (this.client !== client || this.currentState === "closed") return;
      this.stopRootsWatch?.();
      this.stopRootsWatch = undefined;
      const exit = transport instanceof StdioTransport ? transport.exit : undefined;
      const tail = transport instanceof StdioTransport ? transport.stderrTail() : "";
      const message = withStderrTail(exit ? `the server ${exit}` : "the connection closed", tail);
      this.log.warn(message);
      this.client = undefined;
      this.setState("failed", message);
    };
    // A server may announce changes in floods; re-read each kind once per quiet period.
    const timers = new Map<ListKind, NodeJS.Timeout>();
    const refresh = (kind: ListKind) => () => {
      clearTimeout(timers.get(kind));
      const timer = setTimeout(() => {
        timers.delete(kind);
        void this.refresh(client, kind);
      }, LIST_CHANGED_DEBOUNCE_MS);
      timer.unref();
      timers.set(kind, timer);
    };
    client.setNotificationHandler("notifications/tools/list_changed", refresh("tools"));
    client.setNotificationHandler("notifications/resources/list_changed", refresh("resources"));
    client.setNotificationHandler("notifications/prompts/list_changed", refresh("prompts"));
  }

  /**
   * Re-reads one kind of list after the upstream's list_changed. A notification that arrives
   * while the first listing is still being read (server-everything sends one right after
   * connect) is remembered and served once that listing is in.
   */
  private async refresh(client: Client, kind: ListKind): Promise<void> {
    if (this.currentState !== "ready") {
      this.pendingRefresh.add(kind);
      return;
    }
    try {
      const part = await this.readKind(client, kind);
      if (this.client !== client) return;
      this.currentListing = { ...this.currentListing, ...part };
      this.emit();
    } catch (error) {
      this.log.warn(`could not re-read ${kind} after list_changed: ${describeError(error)}`);
    }
  }

  private async readListing(client: Client): Promise<UpstreamListing> {
    const [tools, resources, prompts] = await Promise.all([
      this.readKind(client, "tools"),
      this.readKind(client, "resources"),
      this.readKind(client, "prompts"),
    ]);
    return { ...EMPTY_LISTING, ...tools, ...resources, ...prompts };
  }

  /** Reads one kind of list, if the server's capabilities promise it; a failing list reads as empty. */
  private async readKind(client: Client, kind: ListKind): Promise<Partial<UpstreamListing>> {
    const caps = client.getServerCapabilities() ?? {};
    const safely = async <T>(what: string, read: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await read();
      } catch (error) {
        this.log.warn(`${what} failed: ${describeError(error)}`);
        return [];
      }
    };
    switch (kind) {
      case "tools":
        return {
          tools: caps.tools ? await safely("tools/list", async () => (await client.listTools()).tools) : [],
        };
      case "resources": {
        if (!caps.resources) return { resources: [], resourceTemplates: [] };
        const [resources, resourceTemplates] = await Promise.all([
          safely("resources/list", async () => (await client.listResources()).resources),
          safely(
            "resources/templates/list",
            async () => (await client.listResourceTemplates()).resourceTemplates,
          ),
        ]);
        return { resources, resourceTemplates };
      }
      case "prompts":
        return {
          prompts: caps.prompts
            ? await safely("prompts/list", async () => (await client.listPrompts()).prompts)
            : [],
        };
      default: {
        const exhaustive: never = kind;
        return exhaustive;
      }
    }
  }

  private requireClient(): Client {
    if (this.currentState === "ready" && this.client) return this.client;
    const why =
      this.currentState === "disabled"
        ? "is disabled in the registry"
        : this.currentState === "starting"
          ? "is still starting"
          : this.currentState === "closed"
            ? "has been stopped"
            : `failed: ${this.lastError ?? "unknown error"}`;
    throw new VoidError("upstream_unavailable", `server "${this.spec.name}" ${why}`, {
      hint:
        this.currentState === "failed" ? "fix the server, then run `voidmcp list` to check it" : undefined,
    });
  }

  /** Calls a tool by its upstream name; the result comes back exactly as the upstream sent it. */
  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    const client = this.requireClient();
    const params = args === undefined ? { name } : { name, arguments: args };
    return this.forward(`tool "${name}"`, options, () =>
      client.request({ method: "tools/call", params }, this.requestOptions(options)),
    ) as Promise<CallToolResult>;
  }

  async readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    const client = this.requireClient();
    return this.forward(`resource "${uri}"`, options, () =>
      client.request({ method: "resources/read", params: { uri } }, this.requestOptions(options)),
    );
  }

  async getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    options: CallOptions = {},
  ): Promise<GetPromptResult> {
    const client = this.requireClient();
    const params = args === undefined ? { name } : { name, arguments: args };
    return this.forward(`prompt "${name}"`, options, () =>
      client.request({ method: "prompts/get", params }, this.requestOptions(options)),
    );
  }

  private requestOptions(options: CallOptions) {
    return {
      timeout: options.timeoutMs ?? this.spec.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onprogress ? { onprogress: options.onprogress, resetTimeoutOnProgress: true } : {}),
    };
  }

  /** Runs one request and turns SDK failures into VoidErrors that name the server. */
  private async forward<T>(what: string, options: CallOptions, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const server = this.spec.name;
      if (error instanceof ProtocolError) {
        throw new VoidError("upstream_error", error.message, {
          cause: error,
          details: { rpcCode: error.code, rpcData: error.data, server },
        });
      }
      if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
        const ms = options.timeoutMs ?? this.spec.timeoutMs;
        throw new VoidError("timeout", `${what} on server "${server}" did not answer within ${ms} ms`, {
          cause: error,
          hint: `raise "timeoutMs" for "${server}" in the registry if it needs longer`,
        });
      }
      if (options.signal?.aborted) {
        throw new VoidError("upstream_error", `${what} on server "${server}" was cancelled`, {
          cause: error,
        });
      }
      if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) {
        throw new VoidError(
          "upstream_unavailable",
          `server "${server}" closed the connection during ${what}`,
          {
            cause: error,
          },
        );
      }
      throw new VoidError("upstream_error", `${what} on server "${server}" failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  /** Stops the server (its child processes too). Idempotent. */
  async close(): Promise<void> {
    if (this.currentState === "closed") return;
    this.setState("closed", undefined);
    await this.dropClient();
  }

  private async dropClient(): Promise<void> {
    this.stopRootsWatch?.();
    this.stopRootsWatch = undefined;
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    if (transport && "terminateSession" in transport && typeof transport.terminateSession === "function") {
      await (transport.terminateSession as () => Promise<void>)().catch(() => {});
    }
    await client?.close().catch(() => {});
    await transport?.close().catch(() => {});
  }

  private setState(state: UpstreamState, error: string | undefined): void {
    this.currentState = state;
    this.lastError = error;
    this.emit();
  }

  private emit(): void {
    this.listeners.emit();
  }
}
