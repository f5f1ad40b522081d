import type { CodeModeLimits } from "./limits.js";
import type { LimitName } from "./types.js";

/**
 * What a run that was stopped reports (pure). Made in one place because two threads stop runs:
 * the worker (its interrupt handler, its timers) and the gateway's thread (when a worker does not
 * stop in time and is terminated), and the caller must not be able to tell which one did.
 */
export function stopMessage(reason: LimitName, limits: CodeModeLimits, running: readonly string[]): string {
  const cancelled =
    running.length > 0 ? `; cancelled the tool calls still running: ${running.join(", ")}` : "";
  switch (reason) {
    case "timeout":
      return `the script did not finish within its time limit of ${limits.timeoutMs} ms${cancelled}`;
    case "cancelled":
      return `the run was cancelled${cancelled}`;
    case "memory":
      return memoryMessage(limits);
    case "stack":
      return stackMessage(limits);
    case "maxToolCalls":
    case "maxCodeBytes":
    case "maxOutputBytes":
    case "maxLogBytes":
    case "maxQueuedRuns":
      return `the run was stopped: ${reason}`;
  }
}

export function memoryMessage(limits: CodeModeLimits): string {
  return `out of memory: the script used more than its ${limits.memoryMb} MB (memoryMb)`;
}

export function stackMessage(limits: CodeModeLimits): string {
  return `stack overflow: the script recursed deeper than its ${limits.stackKb} KB stack allows (stackKb)`;
}
