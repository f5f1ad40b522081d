export {
  describeError,
  exitCodeFor,
  isVoidError,
  type RpcError,
  rpcErrorOf,
  VoidError,
  type VoidErrorCode,
  type VoidErrorOptions,
} from "./errors.js";
export { Listeners } from "./listeners.js";
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  parseLogLevel,
  silentLogger,
} from "./logger.js";
export {
  CLIENT_NAME_OVERHEAD,
  DEFAULT_NAME_BUDGET,
  EXPOSED_NAME_PATTERN,
  exposedName,
  fitsNameRules,
  isValidServerName,
  joinedName,
  MAX_EXPOSED_NAME_LENGTH,
  MAX_NAME_BUDGET,
  MIN_NAME_BUDGET,
  PREFIX_SEPARATOR,
  SERVER_NAME_PATTERN,
} from "./names.js";
export { isPlainMessage } from "./plain-message.js";
export { stateDirectory } from "./state-dir.js";
