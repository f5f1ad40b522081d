import type { Tool } from "../upstream/index.js";

/** The gateway's own tools, always listed. Upstream tools can never take these names. */
export const META_TOOL_NAMES = ["search", "list_servers"] as const;
export type MetaToolName = (typeof META_TOOL_NAMES)[number];

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

export function isMetaTool(name: string): name is MetaToolName {
  return (META_TOOL_NAMES as readonly string[]).includes(name);
}

export const META_TOOLS: readonly Tool[] = [
  {
    name: "search",
    title: "Search tools",
    description:
      "Find tools across every server behind this gateway by words (for example `create issue` or `read file`). " +
      "Returns the best matches with their exposed name, server and input schema, ready to call.",
    inputSchema: {
      type: "object",
      properties: {
        query: { type: "string", description: "Words describing what you want to do." },
        limit: {
          type: "integer",
          minimum: 1,
          maximum: MAX_SEARCH_LIMIT,
          description: `How many tools to return (default ${DEFAULT_SEARCH_LIMIT}).`,
        },
      },
      required: ["query"],
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: "list_servers",
    title: "List servers",
    description:
      "Show every MCP server registered with this gateway: transport, state (ready, starting, failed, disabled), " +
      "tool count and the last error, plus any problem with the registry file or name collisions.",
    inputSchema: { type: "object", properties: {} },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
];
