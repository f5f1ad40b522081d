import {
  type ClientCapabilities,
  type Implementation,
  type InputRequiredResult,
  type LoggingLevel,
  type Notification,
  type ProgressToken,
  type RequestMethod,
  type Result,
  Server,
} from "@modelcontextprotocol/server";
import { VoidError } from "../core/index.js";
import type { ClientChannel, GatewayBackend, ListKind, RequestContext } from "./backend.js";
import { CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, type Era, LOG_LEVEL_KEY } from "./era.js";
import { toolFailure, toProtocolError } from "./errors.js";
import type { Continuations, Round } from "./input-required.js";
import { paramsDigest, principalDigest } from "./request-state.js";

const LIST_CHANGED_METHOD: Record<ListKind, string> = {
  tools: "notifications/tools/list_changed",
  resources: "notifications/resources/list_changed",
  prompts: "notifications/prompts/list_changed",
};

interface HandlerContext {
  readonly mcpReq: {
    readonly signal: AbortSignal;
    readonly _meta?: { progressToken?: ProgressToken } & Record<string, unknown>;
    readonly envelope?: object;
    readonly inputResponses?: Record<string, unknown>;
    readonly requestState: <T = unknown>() => T | undefined;
    readonly notify: (notification: { method: string; params?: Record<string, unknown> }) => Promise<void>;
    readonly send: (
      request: { method: RequestMethod; params?: Record<string, unknown> },
      options?: { signal?: AbortSignal },
    ) => Promise<unknown>;
  };
}

let nextChannelId = 0;

/** The client of `server`, addressed outside any request (broadcasts, requests of its own). */
function sessionChannel(server: Server): ClientChannel {
  nextChannelId += 1;
  const id = `client-${nextChannelId}`;
  return {
    id,
    capabilities: () => server.getClientCapabilities(),
    info: () => server.getClientVersion(),
    request: async (method, params, signal) =>
      (await server.request(
        { method: method as RequestMethod, ...(params ? { params } : {}) },
        signal ? { signal } : undefined,
      )) as Record<string, unknown>,
    notify: (method, params) =>
      server.notification({ method, ...(params ? { params } : {}) } as Notification),
  };
}

/** The same client, addressed from inside one of its requests: what the request causes goes with it. */
function requestContext(ctx: HandlerContext, session: ClientChannel): RequestContext {
  const token = ctx.mcpReq._meta?.progressToken;
  return {
    signal: ctx.mcpReq.signal,
    onprogress:
      token === undefined
        ? undefined
        : (progress) => {
            void ctx.mcpReq
              .notify({ method: "notifications/progress", params: { ...progress, progressToken: token } })
              .catch(() => {});
          },
    client: {
      id: session.id,
      capabilities: session.capabilities,
      info: session.info,
      request: async (method, params, signal) =>
        (await ctx.mcpReq.send(
          { method: method as RequestMethod, ...(params ? { params } : {}) },
          signal ? { signal } : undefined,
        )) as Record<string, unknown>,
      notify: (method, params) => ctx.mcpReq.notify({ method, ...(params ? { params } : {}) }),
    },
  };
}

/** A modern client's request as a round of a continuation (see input-required.ts). */
function roundOf(ctx: HandlerContext): Round {
  const envelope = (ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
  const token = ctx.mcpReq._meta?.progressToken;
  const notify = (method: string, params?: Record<string, unknown>) =>
    ctx.mcpReq.notify({ method, ...(params ? { params } : {}) });
  return {
    signal: ctx.mcpReq.signal,
    capabilities: envelope[CLIENT_CAPABILITIES_KEY] as ClientCapabilities | undefined,
    clientInfo: envelope[CLIENT_INFO_KEY] as Implementation | undefined,
    logLevel: envelope[LOG_LEVEL_KEY] as LoggingLevel | undefined,
    notify,
    progress:
      token === undefined
        ? undefined
        : (progress) => {
            void notify("notifications/progress", { ...progress, progressToken: token }).catch(() => {});
          },
  };
}

/**
 * A modern client's request that cannot ask the client anything (completion): the per-request
 * view of the client, whose `request` always refuses, since 2026-07-28 has no server→client
 * requests and only tools/call, prompts/get and resources/read may answer input_required.
 */
function modernRequestContext(ctx: HandlerContext): RequestContext {
  const round = roundOf(ctx);
  return {
    signal: round.signal,
    onprogress: round.progress,
    client: {
      id: "modern-request",
      capabilities: () => round.capabilities,
      info: () => round.clientInfo,
      logLevel: () => round.logLevel,
      request: (method) =>
        Promise.reject(
          new VoidError(
            "upstream_error",
            `a 2026-07-28 client cannot be asked ${method} during this request`,
            {
              details: { rpcCode: -32601 },
            },
          ),
        ),
      notify: round.notify,
    },
  };
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toProtocolError(error);
  }
}

/** The MCP Apps extension's key in `capabilities.extensions`. */
const UI_EXTENSION = "io.modelcontextprotocol/ui";

/**
 * An MCP server (one per connected client) that serves the backend's catalogue. It advertises
 * only what it serves: tools, resources and prompts, each with list_changed, which it sends
 * whenever the backend says a list changed. `dispose()` stops listening to the backend.
 */
export interface DownstreamServerOptions {
  /** The era the instance serves; default legacy (sessions, initialize). */
  readonly era?: Era;
  /** Modern only: where calls that need the client wait between rounds. */
  readonly continuations?: Continuations;
  /** Modern only: who the client is on this front (a requestState is good for it only). */
  readonly principal?: string;
  /** Whether the instance sends list_changed itself; a per-request instance leaves it to its front. */
  readonly listChanged?: boolean;
}

