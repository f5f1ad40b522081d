/**
 * MCP clients' own config files: where each client keeps it, reading the servers it has, and
 * writing voidmcp's entry into it while keeping everything else (comments and formatting too).
 * Uses the registry and formats layers; knows nothing of processes or MCP sessions.
 */

export { fromCopilotEntry, fromGeminiEntry, fromOpencodeEntry, fromZedEntry } from "./client-entries.js";
export {
  assertWritable,
  type ClientFile,
  readClientFile,
  type WriteResult,
  writeClientFile,
} from "./client-file.js";
export {
  CLIENT_NAMES,
  CLIENTS,
  type ClientEntry,
  type ClientInfo,
  type ClientName,
  type ConfigFormat,
  ENTRY_NAME,
  type EntryValue,
  gatewayEntry,
  type HttpEndpoint,
  httpGatewayEntry,
  isClientName,
  type LaunchCommand,
} from "./clients.js";
export { fromCodexEntry, parseCodexConfig, parseTomlFile } from "./codex-import.js";
export { clientConfigPath, type PathContext, projectConfigPath } from "./config-path.js";
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
export {
  type LiteralSecret,
  literalSecrets,
  looksSecret,
  planSecretMoves,
  type SecretMove,
  secretNameFor,
} from "./move-secrets.js";
export { planSetup, type SetupPlan, type SetupRequest } from "./plan.js";
export { readClientServers } from "./read-servers.js";
export { sameServer, withoutDefaults } from "./same-server.js";
