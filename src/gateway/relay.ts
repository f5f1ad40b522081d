import { VoidError } from "../core/index.js";
import type { ClientChannel, RequestContext } from "../downstream/index.js";
import type {
  ClientCapabilities,
  LoggingLevel,
  RelayedNotification,
  RelayedRequest,
  UpstreamRelay,
} from "../upstream/index.js";
import { exposeUiUri, UI_EXTENSION, UI_MIME_TYPE } from "../upstream/index.js";

const LEVELS: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/**
 * Who the clients of this gateway are, as far as an upstream may be told: `none` (the CLI: no
 * client at all), `one` (stdio only: one client for the gateway's life), `shared` (an HTTP front:
 * any number of clients that come and go, all through the same upstream processes).
 */
export type ClientMode = "none" | "one" | "shared";

/** Where an upstream's `roots/list` is answered from. */
export type RootsSource = "registry" | "client" | "none";

/**
 * Where `roots/list` from an upstream is answered from (pure). The server's own `roots` in the
 * registry always win and no client is asked. Otherwise only a lone stdio client's roots may be
 * relayed: an upstream keeps what it is told as its own state (server-filesystem replaces its
 * allowed directories), so behind a shared front one client's roots would become every other
 * client's, even after that client left. There the answer is an empty list.
 */
export function rootsSource(configured: readonly string[] | undefined, mode: ClientMode): RootsSource {
  if (configured !== undefined) return "registry";
  return mode === "one" ? "client" : "none";
}

/**
 * The client capabilities an upstream is told (pure): what it can use through the gateway.
 * Sampling and elicitation are relayed to the client whose call caused them, so behind a shared
 * front both are declared (a client without them answers "method not found"). Roots are declared
 * only where there are roots to give: the server's own from the registry, or a lone stdio client's
 * as it declared them. Behind a shared front an upstream without its own roots is not told about
 * roots at all, and so falls back on its own configuration. The MCP Apps extension
 * (`io.modelcontextprotocol/ui`) is passed on as a lone client declared it; behind a shared front it
 * is always declared, since the gateway relays `ui://` resources to every client and a client
 * that renders no UI ignores a tool's `_meta.ui`.
 */
export function upstreamCapabilities(
  mode: ClientMode,
  client: ClientCapabilities | undefined,
  configuredRoots: readonly string[] | undefined,
): ClientCapabilities {
  const out: ClientCapabilities = {};
  if (mode === "shared") {
    out.sampling = {};
    out.elicitation = { form: {} };
  } else if (mode === "one") {
    if (client?.sampling) out.sampling = client.sampling;
    if (client?.elicitation) out.elicitation = client.elicitation;
  }
  const ui =
    mode === "shared"
      ? { mimeTypes: [UI_MIME_TYPE] }
      : mode === "one"
        ? (client?.extensions?.[UI_EXTENSION] ?? client?.experimental?.[UI_EXTENSION])
        : undefined;
  if (ui !== undefined) out.extensions = { [UI_EXTENSION]: ui };
  const source = rootsSource(configuredRoots, mode);
  switch (source) {
    case "registry":
      // A change of the entry's roots restarts the server, so there is no list_changed to send.
      out.roots = {};
      break;
    case "client":
      if (client?.roots) out.roots = client.roots;
      break;
    case "none":
      break;
    default: {
      const exhaustive: never = source;
      return exhaustive;
    }
  }
  return out;
}

/**
 * Whether a log message at `level` goes to `channel` (pure): a modern client's threshold is the
 * one its current request carries, and none means no log messages; a legacy client's is its
 * session's `logging/setLevel` (`sessionLevel`), and none means all.
 */
export function logPasses(
  level: unknown,
  channel: Pick<ClientChannel, "logLevel">,
  sessionLevel: LoggingLevel | undefined,
): boolean {
  if (channel.logLevel) {
    const chosen = channel.logLevel();
    return chosen !== undefined && passesLevel(level, chosen);
  }
  return passesLevel(level, sessionLevel);
}

/** Whether a log message at `level` passes a client's `logging/setLevel` threshold (pure). */
export function passesLevel(level: unknown, threshold: LoggingLevel | undefined): boolean {
  if (threshold === undefined) return true;
  const at = LEVELS.indexOf(level as LoggingLevel);
  return at === -1 || at >= LEVELS.indexOf(threshold);
}

/**
 * The gateway's side of the protocol relay: which clients are connected, which client's call is
 * running on which upstream, who subscribed to what. What one client says never becomes another
 * client's state:
 * - sampling and elicitation go only to the client whose call is running on that upstream (the
 *   latest, when several are); with no call running they are refused;
 * - roots/list is answered as `rootsSource` decides (the registry's roots, a lone stdio client's
 *   roots, or an empty list);
 * - log messages go with the running call, or to every client when none is running;
 * - resources/updated goes to the clients subscribed.
 */
export class ClientRelay implements UpstreamRelay {
  private readonly clients = new Map<string, { channel: ClientChannel; level: LoggingLevel | undefined }>();
  private readonly calls = new Map<string, RequestContext[]>();
  private readonly subscribers = new Map<string, Set<string>>();
  private readonly rootsListeners = new Set<{ server: string; changed: () => void }>();
  private mode: ClientMode = "none";
  private client: ClientCapabilities | undefined;
  private readonly rootsOf: (server: string) => readonly string[] | undefined;

  /** `rootsOf` gives a server's own roots (file:// URIs) from the live registry, if it sets any. */
  constructor(rootsOf: (server: string) => readonly string[] | undefined = () => undefined) {
    this.rootsOf = rootsOf;
  }

  /**
   * Fixes what upstream connections declare from now on: who the clients are, and (for `one`)
   * what that client declared.
   */
  declare(mode: ClientMode, capabilities: ClientCapabilities | undefined): void {
    this.mode = mode;
    this.client = capabilities;
  }

