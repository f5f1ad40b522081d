export { guestCatalogue, reportLine, runCode, sandboxHost, searchCatalogue } from "./code-mode.js";
export { AUTO_DIRECT_MAX_TOOLS, exposeDirect } from "./exposure.js";
export { Gateway, type GatewayOptions, type GatewayReport, type ServerReport } from "./gateway.js";
export { META_TOOL_NAMES, metaTools } from "./meta-tools.js";
export { type SearchHit, searchTools } from "./search.js";
export { unwrapToolResult } from "./unwrap.js";
