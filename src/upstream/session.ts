import {
  type CallToolResult,
  Client,
  type ClientCapabilities,
  type CompleteRequestParams,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
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
import { findNeedsAuth, needsAuthError, TokenSource } from "./oauth/index.js";
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

  readonly spec: ServerSpec;
  private readonly deps: ConnectionDeps;
  private readonly events: SessionEvents;

  constructor(spec: ServerSpec, deps: ConnectionDeps, events: SessionEvents) {
    this.spec = spec;
    this.deps = deps;
    this.events = events;
    this.log = redactingLogger(deps.log.child(spec.name), (text) => this.redact(text));
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
      const { client, transport } =
        spec.transport === "stdio" ? await this.connectStdio(spec) : await this.connectRemote(spec);
      this.client = client;
      this.transport = transport;
      if (this.closing) throw this.closedError();
      this.watch(client, transport);
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
      env: { ...this.deps.env, ...spec.env, ...(this.deps.chain ? { [CHAIN_ENV]: this.deps.chain() } : {}) },
      cwd: spec.cwd,
      log: this.log,
      maxMessageBytes: maxResponseBytesOf(this.spec, this.deps.maxResponseBytes),
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

  /** Pings the server; rejects when it does not answer within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    const client = this.requireClient();
    await this.forward("ping", { timeoutMs }, () => client.ping({ timeout: timeoutMs }));
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
