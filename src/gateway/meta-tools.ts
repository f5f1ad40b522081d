import type { Tool } from "../upstream/index.js";

/** The gateway's own tools, always listed. Upstream tools can never take these names. */
export const META_TOOL_NAMES = ["search", "execute_code", "list_servers"] as const;
export type MetaToolName = (typeof META_TOOL_NAMES)[number];

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

export function isMetaTool(name: string): name is MetaToolName {
  return (META_TOOL_NAMES as readonly string[]).includes(name);
}

export interface ServerSummary {
  readonly name: string;
  readonly tools: number;
}

const SEARCH_TOOL: Tool = {
  name: "search",
  title: "Search tools",
  description:
    "Find tools across every MCP server behind this gateway by words (for example `create issue` or `read file`). " +
    "Returns TypeScript declarations of the best matches, written as the call an execute_code script makes " +
    "(`tools.server.tool(args): Promise<Result>`), plus each tool's MCP name. An empty query lists the servers with their tool counts. " +
    "detail: `names` (just the names), `signatures` (one line each, the default) or `full` (with every description).",
  inputSchema: {
    type: "object",
    properties: {
      query: { type: "string", description: "Words describing what you want to do; empty to list servers." },
      detail: {
        type: "string",
        enum: ["names", "signatures", "full"],
        description: "How much to show per tool.",
      },
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
};

const LIST_SERVERS_TOOL: Tool = {
  name: "list_servers",
  title: "List servers",
  description:
    "Show every MCP server registered with this gateway: transport, state (ready, starting, failed, needs-auth, disabled), " +
    "protocol era and version (legacy 2025-11-25 or modern 2026-07-28), " +
    "tool count and the last error, plus any problem with the registry file or name collisions.",
  inputSchema: { type: "object", properties: {} },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

/**
 * The execute_code tool. Its description teaches the API and good habits and names the servers
 * available right now, so it is built from the current catalogue.
 */
export function executeCodeTool(
  servers: readonly ServerSummary[],
  defaultTimeoutMs: number,
  maxTimeoutMs: number,
): Tool {
  const list =
    servers.length === 0
      ? "No server is ready yet; call list_servers to see why."
      : `Servers: ${servers.map((s) => `${s.name} (${s.tools} tools)`).join(", ")}.`;
  return {
    name: "execute_code",
    title: "Run a script that calls many tools",
    description: [
      "Run JavaScript or TypeScript in a sandbox that can call every tool of every server behind this gateway, and get back only what the script returns. Use it to chain calls, loop, filter and combine results in one step instead of many tool calls.",
      "",
      "API (the code is the body of an async function: use await and return):",
      "- `await tools.<server>.<tool>(args)` calls a tool; names that are not identifiers use brackets: `tools['my-server']['get-item']({ id: 1 })`. It resolves with the result: structured content, else the text parsed as JSON when it is JSON, else the text. A tool error throws an Error with the tool's message.",
      "- `await search('words', { detail: 'signatures' })` finds tools and their TypeScript signatures from inside a script; the `search` MCP tool shows the same before you write code.",
      "- `console.log(...)` output is returned with the result.",
      "- Some tools need the person's confirmation or are refused by the gateway's policy; a refused call throws an Error you can catch. Pass `dryRun: true` to see which calls a script would make without making those.",
      "",
      "Habits: discover signatures with `search` first. Run independent calls in parallel with `await Promise.allSettled([...])` (they really overlap). Return a small projection (the fields you need, a count, the top few rows), not whole payloads. When a result's shape is unknown, `console.log` a sample first. Wrap calls that may fail in try/catch.",
      "",
      `Limits: ${defaultTimeoutMs} ms wall time by default (timeoutMs up to ${maxTimeoutMs}), memory, stack depth, number of tool calls and output size are capped; the report line says which limit was hit. No network, files, timers or modules: only tools.`,
      "",
      list,
    ].join("\n"),
    inputSchema: {
      type: "object",
      properties: {
        code: {
          type: "string",
          description:
            "JavaScript or TypeScript; top-level await and return work. Example: const r = await tools.github.search_issues({ q: 'bug' }); return r.items.map(i => i.title);",
        },
        timeoutMs: {
          type: "integer",
          minimum: 1,
          maximum: maxTimeoutMs,
          description: `Wall-clock limit for this run (default ${defaultTimeoutMs}).`,
        },
        dryRun: {
          type: "boolean",
          description:
            "Check a plan without writing: every call the policy does not simply allow is not made, returns undefined, and is listed in the result.",
        },
      },
      required: ["code"],
    },
    annotations: { openWorldHint: true },
  };
}

export function metaTools(
  servers: readonly ServerSummary[],
  defaultTimeoutMs: number,
  maxTimeoutMs: number,
): Tool[] {
  return [SEARCH_TOOL, executeCodeTool(servers, defaultTimeoutMs, maxTimeoutMs), LIST_SERVERS_TOOL];
}
