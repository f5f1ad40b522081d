import type { CodeModeLimits } from "./limits.js";
import { sandboxPool } from "./pool.js";
import { moduleStatementHint, toUserPositions } from "./positions.js";
import type { GuestCatalogue, LimitName, LogEntry, SandboxHost, ToolCallRecord } from "./types.js";

export interface ExecuteRequest {
  /** JavaScript or TypeScript: the body of an async function. */
  readonly code: string;
  readonly limits: CodeModeLimits;
  /** The tools the script may call, by server. */
  readonly catalogue: GuestCatalogue;
  readonly host: SandboxHost;
  readonly signal?: AbortSignal;
}

export interface ToolCallSummary {
  /** `server.tool` */
  readonly tool: string;
  readonly count: number;
  readonly failures: number;
  readonly totalMs: number;
}

export interface ExecutionReport {
  readonly durationMs: number;
  readonly toolCalls: readonly ToolCallSummary[];
  readonly totalToolCalls: number;
  /** JSON bytes of all tool results handed to the script. */
  readonly upstreamBytes: number;
  readonly limitsHit: readonly LimitName[];
  /** Tool calls that were still running when the run stopped, and were cancelled. */
  readonly cancelledCalls: readonly string[];
}

export interface ExecutionError {
  readonly name: string;
  readonly message: string;
  /** Where in the user's code, when known (syntax errors). */
  readonly line?: number;
  readonly column?: number;
  /** Guest stack with the user's line numbers. */
  readonly stack?: string;
}

export interface ExecutionResult {
  readonly ok: boolean;
  /** JSON text of the returned value; cut with a marker when over maxOutputBytes. */
  readonly valueJson: string | undefined;
  /** The returned value, when it was returned whole. */
  readonly value: unknown;
  readonly truncated: boolean;
  /** The returned value's whole JSON when `valueJson` was cut (what a result handle keeps). */
  readonly wholeJson?: string;
  readonly error: ExecutionError | undefined;
  readonly logs: readonly LogEntry[];
  readonly report: ExecutionReport;
}

/**
 * Runs model-written code against the catalogue: the size check here, then on a worker thread of
 * the pool (pool.ts) TypeScript stripping, the sandbox run and output capping, while this thread
 * serves the script's tool calls; then the report. Never throws for anything the code does; a
 * run the pool cannot take (too many running and waiting) fails with `maxQueuedRuns`.
 */
export async function executeCode(request: ExecuteRequest): Promise<ExecutionResult> {
  const started = performance.now();
  const { limits } = request;
  const codeBytes = Buffer.byteLength(request.code);
  if (codeBytes > limits.maxCodeBytes) {
    return failed(started, ["maxCodeBytes"], {
      name: "LimitError",
      message: `the code is ${codeBytes} bytes; the limit is ${limits.maxCodeBytes} (maxCodeBytes)`,
    });
  }
  const answer = await sandboxPool().run({
    code: request.code,
    catalogueJson: JSON.stringify(request.catalogue),
    limits,
    host: request.host,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  switch (answer.kind) {
    case "refused":
      return failed(started, ["maxQueuedRuns"], { name: "LimitError", message: answer.message });
    case "cancelled":
      return failed(started, ["cancelled"], { name: "LimitError", message: "the run was cancelled" });
    case "failed":
      return failed(started, [], {
        name: "SandboxError",
        message: `the sandbox could not start: ${answer.message}`,
      });
    case "ran":
      break;
  }
  const { outcome, logs } = answer.report;
  if (outcome.kind === "syntax") {
    const { message, line, column } = outcome.problem;
    return failed(started, [], {
      name: "SyntaxError",
      message: `${message} at line ${line}:${column}`,
      line,
      column,
    });
  }
  const limitsHit = [...outcome.limitsHit];
  const valueJson = outcome.resultJson;
  let value: unknown;
  if (outcome.truncated) limitsHit.push("maxOutputBytes");
  else if (valueJson !== undefined) value = JSON.parse(valueJson);
  const error = outcome.error ? toExecutionError(outcome.error, request.code) : undefined;
  return {
    ok: error === undefined,
    valueJson,
    value,
    truncated: outcome.truncated,
    ...(outcome.wholeJson !== undefined ? { wholeJson: outcome.wholeJson } : {}),
    error,
    // Errors logged by the script show the user's line numbers, as its own errors do.
    logs: logs.map((entry) => ({ level: entry.level, text: toUserPositions(entry.text) })),
    report: {
      durationMs: round(performance.now() - started),
      ...summarise(outcome.calls),
      limitsHit,
      cancelledCalls: outcome.cancelledCalls,
    },
  };
}

/** Frames of a guest stack kept in the report (a stack overflow has thousands of identical ones). */
const MAX_STACK_FRAMES = 10;

function toExecutionError(
  error: { name: string; message: string; stack: string },
  code: string,
): ExecutionError {
  const frames = toUserPositions(error.stack).trim().split("\n");
  const stack =
    frames.length > MAX_STACK_FRAMES
      ? [
          ...frames.slice(0, MAX_STACK_FRAMES),
          `    ... ${frames.length - MAX_STACK_FRAMES} more frames`,
        ].join("\n")
      : frames.join("\n");
  const where = /line (\d+):(\d+)/.exec(stack);
  let message = toUserPositions(error.message);
  if (error.name === "SyntaxError" && where) message = moduleStatementHint(code, Number(where[1]), message);
  return {
    name: error.name,
    message,
    ...(where ? { line: Number(where[1]), column: Number(where[2]) } : {}),
    ...(stack ? { stack } : {}),
  };
}

function summarise(
  calls: readonly ToolCallRecord[],
): Pick<ExecutionReport, "toolCalls" | "totalToolCalls" | "upstreamBytes"> {
  const byTool = new Map<string, { count: number; failures: number; totalMs: number }>();
  let upstreamBytes = 0;
  for (const call of calls) {
    const key = `${call.server}.${call.tool}`;
    const entry = byTool.get(key) ?? { count: 0, failures: 0, totalMs: 0 };
    entry.count += 1;
    if (!call.ok) entry.failures += 1;
    entry.totalMs += call.durationMs;
    upstreamBytes += call.bytes;
    byTool.set(key, entry);
  }
  return {
    toolCalls: [...byTool].map(([tool, s]) => ({
      tool,
      count: s.count,
      failures: s.failures,
      totalMs: round(s.totalMs),
    })),
    totalToolCalls: calls.length,
    upstreamBytes,
  };
}

function failed(started: number, limitsHit: LimitName[], error: ExecutionError): ExecutionResult {
  return {
    ok: false,
    valueJson: undefined,
    value: undefined,
    truncated: false,
    error,
    logs: [],
    report: {
      durationMs: round(performance.now() - started),
      toolCalls: [],
      totalToolCalls: 0,
      upstreamBytes: 0,
      limitsHit,
      cancelledCalls: [],
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
