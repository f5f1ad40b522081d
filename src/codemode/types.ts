/**
 * What Code Mode needs from the outside world, and what it reports. Code Mode knows nothing of
 * MCP: the gateway implements SandboxHost on top of its upstream connections.
 */

export interface SandboxHost {
  /**
   * Calls one tool. Resolves with the tool's result as a JSON-compatible value (already
   * unwrapped), or rejects with an Error whose message is what the script will see: it must not
   * contain host paths or secrets. `signal` aborts when the run stops; the call should then be
   * cancelled where it runs.
   */
  callTool(server: string, tool: string, args: unknown, signal: AbortSignal): Promise<unknown>;
  /** The `search()` available inside scripts; resolves with a JSON-compatible value. */
  search(query: string, options: unknown): Promise<unknown>;
  /**
   * `resources.read(uri)`, `resources.list()` and `prompts.get(server, name, args)` in scripts.
   * They travel like tool calls (see HOST_SERVERS), so they count against `maxToolCalls`, stop
   * with the run and show in the report; a host without them fails those calls.
   */
  readResource?(uri: string, signal: AbortSignal): Promise<unknown>;
  listResources?(signal: AbortSignal): Promise<unknown>;
  getPrompt?(
    server: string,
    name: string,
    args: Record<string, string>,
    signal: AbortSignal,
  ): Promise<unknown>;
  /** `results.get(handle)`: a value an earlier run returned that was kept under a handle. */
  getResult?(handle: string, signal: AbortSignal): Promise<unknown>;
}

/** For each server (by name), the raw names of its tools: `tools[server][name]` in the script. */
export type GuestCatalogue = Readonly<Record<string, readonly string[]>>;

/**
 * The limits a run can hit; `cancelled` is the caller giving up (or the gateway closing);
 * `maxQueuedRuns` is a run refused because too many were running and waiting already.
 */
export type LimitName =
  | "timeout"
  | "memory"
  | "stack"
  | "maxToolCalls"
  | "maxCodeBytes"
  | "maxOutputBytes"
  | "maxLogBytes"
  | "maxQueuedRuns"
  | "cancelled";

export interface LogEntry {
  readonly level: "log" | "info" | "warn" | "error" | "debug";
  readonly text: string;
}

export interface ToolCallRecord {
  readonly server: string;
  readonly tool: string;
  /** Milliseconds from the start of the run. */
  readonly startedMs: number;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly error: string | undefined;
  /** Size of the result handed to the script, as JSON. */
  readonly bytes: number;
}
