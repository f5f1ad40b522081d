import {
  type Notification,
  type ProgressToken,
  type RequestMethod,
  Server,
} from "@modelcontextprotocol/server";
import type { ClientChannel, GatewayBackend, ListKind, RequestContext } from "./backend.js";
import { toolFailure, toProtocolError } from "./errors.js";

const LIST_CHANGED_METHOD: Record<ListKind, string> = {
  tools: "notifications/tools/list_changed",
  resources: "notifications/resources/list_changed",
  prompts: "notifications/prompts/list_changed",
};

interface HandlerContext {
  readonly mcpReq: {
    readonly signal: AbortSignal;
    readonly _meta?: { progressToken?: ProgressToken } & Record<string, unknown>;
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

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toProtocolError(error);
  }
}

/**
 * An MCP server (one per connected client) that serves the backend's catalogue. It advertises
 * only what it serves: tools, resources and prompts, each with list_changed, which it sends
 * whenever the backend says a list changed. `dispose()` stops listening to the backend.
 */
export function createDownstreamServer(backend: GatewayBackend): { server: Server; dispose: () => void } {
  const server = new Server(backend.info, {
    capabilities: {
      tools: { listChanged: true },
      resources: { listChanged: true, subscribe: true },
      prompts: { listChanged: true },
      logging: {},
      completions: {},
    },
    ...(backend.instructions ? { instructions: backend.instructions } : {}),
  });
  const session = sessionChannel(server);
  const context = (ctx: HandlerContext) => requestContext(ctx, session);
  let connected = false;
  server.oninitialized = () => {
    connected = true;
    backend.clientConnected(session);
  };

  server.setNotificationHandler("notifications/roots/list_changed", () => {
    if (connected) backend.clientRootsChanged(session);
  });
  server.setRequestHandler("tools/list", () =>
    guarded(async () => ({ tools: await backend.listTools(session) })),
  );
  server.setRequestHandler("tools/call", async (request, ctx) => {
    try {
      return await backend.callTool(request.params.name, request.params.arguments, context(ctx));
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
    guarded(() => backend.readResource(request.params.uri, context(ctx))),
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
    guarded(() => backend.getPrompt(request.params.name, request.params.arguments, context(ctx))),
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

  const unsubscribe = backend.onListChanged((kinds) => {
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
