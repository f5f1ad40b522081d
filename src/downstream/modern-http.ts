import type { IncomingMessage, ServerResponse } from "node:http";
import { createMcpHandler, isLegacyRequest } from "@modelcontextprotocol/server";
import type { Logger } from "../core/index.js";
import type { ClientChannel, GatewayBackend, ListKind, RequestContext } from "./backend.js";
import { MODERN_VERSIONS } from "./era.js";
import { Continuations } from "./input-required.js";
import { header, type JsonBody, send, toWebRequest } from "./node-http.js";
import { createDownstreamServer } from "./server.js";

/**
 * The modern (2026-07-28) leg of `/mcp`: no sessions, every request stands alone and carries
 * its protocol version, client info and capabilities in `_meta`. The SDK's per-request handler
 * (`createMcpHandler`, legacy traffic refused: the sessionful legacy leg in http.ts keeps it)
 * checks the headers (-32020 on a mismatch), the version (-32022 with the supported list),
 * answers `server/discover` and `subscriptions/listen`, and adds cache hints; each request gets a
 * fresh server over the shared backend. What lives longer than a request lives here: the
 * continuations of calls waiting for the client's input, and the resources that modern listen
 * streams watch.
 */
export interface ModernLeg {
  /**
   * Whether a request belongs to this leg: it claims the modern envelope (pure classification).
   * `parsed` is the POST body parsed once by the front (undefined: not JSON, or not a POST).
   */
  claims(req: IncomingMessage, url: URL, parsed: JsonBody | undefined): Promise<boolean>;
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    parsed: JsonBody | undefined,
  ): Promise<void>;
  /** Calls of modern clients waiting for their input. */
  waiting(): number;
  /** Cancels waiting calls and open listen streams. Idempotent. */
  close(): Promise<void>;
}

const NOTIFY: Record<ListKind, "toolsChanged" | "resourcesChanged" | "promptsChanged"> = {
  tools: "toolsChanged",
  resources: "resourcesChanged",
  prompts: "promptsChanged",
};

/** The resource URIs a `subscriptions/listen` body asks to watch (none for any other body). */
function watchedResources(body: JsonBody | undefined): string[] {
  if (typeof body?.json !== "object" || body.json === null) return [];
  const message = body.json as {
    method?: unknown;
    params?: { notifications?: { resourceSubscriptions?: unknown } };
  };
  if (message.method !== "subscriptions/listen") return [];
  const uris = message.params?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.filter((uri): uri is string => typeof uri === "string") : [];
}

export function modernLeg(backend: GatewayBackend, log: Logger, profile?: string): ModernLeg {
  const continuations = new Continuations();
  const handler = createMcpHandler(
    ({ era }) =>
      createDownstreamServer(backend, { era, continuations, principal: "http", listChanged: false }).server,
    {
      legacy: "reject",
      onerror: (error) => log.debug(`HTTP (2026-07-28): ${error.message}`),
    },
  );
  const unsubscribe = backend.onListChanged((kinds) => {
    for (const kind of kinds) handler.notify[NOTIFY[kind]]();
  });

  /**
   * The modern clients of this front, as one client of the backend: connected with the first
   * modern request, so upstreams start as they do for a legacy client's initialize. Listen
   * streams watch resources through it: the first stream that
   * watches a URI subscribes it upstream, the last one to close unsubscribes it. An update
   * reaches every open stream that watches the URI (the handler's bus filters per stream).
   */
  const watched = new Map<string, number>();
  const watcher: ClientChannel = {
    id: profile === undefined ? "modern-http-listen" : `modern-http-listen/${profile}`,
    capabilities: () => undefined,
    info: () => undefined,
    logLevel: () => undefined,
    request: (method) => Promise.reject(new Error(`${method} cannot be asked of a listen stream`)),
    notify: async (method, params) => {
      if (method === "notifications/resources/updated" && typeof params?.uri === "string") {
        handler.notify.resourceUpdated(params.uri);
      }
    },
  };
  let watcherConnected = false;
  const watcherContext = (): RequestContext => ({
    signal: new AbortController().signal,
    onprogress: undefined,
    client: watcher,
  });
  const watch = async (uris: readonly string[]) => {
    if (!watcherConnected) {
      watcherConnected = true;
      backend.clientConnected(watcher);
    }
    for (const uri of uris) {
      const count = watched.get(uri) ?? 0;
      watched.set(uri, count + 1);
      if (count === 0) {
        await backend.subscribe(uri, watcherContext()).catch((error: unknown) => {
          log.debug(`HTTP (2026-07-28): cannot watch ${uri}: ${String(error)}`);
        });
      }
    }
  };
  const unwatch = (uris: readonly string[]) => {
    for (const uri of uris) {
      const count = (watched.get(uri) ?? 1) - 1;
      if (count > 0) {
        watched.set(uri, count);
        continue;
      }
      watched.delete(uri);
      void backend.unsubscribe(uri, watcherContext()).catch(() => {});
    }
  };

  let closed = false;
  return {
    async claims(req, url, parsed) {
      // GET and DELETE are session operations, legacy by the SDK's classification; from a client
      // that names a modern revision and no session they get the modern leg's 405.
      if (req.method === "GET" || req.method === "DELETE") {
        return (
          header(req, "mcp-session-id") === undefined &&
          MODERN_VERSIONS.includes(header(req, "mcp-protocol-version") ?? "")
        );
      }
      // A session is legacy by definition: its requests skip the classification (hot path).
      if (header(req, "mcp-session-id") !== undefined) return false;
      // Not JSON: the legacy leg answers the parse error, as before.
      if (parsed === undefined) return false;
      try {
        // Given the parsed body, the classification reads nothing from the Request's.
        return !(await isLegacyRequest(toWebRequest(req, url, undefined), parsed.json));
      } catch {
        return false;
      }
    },
    async serve(req, res, url, body, parsed) {
      // Closing the response before it is complete is how a modern client cancels a request
      // (and ends a listen stream): the SDK aborts the request's handler on this signal.
      const abandon = new AbortController();
      let complete = false;
      res.on("close", () => {
        if (!complete) abandon.abort(new Error("the HTTP client closed the request"));
      });
      // The first modern request is the first client on this front: upstreams start with it.
      if (!watcherConnected) {
        watcherConnected = true;
        backend.clientConnected(watcher);
      }
      const uris = watchedResources(parsed);
      if (uris.length > 0) await watch(uris);
      try {
        const response =
          parsed === undefined
            ? await handler.fetch(toWebRequest(req, url, body, abandon.signal))
            : await handler.fetch(toWebRequest(req, url, undefined, abandon.signal), {
                parsedBody: parsed.json,
              });
        complete = await send(response, res);
      } finally {
        complete = true;
        if (uris.length > 0) unwatch(uris);
      }
    },
    waiting: () => continuations.size,
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      continuations.close();
      if (watcherConnected) backend.clientClosed(watcher);
      await handler.close();
    },
  };
}