/**
 * Cache hints for a modern client's cacheable results. The catalogue changes whenever an
 * upstream starts, stops or changes and the registry is edited, and clients are told through
 * list_changed; so a list is never to be reused without asking again, and it is this user's.
 */
const NO_CACHE = { ttlMs: 0, cacheScope: "private" } as const;

export function createDownstreamServer(
  backend: GatewayBackend,
  options: DownstreamServerOptions = {},
): { server: Server; dispose: () => void } {
  const modern = options.era === "modern";
  const server = new Server(backend.info, {
    capabilities: {
      tools: { listChanged: true },
      resources: { listChanged: true, subscribe: true },
      prompts: { listChanged: true },
      logging: {},
      completions: {},
      // MCP Apps: `ui://` resources and tools' `_meta.ui` pass through, rewritten per server. Declared
      // always, since initialize never waits on upstreams to learn whether any of them has UI.
      extensions: { [UI_EXTENSION]: {} },
    },
    ...(backend.instructions ? { instructions: backend.instructions } : {}),
    cacheHints: {
      "tools/list": NO_CACHE,
      "prompts/list": NO_CACHE,
      "resources/list": NO_CACHE,
      "resources/templates/list": NO_CACHE,
      "resources/read": NO_CACHE,
      "server/discover": NO_CACHE,
    },
  });
  const session = sessionChannel(server);
  const context = (ctx: HandlerContext) =>
    modern ? modernRequestContext(ctx) : requestContext(ctx, session);

  /**
   * Runs a call that may need the client. A legacy client is asked directly (server→client
   * requests on its session); a modern client's call becomes a continuation whose questions
   * come back as input_required results (see input-required.ts).
   */
  const interactive = async <T extends Result>(
    ctx: HandlerContext,
    method: string,
    params: Record<string, unknown> | undefined,
    call: (context: RequestContext) => Promise<T>,
  ): Promise<T | InputRequiredResult> => {
    const continuations = options.continuations;
    if (!modern || !continuations) return call(context(ctx));
    const envelope = (ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
    const clientInfo = envelope[CLIENT_INFO_KEY] as { name?: unknown } | undefined;
    const expectation = {
      method,
      params: paramsDigest(params),
      principal: principalDigest(`${options.principal ?? ""}|${String(clientInfo?.name ?? "")}`),
    };
    const round = roundOf(ctx);
    const state = ctx.mcpReq.requestState<unknown>();
    const outcome =
      typeof state === "string"
        ? await continuations.resume(state, ctx.mcpReq.inputResponses, expectation, round)
        : await continuations.start(expectation, round, call, {
            opened: (channel) => backend.clientConnected(channel),
            closed: (channel) => backend.clientClosed(channel),
          });
    if (outcome.kind === "done") return outcome.value as T;
    return {
      resultType: "input_required",
      inputRequests: outcome.inputRequests,
      requestState: outcome.requestState,
    } as InputRequiredResult;
  };
  let connected = false;
  server.oninitialized = () => {
    connected = true;
    backend.clientConnected(session);
  };

  server.setNotificationHandler("notifications/roots/list_changed", () => {
    if (connected) backend.clientRootsChanged(session);
  });
  // A modern client sends no initialize: who it is (which decides its exposure) comes with each request.
  server.setRequestHandler("tools/list", (_request, ctx) =>
    guarded(async () => ({ tools: await backend.listTools(modern ? context(ctx).client : session) })),
  );
  server.setRequestHandler("tools/call", async (request, ctx) => {
    try {
      return await interactive(ctx, "tools/call", request.params, (c) =>
        backend.callTool(request.params.name, request.params.arguments, c),
      );
    } catch (error) {
      return toolFailure(error);
    }
  });
  server.setRequestHandler("resources/list", () =>
    guarded(async () => ({ resources: await backend.listResources() })),
  );
  server.setRequestHandler("resources/templates/list", () =>
    guarded(async () => ({ resourceTemplates: await backend.listResourceTemplates() })),
  );
  server.setRequestHandler("resources/read", (request, ctx) =>
    guarded(() =>
      interactive(ctx, "resources/read", request.params, (c) => backend.readResource(request.params.uri, c)),
    ),
  );
  server.setRequestHandler("resources/subscribe", (request, ctx) =>
    guarded(async () => {
      await backend.subscribe(request.params.uri, context(ctx));
      return {};
    }),
  );
  server.setRequestHandler("resources/unsubscribe", (request, ctx) =>
    guarded(async () => {
      await backend.unsubscribe(request.params.uri, context(ctx));
      return {};
    }),
  );
  server.setRequestHandler("prompts/list", () =>
    guarded(async () => ({ prompts: await backend.listPrompts() })),
  );
  server.setRequestHandler("prompts/get", (request, ctx) =>
    guarded(() =>
      interactive(ctx, "prompts/get", request.params, (c) =>
        backend.getPrompt(request.params.name, request.params.arguments, c),
      ),
    ),
  );
  server.setRequestHandler("completion/complete", (request, ctx) =>
    guarded(() => backend.complete(request.params, context(ctx))),
  );
  server.setRequestHandler("logging/setLevel", (request, ctx) =>
    guarded(async () => {
      await backend.setLogLevel(request.params.level, context(ctx));
      return {};
    }),
  );

  const listens = options.listChanged ?? true;
  const unsubscribe = !listens
    ? () => {}
    : backend.onListChanged((kinds) => {
        if (!server.transport) return;
        for (const kind of kinds) {
          void server.notification({ method: LIST_CHANGED_METHOD[kind] } as Notification).catch(() => {});
        }
      });
  let disposed = false;
  return {
    server,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      unsubscribe();
      if (connected) backend.clientClosed(session);
    },
  };
}
