import {
  type CodeModeLimits,
  type DeclarationDetail,
  type ExecutionResult,
  executeCode,
  type GuestCatalogue,
  limitsForCall,
  type SandboxHost,
  toolDeclaration,
} from "../codemode/index.js";
import { describeError } from "../core/index.js";
import type { RequestContext } from "../downstream/index.js";
import type { CallToolResult, Catalogue } from "../upstream/index.js";
import { RunScope } from "./confirm.js";
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, type ServerSummary } from "./meta-tools.js";
import type { Reach } from "./reach.js";
import type { ResultHandle, ResultStore } from "./result-store.js";
import { type CallScope, isDryRunResult, type Router } from "./router.js";
import { searchTools } from "./search.js";
import { unwrapToolResult } from "./unwrap.js";

export const DETAILS: readonly DeclarationDetail[] = ["names", "signatures", "full"];
export const DEFAULT_DETAIL: DeclarationDetail = "signatures";

/** The tools a script may call: every tool in the catalogue, under its server and upstream name. */
export function guestCatalogue(catalogue: Catalogue): GuestCatalogue {
  const byServer: Record<string, string[]> = {};
  for (const entry of catalogue.tools) {
    const names = byServer[entry.server] ?? [];
    names.push(entry.upstreamName);
    byServer[entry.server] = names;
  }
  return byServer;
}

/** Each server with its number of tools in the catalogue, in catalogue order. */
export function serverSummaries(catalogue: Catalogue): ServerSummary[] {
  const counts = new Map<string, number>();
  for (const entry of catalogue.tools) counts.set(entry.server, (counts.get(entry.server) ?? 0) + 1);
  return [...counts].map(([name, tools]) => ({ name, tools }));
}

export interface SearchRequest {
  readonly query: string;
  readonly detail: DeclarationDetail;
  readonly limit: number;
}

export interface SearchAnswer {
  readonly text: string;
  readonly structured: Record<string, unknown>;
}

/**
 * Typed discovery (pure over the catalogue): the best matches as TypeScript declarations of
 * how a script calls them. An empty query lists the servers with their tool counts.
 */
export function searchCatalogue(catalogue: Catalogue, request: SearchRequest): SearchAnswer {
  if (request.query.trim() === "") {
    const servers = serverSummaries(catalogue);
    const lines = servers.map((s) => `tools${accessServer(s.name)}: ${s.tools} tools`);
    return {
      text: `${catalogue.tools.length} tools on ${servers.length} servers. Search with words to see their declarations.\n${lines.join("\n")}`,
      structured: { query: "", total: catalogue.tools.length, servers },
    };
  }
  const hits = searchTools(catalogue.tools, request.query, request.limit);
  const declarations = hits.map(({ entry }) =>
    toolDeclaration(
      {
        server: entry.server,
        name: entry.upstreamName,
        description: entry.tool.description,
        inputSchema: entry.tool.inputSchema,
        outputSchema: entry.tool.outputSchema,
      },
      request.detail,
    ),
  );
  const header =
    hits.length === 0
      ? `No tool matches "${request.query}" among ${catalogue.tools.length} tools. Try other words, or an empty query to list servers.`
      : `${hits.length} of ${catalogue.tools.length} tools match "${request.query}". In execute_code, call them as shown; as MCP tools they are named ${hits
          .slice(0, 3)
          .map((h) => h.entry.exposedName)
          .join(", ")}${hits.length > 3 ? ", ..." : ""}.`;
  return {
    text: `${header}\n\n${declarations.join(request.detail === "full" ? "\n\n" : "\n")}`,
    structured: {
      query: request.query,
      total: catalogue.tools.length,
      tools: hits.map(({ entry }, i) => ({
        name: entry.exposedName,
        server: entry.server,
        tool: entry.upstreamName,
        declaration: declarations[i],
      })),
    },
  };
}

