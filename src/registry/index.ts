/**
 * The registry layer: the servers.json file, read, checked, normalised, expanded, diffed and
 * edited. No network, no processes. Other folders import from here only.
 */

export { readIfExists, replaceFileAtomically } from "./atomic-write.js";
export { fromCodexEntry, parseCodexConfig, parseTomlFile } from "./codex-import.js";
export { deepEqual } from "./deep-equal.js";
export { diffServers, type ServerDiff } from "./diff.js";
export { type EditResult, editRegistryFile, loadRegistryDocument } from "./edit.js";
export { type Environment, expandServer } from "./expand.js";
export {
  type ClientConfig,
  type ImportedEntry,
  type ImportOptions,
  type MergeOptions,
  type MergeResult,
  mergeEntries,
  parseClientConfig,
  SELF_ENTRY_REASON,
  type ServerOrigin,
  type SkippedEntry,
} from "./import.js";
export { ioErrorCode, ioReason, isMissingFile } from "./io-error.js";
export { lineColumnAt } from "./json-locate.js";
export { formatJsonPath, type JsonPath } from "./json-path.js";
export { stripJsonComments } from "./jsonc.js";
export { emptyRegistry, loadRegistry, loadRegistryWithText } from "./load.js";
export { MIGRATIONS, type Migration, migrateRegistryDocument } from "./migrate.js";
export { parseRegistryText } from "./parse.js";
export { parseJsonText } from "./parse-json.js";
export { type RegistryPathOptions, resolveRegistryPath } from "./resolve-path.js";
export {
  MAX_TIMEOUT_MS,
  type RawServerEntry,
  type RawTransportType,
  type RegistryDocument,
} from "./schema.js";
export { addServerEntry, removeServerEntry } from "./server-entries.js";
export { loadToken, TOKEN_FILE, type Token, tokenPath } from "./token.js";
export {
  parseToml,
  type TomlDocument,
  type TomlSection,
  TomlSyntaxError,
  type TomlTable,
  type TomlValue,
} from "./toml.js";
export {
  type CodeModeSettings,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_FIRST_LIST_WAIT_MS,
  DEFAULT_HEALTH_CHECK_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_RESTART_POLICY,
  type Exposure,
  type GatewaySettings,
  type HttpSettings,
  REGISTRY_VERSION,
  type Registry,
  type RemoteServerSpec,
  type RestartPolicy,
  type ServerSpec,
  type StdioServerSpec,
  type ToolFilter,
} from "./types.js";
export {
  type RegistryWatcher,
  type RegistryWatchHandlers,
  type RegistryWatchOptions,
  watchRegistry,
} from "./watch.js";
