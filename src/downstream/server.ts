import { type ProgressToken, Server } from "@modelcontextprotocol/server";
import type { GatewayBackend, ListKind, RequestContext } from "./backend.js";
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
  };
}

function requestContext(ctx: HandlerContext): RequestContext {
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
      resources: { listChanged: true },
      prompts: { listChanged: true },
    },
    ...(backend.instructions ? { instructions: backend.instructions } : {}),
  });

  server.setRequestHandler("tools/list", () => guarded(async () => ({ tools: await backend.listTools() })));
  server.setRequestHandler("tools/call", async (request, ctx) => {
    try {
      return await backend.callTool(request.params.name, request.params.arguments, requestContext(ctx));
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
    guarded(() => backend.readResource(request.params.uri, requestContext(ctx))),
  );
  server.setRequestHandler("prompts/list", () =>
    guarded(async () => ({ prompts: await backend.listPrompts() })),
  );
  server.setRequestHandler("prompts/get", (request, ctx) =>
    guarded(() => backend.getPrompt(request.params.name, request.params.arguments, requestContext(ctx))),
  );

  const unsubscribe = backend.onListChanged((kinds) => {
    if (!server.transport) return;
    for (const kind of kinds) {
      void server.notification({ method: LIST_CHANGED_METHOD[kind] }).catch(() => {});
    }
  });
  return { server, dispose: unsubscribe };
}
