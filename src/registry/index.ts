/**
 * The registry layer: voidmcp's own servers.json, read, checked, normalised, expanded, diffed,
 * watched and edited. No network, no processes; the file formats themselves are in formats/.
 * Other folders import from here only.
 */

export { type CrossIssue, crossIssues, overrideNameProblem } from "./cross-checks.js";
export { diffServers, type ServerDiff } from "./diff.js";
export { type EditResult, editRegistryFile, loadRegistryDocument } from "./edit.js";
export {
  type Environment,
  type Expansion,
  expandServer,
  expandTracked,
  type SecretLookup,
  secretReferences,
} from "./expand.js";
export { registryIoError } from "./io-error.js";
export { emptyRegistry, loadRegistry, loadRegistryWithText } from "./load.js";
export { MIGRATIONS, type Migration, migrateRegistryDocument } from "./migrate.js";
export { parseRegistryText } from "./parse.js";
export { MIN_REDACTED_LENGTH, redactorOf, redactValues, type Substitution } from "./redact.js";
export { type RegistryPathOptions, resolveRegistryPath } from "./resolve-path.js";
export {
  MAX_TIMEOUT_MS,
  type RawOAuthSettings,
  type RawServerEntry,
  type RawTransportType,
  type RegistryDocument,
} from "./schema.js";
export {
  DEFAULT_SELF_FACTS,
  DEFAULT_SELF_PORT,
  type EntryShape,
  type SelfFacts,
  selfEntryReason,
} from "./self-entry.js";
export { addServerEntry, entryProblems, removeServerEntry } from "./server-entries.js";
export { sanitiseServerName } from "./server-name.js";
export {
  type CodeModeSettings,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_FIRST_LIST_WAIT_MS,
  DEFAULT_HEALTH_CHECK_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_POLICY,
  DEFAULT_RESTART_POLICY,
  type Exposure,
  type GatewaySettings,
  type HttpSettings,
  type OAuthSettings,
  type PolicyDecision,
  type PolicyRule,
  type PolicySettings,
  type ProfileSpec,
  REGISTRY_VERSION,
  type Registry,
  type RemoteServerSpec,
  type RestartPolicy,
  type ServerSpec,
  type StdioServerSpec,
  type ToolFilter,
  type ToolOverride,
  type ToolPattern,
} from "./types.js";
export {
  type RegistryWatcher,
  type RegistryWatchHandlers,
  type RegistryWatchOptions,
  watchRegistry,
} from "./watch.js";
