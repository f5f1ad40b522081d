/**
 * The registry layer: the servers.json file, read, checked, normalised, expanded, diffed and
 * edited. No network, no processes. Other folders import from here only.
 */
export { diffServers, type ServerDiff } from "./diff.js";
export { type EditResult, editRegistryFile, loadRegistryDocument } from "./edit.js";
export { type Environment, expandServer } from "./expand.js";
export {
  type ClientConfig,
  type ImportedEntry,
  type MergeOptions,
  type MergeResult,
  mergeEntries,
  parseClientConfig,
  type SkippedEntry,
} from "./import.js";
export { emptyRegistry, loadRegistry } from "./load.js";
export { parseRegistryText } from "./parse.js";
export { type RegistryPathOptions, resolveRegistryPath } from "./resolve-path.js";
export {
  MAX_TIMEOUT_MS,
  type RawServerEntry,
  type RawTransportType,
  type RegistryDocument,
} from "./schema.js";
export { addServerEntry, removeServerEntry } from "./server-entries.js";
export {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_FIRST_LIST_WAIT_MS,
  type Exposure,
  type GatewaySettings,
  REGISTRY_VERSION,
  type Registry,
  type RemoteServerSpec,
  type ServerSpec,
  type StdioServerSpec,
  type ToolFilter,
} from "./types.js";
