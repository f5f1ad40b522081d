/**
 * The composition root: serving (load → watch → apply → fronts → shutdown), the router every
 * call to an upstream goes through, hot reload and status. The CLI imports from here only.
 */

export type { CallToolResult, Tool } from "../upstream/index.js";
export {
  DEFAULT_SIGN_IN_TIMEOUT_MS,
  oauthContext,
  openableUrl,
  openBrowser,
  type SignInResult,
  type SignInStatus,
  signIn,
  signInCommand,
  signInStatus,
  signOut,
} from "../upstream/index.js";
export { type AuditRecord, auditLogPath } from "./audit-log.js";
export { type AuditFilter, auditRecords, formatAuditRecord } from "./audit-query.js";
export { reportLine } from "./code-mode.js";
export { Gateway, type GatewayOptions, type GatewayReport } from "./gateway.js";
export { unknownProfileMessage } from "./reach.js";
export {
  DEFAULT_HTTP_PORT,
  type HttpServeOptions,
  type ServeOptions,
  type Serving,
  SHUTDOWN_GRACE_MS,
  serve,
} from "./serve.js";
export { loadToken, TOKEN_FILE, type Token, tokenPath } from "./token.js";
export type { ServerReport } from "./upstreams.js";
