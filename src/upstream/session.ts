import {
  type CallToolResult,
  Client,
  type ClientCapabilities,
  type CompleteRequestParams,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  LOG_LEVEL_META_KEY,
  type LoggingLevel,
  type McpSubscription,
  ProtocolError,
  type ReadResourceResult,
  SdkError,
  SdkErrorCode,
  type ServerCapabilities,
  type Transport,
} from "@modelcontextprotocol/client";
import { describeError, type Logger, rpcErrorOf, VoidError } from "../core/index.js";
import {
  expandTracked,
  type RemoteServerSpec,
  redactorOf,
  type ServerSpec,
  type StdioServerSpec,
  secretReferences,
  selfEntryReason,
} from "../registry/index.js";
import { CHAIN_ENV, LOOP_STATUS, selfServerMessage } from "./chain.js";
import {
  type ConnectOutcome,
  type ConnectPlan,
  connectPlan,
  eraOfVersion,
  type ProtocolEra,
  protocolSetting,
  STDIO_PROBE_TIMEOUT_MS,
} from "./era.js";
import {
  isInputRequired,
  MAX_INPUT_ROUNDS,
  type MultiRoundMethod,
  type PlannedInput,
  planInputs,
  retryParams,
} from "./input-required.js";
import { findNeedsAuth, needsAuthError, TokenSource } from "./oauth/index.js";
import { relayedToolResultSchema } from "./plain-result.js";
import { redactingLogger } from "./redacting-logger.js";
import {
  describeHttpFailure,
  hasAuthorizationHeader,
  httpStatusOf,
  shouldFallBackToSse,
  sseTransport,
  streamableHttpTransport,
} from "./remote-transport.js";
import { maxResponseBytesOf } from "./response-limit.js";
import { StdioTransport } from "./stdio-transport.js";
import { subscriptionFilter } from "./subscription-filter.js";
import {
  type CallOptions,
  type ConnectionDeps,
  EMPTY_LISTING,
  type RelayedRequest,
  type UpstreamListing,
} from "./types.js";

/**
 * What happens to a session that its owner must hear about. Called only after connect()
 * resolved, and never after close() was called.
 */
export interface SessionEvents {
  /**
   * The session ended by itself (the process exited, the connection dropped); why, for a person.
   * `permanent` when restarting cannot help (the upstream turned out to be voidmcp itself).
   */
  readonly closed: (reason: string, permanent: boolean) => void;
  /** A list was re-read after the upstream's list_changed: the whole listing as it is now. */
  readonly listChanged: (listing: UpstreamListing) => void;
  /**
   * The upstream's OAuth sign-in is missing, revoked or refused (the session is over): the
   * message, with the command that fixes it.
   */
  readonly needsAuth: (error: VoidError) => void;
}

/** Which client capability lets an upstream make each relayed request. */
const REQUEST_CAPABILITY: Record<RelayedRequest, keyof ClientCapabilities> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

/**
 * Failures that retrying cannot fix: the user has to change the registry or the environment
 * (a command that does not exist, a variable that is not set, credentials refused).
 */
