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
  type ListKind,
  type ListKindChange,
  LiveCatalogue,
  type PromptEntry,
  type ResourceEntry,
  type TemplateEntry,
  type ToolEntry,
  toolAllowed,
} from "./catalogue.js";
export {
  CHAIN_ENV,
  CHAIN_HEADER,
  type ChainMember,
  formatChain,
  formatMember,
  LOOP_STATUS,
  MAX_CHAIN_DEPTH,
  parseChain,
  requestLoop,
  selfServerMessage,
  startLoop,
} from "./chain.js";
export {
  DEFAULT_SIGN_IN_TIMEOUT_MS,
  type OAuthContext,
  oauthContext,
  openableUrl,
  openBrowser,
  type SignInResult,
  type SignInStatus,
  signIn,
  signInCommand,
  signInStatus,
  signOut,
} from "./oauth/index.js";
export { type PoolDeps, UpstreamPool } from "./pool.js";
export { DEFAULT_MAX_RESPONSE_BYTES } from "./response-limit.js";
export { nextRestartDelay } from "./restart-policy.js";
export { UpstreamServer } from "./server.js";
export type {
  CallOptions,
  ConnectionDeps,
  RelayedNotification,
  RelayedRequest,
  SupervisorOptions,
  UpstreamListing,
  UpstreamRelay,
  UpstreamState,
  UpstreamStatus,
} from "./types.js";
export {
  exposeReadResult,
  exposeUiUri,
  UI_EXTENSION,
  UI_MIME_TYPE,
  UI_SCHEME,
  upstreamResourceUri,
} from "./ui-uri.js";
