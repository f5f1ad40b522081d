export {
  type ExecuteRequest,
  type ExecutionError,
  type ExecutionReport,
  type ExecutionResult,
  executeCode,
  type ToolCallSummary,
} from "./execute.js";
export { type CodeModeLimits, DEFAULT_LIMITS, limitsForCall, limitsFrom } from "./limits.js";
export { closeCodeMode, prewarm } from "./pool.js";
export type { GuestCatalogue, LimitName, LogEntry, SandboxHost, ToolCallRecord } from "./types.js";
export { accessExpression, type DeclarationDetail, schemaToTs, toolDeclaration } from "./typings.js";
