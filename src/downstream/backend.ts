import type {
  CallToolResult,
  GetPromptResult,
  Implementation,
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
export interface RequestContext {
  /** Aborted when the client cancels the request or disconnects. */
  readonly signal: AbortSignal;
  /** Present when the client asked for progress; forward progress through `onprogress`. */
  readonly onprogress:
    | ((progress: { progress: number; total?: number; message?: string }) => void)
    | undefined;
}

export type ListKind = "tools" | "resources" | "prompts";

export interface GatewayBackend {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  listTools(): Promise<Tool[]>;
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult>;
  listResources(): Promise<Resource[]>;
  listResourceTemplates(): Promise<ResourceTemplate[]>;
  readResource(uri: string, context: RequestContext): Promise<ReadResourceResult>;
  listPrompts(): Promise<Prompt[]>;
  getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
  ): Promise<GetPromptResult>;
  /** Calls `listener` with the kinds of list that changed; returns an unsubscribe function. */
  onListChanged(listener: (kinds: readonly ListKind[]) => void): () => void;
}
