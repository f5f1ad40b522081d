import { VoidError } from "../core/index.js";
import type { ClientChannel, RequestContext } from "../downstream/index.js";
import type {
  ClientCapabilities,
  LoggingLevel,
  RelayedNotification,
  RelayedRequest,
  UpstreamRelay,
} from "../upstream/index.js";

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

/** Which client capability a relayed request needs. */
const NEEDS: Record<RelayedRequest, keyof ClientCapabilities> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

/** The client capabilities an upstream may be told about: the ones it can use through us. */
export function relayableCapabilities(capabilities: ClientCapabilities | undefined): ClientCapabilities {
  const out: ClientCapabilities = {};
  if (capabilities?.sampling) out.sampling = capabilities.sampling;
  if (capabilities?.elicitation) out.elicitation = capabilities.elicitation;
  if (capabilities?.roots) out.roots = capabilities.roots;
  return out;
}

/** Whether a log message at `level` passes a client's `logging/setLevel` threshold (pure). */
export function passesLevel(level: unknown, threshold: LoggingLevel | undefined): boolean {
  if (threshold === undefined) return true;
  const at = LEVELS.indexOf(level as LoggingLevel);
  return at === -1 || at >= LEVELS.indexOf(threshold);
}

/**
 * The gateway's side of the protocol relay: which clients are connected, which client's call is
 * running on which upstream, who subscribed to what. Requests an upstream makes (sampling,
 * elicitation, roots) go to the client whose call is running on that upstream (the latest, when
 * several are), else to the most recently connected client; log messages go with that call, or
 * to every client when no call is running; resources/updated goes to the clients subscribed.
 */
export class ClientRelay implements UpstreamRelay {
  private readonly clients = new Map<string, { channel: ClientChannel; level: LoggingLevel | undefined }>();
  private readonly calls = new Map<string, RequestContext[]>();
  private readonly subscribers = new Map<string, Set<string>>();
  private declared: ClientCapabilities = {};

  /** Fixes what upstream connections declare from now on (the first client's capabilities). */
  declare(capabilities: ClientCapabilities | undefined): void {
    this.declared = relayableCapabilities(capabilities);
  }

  clientCapabilities(): ClientCapabilities {
    return this.declared;
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
    const caller = this.caller(server);
    const target = caller?.client ?? this.latestClient();
    if (!target)
      throw new VoidError("upstream_error", `no client is connected to answer ${method} from "${server}"`);
    const capability = NEEDS[method];
    if (target.capabilities()?.[capability] === undefined) {
      throw new VoidError(
        "upstream_error",
        `the client did not declare ${capability}, so it cannot answer ${method}`,
        {
          details: { rpcCode: -32601 },
        },
      );
    }
    return target.request(method, params, signal);
  }

  notify(server: string, method: RelayedNotification, params: Record<string, unknown> | undefined): void {
    if (method === "notifications/resources/updated") {
      const uri = typeof params?.uri === "string" ? params.uri : undefined;
      for (const id of (uri && this.subscribers.get(uri)) || []) {
        void this.clients
          .get(id)
          ?.channel.notify(method, params)
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
      if (passesLevel(message.level, this.clients.get(caller.client.id)?.level)) {
        void caller.client.notify(method, message).catch(() => {});
      }
      return;
    }
    for (const { channel, level } of this.clients.values()) {
      if (passesLevel(message.level, level)) void channel.notify(method, message).catch(() => {});
    }
  }
}