export function isPermanentFailure(error: unknown): boolean {
  if (!(error instanceof VoidError)) return false;
  if (error.code === "registry_invalid" || error.details.loop === true) return true;
  const status = error.details.httpStatus;
  if (status === 401 || status === 403 || status === LOOP_STATUS) return true;
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

/** Why an upstream that answered 508 Loop Detected is this gateway. */
const LOOP_ANSWER = "it answered 508 Loop Detected: its requests come back to this gateway";

/** Quiet time after an upstream's list_changed before its list is read again. */
const LIST_CHANGED_DEBOUNCE_MS = 50;

/** The first and the longest wait before a modern server's ended listen stream is opened again. */
const RELISTEN_FIRST_MS = 1_000;
const RELISTEN_MAX_MS = 30_000;

/**
 * One connection to a registered server: its transport, its SDK client, its requests. It has no
 * state machine and no listeners: connect() resolves with the first listing or rejects with a
 * VoidError saying why, and afterwards the session reports through `events` what happens to it.
 * The server that owns it (server.ts) decides what that means. close() is idempotent and also
 * stops the server's child processes.
 */
export class UpstreamSession {
  private client: Client | undefined;
  /** Stops forwarding the clients' roots changes to this session's server. */
  private stopRootsWatch: (() => void) | undefined;
  private transport: Transport | undefined;
  private listing: UpstreamListing = EMPTY_LISTING;
  private connected = false;
  private closing = false;
  private readonly pendingRefresh = new Set<ListKind>();
  private readonly debounce = new Map<ListKind, NodeJS.Timeout>();
  private readonly log: Logger;
  /** Why the connection ended while the first listing was being read. */
  private endedEarly: string | undefined;
  /** Milliseconds from connect() to the first listing. */
  private readyAfterMs: number | undefined;
  /**
   * Replaces the environment values that expansion put into this session's spec by their
   * `${NAME}` templates: every message and log line about this session goes through it.
   */
  private redact: (text: string) => string = (text) => text;
  /** The upstream answered 508 Loop Detected to some request. */
  private loopSeen = false;
  /** The OAuth bearer token of a remote server without its own Authorization header. */
  private tokens: TokenSource | undefined;
  /** How this session connects (see era.ts); a stdio server that exits on the probe changes it. */
  private plan: ConnectPlan;
  /** The stdio server ended its process when it got the probe, and was started again as legacy. */
  private exitedOnProbe = false;
  /** The client capabilities this session declared: what a modern server may ask for. */
  private declared: ClientCapabilities = {};
  /** The log level clients asked for; a modern server is told it on every request. */
  private logLevel: LoggingLevel | undefined;
  /** Resources clients subscribed to through the gateway (modern: part of the listen filter). */
  private readonly subscribedUris = new Set<string>();
  /** A modern server's open `subscriptions/listen` stream. */
  private subscription: McpSubscription | undefined;
  private relistenTimer: NodeJS.Timeout | undefined;
  private relistenDelayMs = RELISTEN_FIRST_MS;

  readonly spec: ServerSpec;
  private readonly deps: ConnectionDeps;
  private readonly events: SessionEvents;

  /**
   * `remembered` is the era the server's earlier sessions found, if the gateway keeps one for
   * this entry (see rememberAfterConnect in era.ts).
   */
  constructor(
    spec: ServerSpec,
    deps: ConnectionDeps,
    events: SessionEvents,
    remembered: ProtocolEra | undefined = undefined,
  ) {
    this.spec = spec;
    this.deps = deps;
    this.events = events;
    this.log = redactingLogger(deps.log.child(spec.name), (text) => this.redact(text));
    this.plan = connectPlan(protocolSetting(spec), spec.transport, remembered);
  }

  /** The era this session speaks, once connect() resolved. */
  get era(): ProtocolEra | undefined {
    const version = this.protocolVersion;
    return version === undefined ? undefined : eraOfVersion(version);
  }

  /** The protocol version negotiated with the server, once connect() resolved. */
  get protocolVersion(): string | undefined {
    return this.connected ? this.client?.getNegotiatedProtocolVersion() : undefined;
  }

  /** What connect() learnt about the server's era, for the server to remember. */
  get outcome(): ConnectOutcome | undefined {
    if (this.exitedOnProbe) return { kind: "exited-on-probe" };
    const era = this.era;
    return era === undefined ? undefined : { kind: "connected", era };
  }

  /** The stdio child's pid, while it runs. */
  get pid(): number | undefined {
    return this.transport instanceof StdioTransport ? this.transport.pid : undefined;
  }

  get startMs(): number | undefined {
    return this.readyAfterMs;
  }

  get serverInfo(): Implementation | undefined {
    return this.client?.getServerVersion();
  }

  /** What the upstream server declared at initialize (undefined before connect() resolved). */
  serverCapabilities(): ServerCapabilities | undefined {
    return this.connected ? this.client?.getServerCapabilities() : undefined;
  }

  /** Connects and reads the first listing. Rejects with a VoidError; call once. */
  async connect(): Promise<UpstreamListing> {
    const startedAt = performance.now();
    try {
      const names = secretReferences(this.spec);
      const secrets = names.length > 0 && this.deps.secrets ? await this.deps.secrets(names) : undefined;
      const expansion = expandTracked(this.spec, this.deps.env, (name) => secrets?.get(name));
      this.redact = redactorOf(expansion.substitutions);
      const spec = expansion.spec;
      const self = spec.transport === "stdio" ? selfEntryReason(spec) : undefined;
      if (self !== undefined) throw this.loopError(self);
      if (this.plan.kind === "refuse") throw new VoidError("registry_invalid", this.plan.reason);
      const { client, transport } =
        spec.transport === "stdio" ? await this.connectStdio(spec) : await this.connectRemote(spec);
      this.client = client;
      this.transport = transport;
      if (this.closing) throw this.closedError();
      this.watch(client, transport);
      // Listening first, so that no change between the listing and the stream is missed.
      if (this.isModern(client)) {
        await this.listen(client).catch((error: unknown) => {
          this.log.warn(
            `subscriptions/listen failed; list changes will not be seen: ${describeError(error)}`,
          );
        });
      }
      this.listing = await this.readListing(client);
      if (this.closing) throw this.closedError();
      if (this.loopSeen) throw this.loopError(LOOP_ANSWER);
      if (this.client !== client) {
        throw new VoidError("upstream_unavailable", this.endedEarly ?? "the connection closed");
      }
      this.readyAfterMs = Math.round(performance.now() - startedAt);
      this.connected = true;
      this.log.info(`ready in ${this.readyAfterMs} ms (${this.listing.tools.length} tools)`);
    } catch (error) {
      await this.drop();
      const loop = this.loopSeen && !(error instanceof VoidError && error.details.loop === true);
      throw this.scrub(loop ? this.loopError(LOOP_ANSWER) : error);
    }
    const pending = [...this.pendingRefresh];
    this.pendingRefresh.clear();
    for (const kind of pending) void this.refresh(kind);
    return this.listing;
  }

  /** The upstream is this gateway, or leads back to it: a failure no restart can fix. */
  private loopError(why: string): VoidError {
    return new VoidError("upstream_unavailable", selfServerMessage(this.spec.name, why), {
      details: { loop: true },
    });
  }

  /**
   * The one place a failure of this session is put into words for a person: `error` as a
   * VoidError whose message and hint name no expanded value (see redactValues). Details are kept.
   */
  private scrub(error: unknown): VoidError {
    const failure =
      error instanceof VoidError
        ? error
        : new VoidError("upstream_unavailable", describeError(error), { cause: error });
    const message = this.redact(failure.message);
    const hint = failure.hint === undefined ? undefined : this.redact(failure.hint);
    if (message === failure.message && hint === failure.hint) return failure;
    return new VoidError(failure.code, message, {
      ...(hint === undefined ? {} : { hint }),
      cause: failure.cause,
      details: failure.details,
    });
  }

  /**
   * The upstream answered 508 Loop Detected. While connecting, connect() reports it; afterwards
   * the session ends at once and for good (a retry would only loop again).
   */
  private loopDetected(): void {
    if (this.loopSeen) return;
    this.loopSeen = true;
    if (!this.connected || this.closing) return;
    const reason = selfServerMessage(this.spec.name, LOOP_ANSWER);
    this.log.error(reason);
    this.connected = false;
    void this.drop();
    this.events.closed(reason, true);
  }

  private closedError(): VoidError {
    return new VoidError("upstream_unavailable", `server "${this.spec.name}" has been stopped`);
  }

  private newClient(): Client {
    const relay = this.deps.relay;
    const capabilities = relay?.clientCapabilities(this.spec.name) ?? {};
    this.declared = capabilities;
    const client = new Client(this.deps.clientInfo, {
      capabilities,
      versionNegotiation: this.negotiation(),
      // input_required answers are relayed by multiRound(), with voidmcp's own errors.
      inputRequired: { autoFulfill: false },
    });
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
            // The client's own JSON-RPC error passes back as it is; ours are mapped like any answer.
            if (error instanceof ProtocolError) throw error;
            const { code, message, data } = rpcErrorOf(error);
            throw new ProtocolError(code, message, data);
          }
        });
      }
      for (const method of ["notifications/message", "notifications/resources/updated"] as const) {
        client.setNotificationHandler(method, (notification) => {
          relay.notify(server, method, notification.params as Record<string, unknown> | undefined);
        });
      }
      if (capabilities.roots?.listChanged && relay.onRootsChanged) {
        this.stopRootsWatch?.();
        this.stopRootsWatch = relay.onRootsChanged(server, () => {
          if (this.client !== client) return;
          void client.notification({ method: "notifications/roots/list_changed" }).catch(() => {});
        });
      }
    }
    return client;
  }

  /** The SDK client's negotiation options for this session's plan. */
  private negotiation() {
    const plan = this.plan;
    switch (plan.kind) {
      case "legacy":
      case "refuse":
        return { mode: "legacy" as const };
      case "modern":
        return { mode: { pin: plan.version }, probe: { timeoutMs: this.probeTimeoutMs() } };
      case "probe":
        return { mode: "auto" as const, probe: { timeoutMs: this.probeTimeoutMs() } };
      default: {
        const exhaustive: never = plan;
        return exhaustive;
      }
    }
  }

  /**
   * On stdio a probe nobody answers means a legacy server, so it gets a short timeout; on HTTP
   * silence is an outage and the connect timeout applies.
   */
  private probeTimeoutMs(): number {
    const connect = this.deps.connectTimeoutMs;
    return this.spec.transport === "stdio" ? Math.min(connect, STDIO_PROBE_TIMEOUT_MS) : connect;
  }

  private isModern(client: Client): boolean {
    return client.getProtocolEra() === "modern";
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

  /**
   * Starts the server and connects on that one process: the era probe goes to the process
   * itself, so no second process is ever started to ask. A server that exits on the probe (some
   * legacy servers end on any request before `initialize`) is legacy: it is started once more,
   * straight into `initialize`.
   */
  private async connectStdio(spec: StdioServerSpec): Promise<{ client: Client; transport: Transport }> {
    try {
      return await this.connectStdioOnce(spec);
    } catch (error) {
      const exited = error instanceof VoidError && error.details.exitedOnProbe === true;
      if (!exited || this.closing) throw error;
      this.log.info("it exited on the server/discover probe: a legacy server; starting it again");
      this.plan = { kind: "legacy" };
      this.exitedOnProbe = true;
      return this.connectStdioOnce(spec);
    }
  }

  private async connectStdioOnce(spec: StdioServerSpec): Promise<{ client: Client; transport: Transport }> {
    const transport = new StdioTransport({
      command: spec.command,
      args: spec.args,
      env: { ...this.deps.env, ...spec.env, ...(this.deps.chain ? { [CHAIN_ENV]: this.deps.chain() } : {}) },
      cwd: spec.cwd,
      log: this.log,
      maxMessageBytes: maxResponseBytesOf(this.spec, this.deps.maxResponseBytes),
    });
    const client = this.newClient();
    try {
      await this.handshake(client, transport);
    } catch (error) {
      const sent = transport.methodsSent();
      const exitedOnProbe =
        this.plan.kind === "probe" &&
        transport.exit !== undefined &&
        sent.includes("server/discover") &&
        !sent.includes("initialize");
      throw new VoidError("upstream_unavailable", this.explainStdioFailure(transport, error), {
        cause: error,
        details: { exitedOnProbe },
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
    const maxResponseBytes = maxResponseBytesOf(this.spec, this.deps.maxResponseBytes);
    const hooks = {
      ...(this.deps.chain ? { chain: this.deps.chain } : {}),
      onLoop: () => this.loopDetected(),
    };
    const oauth = this.deps.oauth;
    const tokens =
      oauth && !hasAuthorizationHeader(spec.headers)
        ? new TokenSource(spec.name, spec.oauth, oauth, this.log)
        : undefined;
    this.tokens = tokens;
    if (spec.transport === "sse") {
      return this.connectWith(sseTransport(url, spec.headers, hooks, tokens), spec.url);
    }
    try {
      return await this.connectWith(
        streamableHttpTransport(url, spec.headers, maxResponseBytes, hooks, tokens),
        spec.url,
      );
    } catch (error) {
      const status = error instanceof VoidError ? error.details.httpStatus : undefined;
      if (typeof status !== "number" || !shouldFallBackToSse(status)) throw error;
      this.log.info(`Streamable HTTP answered ${status}; trying legacy SSE`);
      return this.connectWith(sseTransport(url, spec.headers, hooks, tokens), spec.url);
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
      if (this.loopSeen || httpStatusOf(error) === LOOP_STATUS) throw this.loopError(LOOP_ANSWER);
      const needsAuth = this.needsAuthIn(error);
      if (needsAuth) throw needsAuth;
      throw new VoidError("upstream_unavailable", describeHttpFailure(url, error), {
        cause: error,
        details: { httpStatus: httpStatusOf(error) },
      });
    }
    return { client, transport };
  }

  private watch(client: Client, transport: Transport): void {
    client.onclose = () => {
      if (this.closing || this.client !== client) return;
      const exit = transport instanceof StdioTransport ? transport.exit : undefined;
      const tail = transport instanceof StdioTransport ? transport.stderrTail() : "";
      const reason = withStderrTail(exit ? `the server ${exit}` : "the connection closed", tail);
      this.client = undefined;
      this.clearDebounce();
      this.stopListening();
      this.stopRootsWatch?.();
      this.stopRootsWatch = undefined;
      // Before connect() resolved, connect() itself reports the failure.
      this.endedEarly = reason;
      if (this.connected) {
        this.log.warn(reason);
        this.events.closed(this.redact(reason), false);
      }
    };
    // A server may announce changes in floods; re-read each kind once per quiet period.
    const refresh = (kind: ListKind) => () => {
      clearTimeout(this.debounce.get(kind));
      const timer = setTimeout(() => {
        this.debounce.delete(kind);
        void this.refresh(kind);
      }, LIST_CHANGED_DEBOUNCE_MS);
      timer.unref();
      this.debounce.set(kind, timer);
    };
    client.setNotificationHandler("notifications/tools/list_changed", refresh("tools"));
    client.setNotificationHandler("notifications/resources/list_changed", refresh("resources"));
    client.setNotificationHandler("notifications/prompts/list_changed", refresh("prompts"));
  }

  private clearDebounce(): void {
    for (const timer of this.debounce.values()) clearTimeout(timer);
    this.debounce.clear();
  }

  /**
   * Re-reads one kind of list after the upstream's list_changed. A notification that arrives
   * while the first listing is still being read (server-everything sends one right after
   * connect) is remembered and served once that listing is in.
   */
  private async refresh(kind: ListKind): Promise<void> {
    const client = this.client;
    if (!client || this.closing) return;
    if (!this.connected) {
      this.pendingRefresh.add(kind);
      return;
    }
    try {
      const part = await this.readKind(client, kind);
      if (this.client !== client || this.closing) return;
      this.listing = { ...this.listing, ...part };
      this.events.listChanged(this.listing);
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
    if (this.connected && this.client && !this.closing) return this.client;
    throw new VoidError("upstream_unavailable", `server "${this.spec.name}" has no live session`);
  }

  /**
   * Checks that the server still answers within `timeoutMs`: `ping` for a legacy server; a
   * modern one has no ping, and is asked `server/discover` instead.
   */
  async ping(timeoutMs: number): Promise<void> {
    const client = this.requireClient();
    await this.forward("ping", { timeoutMs }, () =>
      this.isModern(client) ? client.discover({ timeout: timeoutMs }) : client.ping({ timeout: timeoutMs }),
    );
  }

  /** Calls a tool by its upstream name; the result comes back exactly as the upstream sent it. */
  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    const params = args === undefined ? { name } : { name, arguments: args };
    return this.multiRound(`tool "${name}"`, "tools/call", params, options);
  }

  async readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.multiRound(`resource "${uri}"`, "resources/read", { uri }, options);
  }

  async getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    options: CallOptions = {},
  ): Promise<GetPromptResult> {
    const params = args === undefined ? { name } : { name, arguments: args };
    return this.multiRound(`prompt "${name}"`, "prompts/get", params, options);
  }

  async complete(params: CompleteRequestParams, options: CallOptions = {}): Promise<CompleteResult> {
    const client = this.requireClient();
    return this.forward("completion/complete", options, () =>
      client.request(
        {
          method: "completion/complete",
          params: this.withLogLevel(client, params as Record<string, unknown>),
        },
        this.requestOptions(options),
      ),
    );
  }

  /**
   * Subscribes to (or unsubscribes from) a resource's updates: `resources/subscribe` for a legacy
   * server; for a modern one the resource joins (or leaves) the filter of its listen stream,
   * which is opened again with it.
   */
  async subscribe(uri: string, subscribe: boolean): Promise<void> {
    const client = this.requireClient();
    if (this.isModern(client)) {
      if (subscribe) this.subscribedUris.add(uri);
      else this.subscribedUris.delete(uri);
      await this.forward(subscribe ? "subscriptions/listen" : "subscriptions/listen (unsubscribe)", {}, () =>
        this.listen(client),
      );
      return;
    }
    const method = subscribe ? "resources/subscribe" : "resources/unsubscribe";
    await this.forward(method, {}, () =>
      client.request({ method, params: { uri } }, this.requestOptions({})),
    );
  }

  /**
   * A legacy server is told `logging/setLevel`; a modern one has no such request, and gets the
   * level in the `_meta` of every request from now on (without it, it sends no log messages).
   */
  async setLogLevel(level: LoggingLevel): Promise<void> {
    const client = this.requireClient();
    this.logLevel = level;
    if (this.isModern(client)) return;
    await this.forward("logging/setLevel", {}, () =>
      client.request({ method: "logging/setLevel", params: { level } }, this.requestOptions({})),
    );
  }

  /** `params` with the clients' log level in `_meta`, for a modern server. */
  private withLogLevel(client: Client, params: Record<string, unknown>): Record<string, unknown> {
    if (this.logLevel === undefined || !this.isModern(client)) return params;
    const meta = typeof params._meta === "object" && params._meta !== null ? params._meta : {};
    return { ...params, _meta: { ...meta, [LOG_LEVEL_META_KEY]: this.logLevel } };
  }

  /**
   * Runs a request that a modern server may answer with `input_required` (see
   * input-required.ts): each embedded request goes to the relay exactly like a legacy server's
   * pushed request (so it reaches the client whose call this is), and the request is sent again
   * with the answers and the server's `requestState`. Every leg gets the call's timeout, signal
   * and progress. An embedded request that cannot be answered, or an answer that never
   * satisfies the server, ends the call with a VoidError saying which.
   */
  private async multiRound<T>(
    what: string,
    method: MultiRoundMethod,
    params: Record<string, unknown>,
    options: CallOptions,
  ): Promise<T> {
    const client = this.requireClient();
    return this.forward(what, options, async () => {
      let leg = params;
      for (let round = 0; ; round++) {
        const request = { method, params: this.withLogLevel(client, leg) };
        const requestOptions = { ...this.requestOptions(options), allowInputRequired: true };
        // A tool's result is forwarded as the upstream said it: the common shapes skip the SDK's
        // copy-and-check (the downstream server checks what it sends anyway).
        const schema = method === "tools/call" ? relayedToolResultSchema(client) : undefined;
        const answer: unknown = schema
          ? await client.request(request, schema, requestOptions)
          : await client.request(request, requestOptions);
        if (!isInputRequired(answer)) return answer as T;
        if (round >= MAX_INPUT_ROUNDS) {
          throw this.inputFailure(
            what,
            `it still asked for input after ${MAX_INPUT_ROUNDS} rounds of answers; voidmcp stopped asking the client`,
          );
        }
        const plan = planInputs(answer, this.declared);
        if (!plan.ok) throw this.inputFailure(what, plan.reason);
        const responses = await this.answerInputs(what, plan.inputs, options.signal);
        leg = retryParams(params, responses, answer.requestState);
      }
    });
  }

  /**
   * Asks the relay for every embedded request at once; the first one that fails cancels the
   * others and ends the call.
   */
  private async answerInputs(
    what: string,
    inputs: readonly PlannedInput[],
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const relay = this.deps.relay;
    if (inputs.length === 0) return {};
    if (!relay) {
      throw this.inputFailure(what, `it asked for ${inputs[0]?.method}, and there is no client to ask`);
    }
    const round = new AbortController();
    const abort = () => round.abort(signal?.reason);
    signal?.addEventListener("abort", abort, { once: true });
    try {
      const answers = await Promise.all(
        inputs.map(async (input) => {
          try {
            return [input.key, await relay.request(this.spec.name, input.method, input.params, round.signal)];
          } catch (error) {
            round.abort(error);
            if (signal?.aborted) throw error;
            throw this.inputFailure(
              what,
              `it asked for ${input.method}, and the client did not answer it: ${describeError(error)}`,
              error,
            );
          }
        }),
      );
      return Object.fromEntries(answers);
    } finally {
      signal?.removeEventListener("abort", abort);
    }
  }

  private inputFailure(what: string, why: string, cause?: unknown): VoidError {
    return new VoidError("upstream_error", `${what} on server "${this.spec.name}" needs input: ${why}`, {
      ...(cause === undefined ? {} : { cause }),
      details: { server: this.spec.name, inputRequired: true },
    });
  }

  /**
   * Opens (or opens again, with the current filter) a modern server's `subscriptions/listen`
   * stream. Its notifications reach the same handlers a legacy server's pushed notifications do
   * (list_changed re-reads a list, resources/updated goes to the relay). The new stream is open
   * before the old one closes, so no change falls between them. A stream the server ends while
   * the session lives is opened again after a growing pause.
   */
  private async listen(client: Client): Promise<void> {
    clearTimeout(this.relistenTimer);
    this.relistenTimer = undefined;
    const filter = subscriptionFilter(client.getServerCapabilities(), this.subscribedUris);
    const previous = this.subscription;
    this.subscription = undefined;
    if (filter === undefined) {
      await previous?.close();
      return;
    }
    const subscription = await client.listen(filter, { timeout: this.deps.connectTimeoutMs });
    if (this.client !== client || this.closing) {
      await subscription.close();
      return;
    }
    this.subscription = subscription;
    await previous?.close();
    void subscription.closed.then((how) => {
      if (how === "local" || this.subscription !== subscription) return;
      this.subscription = undefined;
      if (this.client !== client || this.closing) return;
      const delay = this.relistenDelayMs;
      this.relistenDelayMs = Math.min(delay * 2, RELISTEN_MAX_MS);
      this.log.info(
        `the server ended its subscriptions/listen stream (${how}); listening again in ${delay} ms`,
      );
      this.relistenTimer = setTimeout(() => {
        this.listen(client).then(
          () => {
            this.relistenDelayMs = RELISTEN_FIRST_MS;
          },
          (error: unknown) => this.log.warn(`subscriptions/listen failed: ${describeError(error)}`),
        );
      }, delay);
      this.relistenTimer.unref();
    });
  }

  private stopListening(): void {
    clearTimeout(this.relistenTimer);
    this.relistenTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    void subscription?.close().catch(() => {});
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
      throw this.scrub(this.describeFailure(what, options, error));
    }
  }

  /**
   * The needs-auth error in a failure: what the token source threw, or a 401 for a token that was
   * just refreshed (the server refuses the sign-in itself).
   */
  private needsAuthIn(error: unknown): VoidError | undefined {
    const found = findNeedsAuth(error);
    if (found) return found;
    if (this.tokens?.signedIn && httpStatusOf(error) === 401) {
      return needsAuthError(this.spec.name, "it refused a freshly refreshed access token");
    }
    return undefined;
  }

  /** A failed request as a VoidError that names the server (not yet redacted: see scrub). */
  private describeFailure(what: string, options: CallOptions, error: unknown): VoidError {
    const server = this.spec.name;
    if (this.loopSeen) return this.loopError(LOOP_ANSWER);
    const needsAuth = this.needsAuthIn(error);
    if (needsAuth) {
      // The session is no use without a new sign-in: end it, and say so once.
      if (this.connected && !this.closing) {
        this.connected = false;
        void this.drop();
        this.events.needsAuth(needsAuth);
      }
      return needsAuth;
    }
    if (error instanceof ProtocolError) {
      return new VoidError("upstream_error", error.message, {
        cause: error,
        details: { rpcCode: error.code, rpcData: error.data, server },
      });
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
      const ms = options.timeoutMs ?? this.spec.timeoutMs;
      return new VoidError("timeout", `${what} on server "${server}" did not answer within ${ms} ms`, {
        cause: error,
        hint: `raise "timeoutMs" for "${server}" in the registry if it needs longer`,
      });
    }
    if (options.signal?.aborted) {
      return new VoidError("upstream_error", `${what} on server "${server}" was cancelled`, {
        cause: error,
      });
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) {
      return new VoidError(
        "upstream_unavailable",
        `server "${server}" closed the connection during ${what}`,
        { cause: error },
      );
    }
    return new VoidError("upstream_error", `${what} on server "${server}" failed: ${describeError(error)}`, {
      cause: error,
    });
  }

  /** Ends the session and stops the server's processes. No event follows. Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    await this.drop();
  }

  private async drop(): Promise<void> {
    this.clearDebounce();
    this.stopListening();
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
}
