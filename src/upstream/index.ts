export type {
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
} from "@modelcontextprotocol/client";
export {
  buildCatalogue,
  type Catalogue,
  type CatalogueSource,
  type Collision,
  type PromptEntry,
  type ResourceEntry,
  type TemplateEntry,
  type ToolEntry,
  toolAllowed,
} from "./catalogue.js";
export type {
  CallOptions,
  ConnectionDeps,
  RelayedNotification,
  RelayedRequest,
  UpstreamListing,
  UpstreamRelay,
} from "./connection.js";
export { type PoolDeps, UpstreamPool } from "./pool.js";
export { nextRestartDelay } from "./restart-policy.js";
export {
  type SupervisorOptions,
  type UpstreamState,
  type UpstreamStatus,
  UpstreamSupervisor,
  UpstreamSupervisor as UpstreamServer,
} from "./supervisor.js";
