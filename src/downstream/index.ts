export type { GatewayBackend, ListKind, RequestContext } from "./backend.js";
export { createDownstreamServer } from "./server.js";
export { type StdioSession, serveStdio } from "./stdio.js";
