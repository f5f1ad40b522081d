/**
 * The credential store, on the floor beside registry (imports core and formats only): where OAuth
 * tokens and the user's named secrets live, never in the registry file. upstream, gateway and cli
 * use it; the backend (OS store or a 0600 file) is chosen once per process by openCredentialStore.
 */
export {
  chooseBackend,
  parseStoreSetting,
  probesFor,
  STORE_ENV,
  STORE_SETTINGS,
  type StoreFacts,
  type StoreSetting,
} from "./choose-backend.js";
export { FileCredentialStore, formatCredentialFile, parseCredentialFile } from "./file-store.js";
export {
  assertSecretName,
  isSecretName,
  SECRET_KEY_PREFIX,
  SECRET_NAME_PATTERN,
  secretKey,
} from "./names.js";
export {
  credentialFilePath,
  credentialIndexPath,
  type OpenStoreOptions,
  openCredentialStore,
  PROBE_TIMEOUT_MS,
} from "./open.js";
export { openedOnFirstUse } from "./opened-on-first-use.js";
export { decodeValue, encodeValue, keychainTool, secretServiceTool } from "./os-tools.js";
export { ToolCredentialStore } from "./tool-store.js";
export type { CredentialBackend, CredentialData, CredentialStore } from "./types.js";
