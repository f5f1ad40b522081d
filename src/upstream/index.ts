export type {
  CallToolResult,
  GetPromptResult,
  Implementation,
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
export type { CallOptions, ConnectionDeps, UpstreamListing } from "./connection.js";
export { type PoolDeps, UpstreamPool } from "./pool.js";
export { nextRestartDelay } from "./restart-policy.js";
export {
  type SupervisorOptions,
  type UpstreamState,
  type UpstreamStatus,
  UpstreamSupervisor,
} from "./supervisor.js";
