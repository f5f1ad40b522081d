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
  EXPOSED_NAME_PATTERN,
  exposedName,
  isValidServerName,
  MAX_EXPOSED_NAME_LENGTH,
  PREFIX_SEPARATOR,
  SERVER_NAME_PATTERN,
} from "./names.js";
export { stateDirectory } from "./state-dir.js";
