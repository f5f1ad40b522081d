import type {
  CallToolResult,
  ClientCapabilities,
  CompleteRequestParams,
  CompleteResult,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from "@modelcontextprotocol/server";

/**
 * What the downstream server needs from whoever serves the catalogue. The gateway implements
 * it; downstream knows nothing of upstreams or the registry.
 */

/** A connected client, as the backend may address it: requests to it, notifications to it. */
export interface ClientChannel {
  /** Stable for the client's session. */
  readonly id: string;
  /** What the client declared at initialize (undefined before it has). */
  capabilities(): ClientCapabilities | undefined;
  /** Who the client said it is at initialize (clientInfo; undefined before it has). */
  info(): Implementation | undefined;
  /**
   * Sends a request to the client (sampling/createMessage, elicitation/create, roots/list) and
   * resolves with its raw result. Rejects with the client's JSON-RPC error.
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /**
   * Present for a modern (2026-07-28) client, which chooses its log level per request: the
   * level its current request asked for, undefined when it asked for none (then it gets no log
   * messages at all). Absent for a legacy client, whose level is its session's logging/setLevel.
   * A channel with it gets only what its own requests cause, never a broadcast.
   */
  logLevel?(): LoggingLevel | undefined;
}

export interface RequestContext {
  /** Aborted when the client cancels the request or disconnects. */
  readonly signal: AbortSignal;
  /** Present when the client asked for progress; forward progress through `onprogress`. */
  readonly onprogress:
    | ((progress: { progress: number; total?: number; message?: string }) => void)
    | undefined;
  /**
   * The client that made this request. Its `request` and `notify` travel with this request
   * (over HTTP: on this request's own response stream), which is where a server's requests and
   * log messages caused by the call belong.
   */
  readonly client: ClientChannel;
}

export type ListKind = "tools" | "resources" | "prompts";

export interface GatewayBackend {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  /** A client finished initialize; it is addressable until `clientClosed`. */
  clientConnected(client: ClientChannel): void;
  clientClosed(client: ClientChannel): void;
  /** The client sent notifications/roots/list_changed. */
  clientRootsChanged(client: ClientChannel): void;
  /** The tools `client` is shown: how many may depend on who it is (its clientInfo). */
  listTools(client: ClientChannel): Promise<Tool[]>;
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult>;
  listResources(): Promise<Resource[]>;
  listResourceTemplates(): Promise<ResourceTemplate[]>;
  readResource(uri: string, context: RequestContext): Promise<ReadResourceResult>;
  subscribe(uri: string, context: RequestContext): Promise<void>;
  unsubscribe(uri: string, context: RequestContext): Promise<void>;
  listPrompts(): Promise<Prompt[]>;
  getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
  ): Promise<GetPromptResult>;
  complete(params: CompleteRequestParams, context: RequestContext): Promise<CompleteResult>;
  setLogLevel(level: LoggingLevel, context: RequestContext): Promise<void>;
  /** Calls `listener` with the kinds of list that changed; returns an unsubscribe function. */
  onListChanged(listener: (kinds: readonly ListKind[]) => void): () => void;
}
