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
export {
  type CallOptions,
  type ConnectionDeps,
  UpstreamConnection,
  type UpstreamListing,
  type UpstreamState,
  type UpstreamStatus,
} from "./connection.js";
export { UpstreamPool } from "./pool.js";
