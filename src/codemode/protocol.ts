import type { CodeModeLimits } from "./limits.js";
import type { GuestError } from "./sandbox.js";
import type { SyntaxProblem } from "./transpile.js";
import type { LimitName, LogEntry, ToolCallRecord } from "./types.js";

/**
 * The messages between the gateway's thread and a sandbox worker. Scripts' values cross only as
 * JSON text (arguments, results, search requests); everything else is plain data the structured
 * clone copies. One worker runs one script at a time; `runId` tells a late message of an
 * earlier run from the current one's.
 */

/** What a worker is started with (its `workerData`). */
export interface WorkerStart {
  /** The QuickJS engine, compiled once by the gateway's thread and shared by every worker. */
  readonly engine: WebAssembly.Module;
  /** Memory cap of the sandbox to prepare before the first run. */
  readonly memoryMb: number;
  /**
   * One Int32: the id of a run the gateway wants stopped. The engine's interrupt handler reads
   * it, so a busy script stops without the worker having to read a message first.
   */
  readonly stop: SharedArrayBuffer;
  /**
   * One Int32: 1 once the worker has a sandbox ready for the next run; the gateway sets it to 0
   * when it gives the worker a run. Shared memory rather than a message: no message to send and
   * wake the gateway's thread for after every run.
   */
  readonly prepared: SharedArrayBuffer;
}

export interface RunJob {
  /** The model's code, as sent (the worker strips TypeScript). */
  readonly code: string;
  /** JSON text of the GuestCatalogue. */
  readonly catalogueJson: string;
  readonly limits: CodeModeLimits;
  /** When the time limit fires, as `Date.now()` time (threads share no `performance.now()` origin). */
  readonly deadlineEpochMs: number;
}

export type ToWorker =
  | { readonly type: "run"; readonly runId: number; readonly job: RunJob }
  | { readonly type: "cancel"; readonly runId: number }
  | {
      readonly type: "settled";
      readonly runId: number;
      readonly callId: number;
      /** JSON text of the value (undefined: the tool returned nothing), when it succeeded. */
      readonly json?: string | undefined;
      /** The message the script sees, when it failed. */
      readonly error?: string | undefined;
    };

export type FromWorker =
  | { readonly type: "ready" }
  | {
      readonly type: "call";
      readonly runId: number;
      readonly callId: number;
      readonly server: string;
      readonly tool: string;
      readonly argsJson: string;
    }
  | { readonly type: "search"; readonly runId: number; readonly callId: number; readonly requestJson: string }
  /** The run no longer waits for this call or search (it stopped): cancel it where it runs. */
  | { readonly type: "cancelCall"; readonly runId: number; readonly callId: number }
  /** Sent as it happens, so that a worker stopped by force has still told what it logged. */
  | { readonly type: "log"; readonly runId: number; readonly entry: LogEntry }
  | { readonly type: "limit"; readonly runId: number; readonly limit: LimitName }
  | { readonly type: "done"; readonly runId: number; readonly outcome: RunOutcome };

/** What a run produced, as the worker reports it (logs came before, one message each). */
export type RunOutcome =
  | { readonly kind: "syntax"; readonly problem: SyntaxProblem }
  | {
      readonly kind: "ran";
      /** JSON text of the returned value, already cut to maxOutputBytes with the marker. */
      readonly resultJson: string | undefined;
      /** Whether resultJson was cut. */
      readonly truncated: boolean;
      /** The uncut JSON when resultJson was cut: the gateway may keep it under a handle. */
      readonly wholeJson?: string;
      readonly error: GuestError | undefined;
      readonly calls: readonly ToolCallRecord[];
      readonly limitsHit: readonly LimitName[];
      readonly cancelledCalls: readonly string[];
    };