function accessServer(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/**
 * What `search` takes, from the meta-tool's arguments or a script's options, normalised once:
 * unknown details fall back to the default, the limit is a whole number from 1 to MAX_SEARCH_LIMIT.
 */
export function searchRequest(query: unknown, options: unknown): SearchRequest {
  const opts = (typeof options === "object" && options !== null ? options : {}) as {
    detail?: unknown;
    limit?: unknown;
  };
  const detail = DETAILS.find((d) => d === opts.detail) ?? DEFAULT_DETAIL;
  const limit =
    typeof opts.limit === "number" && Number.isFinite(opts.limit)
      ? Math.min(Math.max(1, Math.floor(opts.limit)), MAX_SEARCH_LIMIT)
      : DEFAULT_SEARCH_LIMIT;
  return { query: typeof query === "string" ? query : "", detail, limit };
}

/**
 * The bridge between a script and the upstreams: every call goes through the router as a call
 * of the client whose `execute_code` runs the script, with the run's own cancellation signal.
 */
export function sandboxHost(
  router: Router,
  catalogue: () => Catalogue,
  context: RequestContext,
  scope: CallScope,
  results?: ResultStore,
): SandboxHost {
  const progress = runProgress(context);
  return {
    async callTool(server, tool, args, signal) {
      let result: CallToolResult;
      try {
        const input =
          typeof args === "object" && args !== null && !Array.isArray(args)
            ? (args as Record<string, unknown>)
            : {};
        result = await router.callToolOf(
          server,
          tool,
          input,
          { ...context, signal, onprogress: progress && ((p) => progress(`${server}.${tool}`, p)) },
          scope,
        );
      } catch (error) {
        throw new Error(describeError(error));
      }
      if (isDryRunResult(result)) return undefined;
      const unwrapped = unwrapToolResult(result);
      if (!unwrapped.ok) throw new Error(unwrapped.message);
      return unwrapped.value;
    },
    async search(query, options) {
      return searchCatalogue(catalogue(), searchRequest(query, options)).structured;
    },
    async readResource(uri, signal) {
      return scriptError(() => router.scriptReadResource(uri, { ...context, signal }, scope));
    },
    async listResources() {
      return catalogue().resources.map((entry) => ({ ...entry.resource, server: entry.server }));
    },
    async getResult(handle) {
      if (!results) throw new Error("results.get is not available here");
      return scriptError(async () => JSON.parse(results.get(context.client.id, handle)) as unknown);
    },
    async getPrompt(server, name, args, signal) {
      return scriptError(() => router.scriptGetPrompt(server, name, args, { ...context, signal }, scope));
    },
  };
}

/** A failure as the Error a script sees: the message (with its hint), no host stack. */
async function scriptError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new Error(describeError(error));
  }
}

type Progress = Parameters<NonNullable<RequestContext["onprogress"]>>[0];

/**
 * Progress of a script's calls as progress of its `execute_code` call, when the client asked for
 * it. Calls may run in parallel and each counts from its own start, while a client expects one
 * rising value per token: so every step of any call raises one count, and the message says whose
 * step it was.
 */
function runProgress(context: RequestContext): ((call: string, progress: Progress) => void) | undefined {
  const report = context.onprogress;
  if (!report) return undefined;
  let steps = 0;
  return (call, p) => {
    steps += 1;
    const of = p.total !== undefined ? `${p.progress}/${p.total}` : `${p.progress}`;
    report({ progress: steps, message: `${call}: ${of}${p.message ? ` ${p.message}` : ""}` });
  };
}

export interface RunOptions {
  readonly via: "direct" | "cli";
  /** Run no tool whose decision is not `allow`; list those calls instead. */
  readonly dryRun: boolean;
  /**
   * The tools a script may name, denied ones included: calling one reaches the router and fails
   * with the policy's own message (a catchable Error), not a puzzling "not a function".
   */
  readonly callable?: Catalogue;
  /** Where `results.get(handle)` reads from; absent, it fails. */
  readonly results?: ResultStore;
  /** The calling client's profile: its script calls nothing outside it (default: everything). */
  readonly reach?: Reach;
}

/** A call a dry run did not make. */
export interface PlannedCall {
  readonly tool: string;
  readonly args: unknown;
}

/** A run, plus the calls a dry run recorded instead of making. */
export interface CodeRun extends ExecutionResult {
  readonly planned?: readonly PlannedCall[];
}

/**
 * Runs one `execute_code` call against the current catalogue, as `context`'s call. The run is one
 * scope for the policy: positions count within it, and "allow the rest of this run" ends with it.
 */