  clientCapabilities(server: string): ClientCapabilities {
    return upstreamCapabilities(this.mode, this.client, this.rootsOf(server));
  }

  /**
   * Listens for the client's roots changing, for upstream `server`; returns the unsubscribe
   * function. Only a lone stdio client's change reaches upstreams without roots of their own.
   */
  onRootsChanged(server: string, changed: () => void): () => void {
    const entry = { server, changed };
    this.rootsListeners.add(entry);
    return () => {
      this.rootsListeners.delete(entry);
    };
  }

  /** A client said its roots changed (notifications/roots/list_changed). */
  rootsChanged(channel: ClientChannel): void {
    if (!this.clients.has(channel.id)) return;
    for (const { server, changed } of [...this.rootsListeners]) {
      if (rootsSource(this.rootsOf(server), this.mode) === "client") changed();
    }
  }

  connected(channel: ClientChannel): void {
    this.clients.set(channel.id, { channel, level: undefined });
  }

  /** Forgets a client; returns the URIs nobody is subscribed to any more. */
  closed(channel: ClientChannel): string[] {
    this.clients.delete(channel.id);
    const orphaned: string[] = [];
    for (const [uri, ids] of this.subscribers) {
      if (ids.delete(channel.id) && ids.size === 0) {
        this.subscribers.delete(uri);
        orphaned.push(uri);
      }
    }
    return orphaned;
  }

  setLevel(channel: ClientChannel, level: LoggingLevel): void {
    const entry = this.clients.get(channel.id);
    if (entry) entry.level = level;
  }

  /** Records a subscription; true when it is the first for this URI (subscribe upstream). */
  subscribe(channel: ClientChannel, uri: string): boolean {
    const ids = this.subscribers.get(uri) ?? new Set<string>();
    const first = ids.size === 0;
    ids.add(channel.id);
    this.subscribers.set(uri, ids);
    return first;
  }

  /** Drops a subscription; true when it was the last for this URI (unsubscribe upstream). */
  unsubscribe(channel: ClientChannel, uri: string): boolean {
    const ids = this.subscribers.get(uri);
    if (!ids?.delete(channel.id)) return false;
    if (ids.size > 0) return false;
    this.subscribers.delete(uri);
    return true;
  }

  /** Runs `call` as `context`'s call on upstream `server`, so what the upstream sends meanwhile reaches that client. */
  async during<T>(server: string, context: RequestContext, call: () => Promise<T>): Promise<T> {
    const running = this.calls.get(server) ?? [];
    running.push(context);
    this.calls.set(server, running);
    try {
      return await call();
    } finally {
      running.splice(running.indexOf(context), 1);
      if (running.length === 0) this.calls.delete(server);
    }
  }

  private caller(server: string): RequestContext | undefined {
    const running = this.calls.get(server);
    return running?.[running.length - 1];
  }

  private latestClient(): ClientChannel | undefined {
    return [...this.clients.values()].at(-1)?.channel;
  }

  async request(
    server: string,
    method: RelayedRequest,
    params: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    if (method === "roots/list") return this.roots(server, params, signal);
    const caller = this.caller(server);
    if (!caller) {
      throw new VoidError(
        "upstream_error",
        `"${server}" sent ${method} while no call of a client was running on it; voidmcp relays ${method} only to the client whose call caused it`,
      );
    }
    return askClient(caller.client, method, params, signal);
  }

  private async roots(
    server: string,
    params: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const configured = this.rootsOf(server);
    const source = rootsSource(configured, this.mode);
    switch (source) {
      case "registry":
        return { roots: (configured ?? []).map((uri) => ({ uri })) };
      case "none":
        return { roots: [] };
      case "client": {
        // Over stdio the one client is the only one there is.
        const client = this.latestClient();
        if (!client) return { roots: [] };
        return askClient(client, "roots/list", params, signal);
      }
      default: {
        const exhaustive: never = source;
        return exhaustive;
      }
    }
  }

  notify(server: string, method: RelayedNotification, params: Record<string, unknown> | undefined): void {
    if (method === "notifications/resources/updated") {
      // Subscriptions are kept by the URI clients see: expose the upstream's.
      const uri = typeof params?.uri === "string" ? exposeUiUri(server, params.uri) : undefined;
      for (const id of (uri && this.subscribers.get(uri)) || []) {
        void this.clients
          .get(id)
          ?.channel.notify(method, { ...params, uri })
          .catch(() => {});
      }
      return;
    }
    const message: Record<string, unknown> = {
      ...params,
      logger: typeof params?.logger === "string" ? params.logger : server,
    };
    const caller = this.caller(server);
    if (caller) {
      if (logPasses(message.level, caller.client, this.clients.get(caller.client.id)?.level)) {
        void caller.client.notify(method, message).catch(() => {});
      }
      return;
    }
    for (const { channel, level } of this.clients.values()) {
      // A modern client gets log messages only on the requests that asked for them.
      if (channel.logLevel) continue;
      if (passesLevel(message.level, level)) void channel.notify(method, message).catch(() => {});
    }
  }
}

/** Which client capability a relayed request needs. */
const NEEDS: Record<RelayedRequest, keyof ClientCapabilities> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

function askClient(
  client: ClientChannel,
  method: RelayedRequest,
  params: Record<string, unknown> | undefined,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const capability = NEEDS[method];
  if (client.capabilities()?.[capability] === undefined) {
    return Promise.reject(
      new VoidError(
        "upstream_error",
        `the client did not declare ${capability}, so it cannot answer ${method}`,
        {
          details: { rpcCode: -32601 },
        },
      ),
    );
  }
  return client.request(method, params, signal);
}
