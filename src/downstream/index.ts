export type { ClientChannel, GatewayBackend, ListKind, RequestContext } from "./backend.js";
export { type Era, MODERN_VERSIONS, type OpeningEra, openingEra } from "./era.js";
export { HEALTH_PATH, type HttpEndpoint, type HttpOptions, MCP_PATH, serveHttp } from "./http.js";
export {
  BodyTooLarge,
  header,
  jsonRpcError,
  readBody,
  send as sendWebResponse,
  toWebRequest,
  urlHost,
} from "./node-http.js";
export { createDownstreamServer } from "./server.js";
export { type StdioSession, serveStdio } from "./stdio.js";