export async function runCode(
  code: string,
  timeoutMs: number | undefined,
  limits: CodeModeLimits,
  router: Router,
  catalogue: () => Catalogue,
  context: RequestContext,
  options: RunOptions = { via: "direct", dryRun: false },
): Promise<CodeRun> {
  const planned: PlannedCall[] = [];
  const scope: CallScope = {
    via: options.via === "cli" ? "cli" : "script",
    run: new RunScope(),
    ...(options.reach ? { reach: options.reach } : {}),
    ...(options.dryRun
      ? { dryRun: (server, tool, args) => planned.push({ tool: `${server}.${tool}`, args }) }
      : {}),
  };
  const run = await executeCode({
    code,
    limits: limitsForCall(limits, timeoutMs),
    catalogue: guestCatalogue(options.callable ?? catalogue()),
    host: sandboxHost(router, catalogue, context, scope, options.results),
    signal: context.signal,
  });
  return options.dryRun ? { ...run, planned } : run;
}

/** A run as an MCP tool result: the value, the console output, and the report. */
export function executionToolResult(run: CodeRun, kept?: ResultHandle): CallToolResult {
  const content: CallToolResult["content"] = [];
  if (run.ok && kept) {
    content.push({
      type: "text",
      text: `${JSON.stringify(kept)}\nThe result (${kept.bytes} bytes) is kept in the gateway: read it in a later execute_code with \`await results.get("${kept.handle}")\`, or as the resource ${kept.uri}, until ${kept.expiresAt}.`,
    });
  } else if (run.ok) {
    content.push({ type: "text", text: run.valueJson ?? "(the script returned no value)" });
  } else {
    const error = run.error;
    // Syntax errors already say where in their message.
    const located = error?.line === undefined || /\bline \d+/.test(error.message);
    const where = located
      ? ""
      : ` (line ${error?.line}${error?.column !== undefined ? `:${error.column}` : ""})`;
    const stack = error?.stack ? `\n${error.stack}` : "";
    content.push({
      type: "text",
      text: `${error?.name ?? "Error"}: ${error?.message ?? "unknown error"}${where}${stack}`,
    });
  }
  if (run.logs.length > 0) {
    content.push({
      type: "text",
      text: `console:\n${run.logs.map((l) => `[${l.level}] ${l.text}`).join("\n")}`,
    });
  }
  if (run.planned) {
    const lines = run.planned.map((call, i) => `${i + 1}. ${call.tool}(${JSON.stringify(call.args)})`);
    content.push({
      type: "text",
      text:
        run.planned.length === 0
          ? "dry run: every call the script made is allowed by the policy; none was held back"
          : `dry run: ${run.planned.length} call${run.planned.length === 1 ? " was" : "s were"} not made (the policy does not allow ${run.planned.length === 1 ? "it" : "them"} without asking); each returned undefined:\n${lines.join("\n")}`,
    });
  }
  // A kept value was not cut: what was "over maxOutputBytes" is now a handle.
  const reported = kept
    ? {
        ...run,
        truncated: false,
        report: { ...run.report, limitsHit: run.report.limitsHit.filter((l) => l !== "maxOutputBytes") },
      }
    : run;
  content.push({ type: "text", text: reportLine(reported) });
  const result: CallToolResult = { content, ...(run.ok ? {} : { isError: true }) };
  if (run.ok && kept) {
    result.structuredContent = { ...kept };
  } else if (run.planned) {
    result.structuredContent = {
      dryRun: true,
      value: run.ok ? (run.value ?? null) : null,
      plannedCalls: run.planned,
    };
  } else if (run.ok && typeof run.value === "object" && run.value !== null && !Array.isArray(run.value)) {
    result.structuredContent = run.value as Record<string, unknown>;
  }
  return result;
}

/** One line a model can read: time, calls per tool, bytes, limits. */
export function reportLine(run: ExecutionResult): string {
  const r = run.report;
  const calls =
    r.toolCalls.length === 0
      ? "no tool calls"
      : `${r.totalToolCalls} tool call${r.totalToolCalls === 1 ? "" : "s"} (${r.toolCalls
          .map((c) => `${c.tool} ×${c.count}${c.failures ? `, ${c.failures} failed` : ""}, ${c.totalMs} ms`)
          .join("; ")})`;
  const limits = r.limitsHit.length > 0 ? `; limits hit: ${r.limitsHit.join(", ")}` : "";
  const cancelled = r.cancelledCalls.length > 0 ? `; cancelled: ${r.cancelledCalls.join(", ")}` : "";
  return `report: ${r.durationMs} ms, ${calls}, ${r.upstreamBytes} bytes from upstreams${limits}${cancelled}${run.truncated ? "; result cut" : ""}`;
}
