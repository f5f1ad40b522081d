/**
 * Whether a new run starts now, waits, or is refused (pure). `running` counts runs holding a
 * worker; `queued` the runs already waiting for one.
 */
export type Admission = "start" | "queue" | "refuse";

export interface AdmissionLimits {
  readonly maxConcurrentRuns: number;
  readonly maxQueuedRuns: number;
}

export function admit(running: number, queued: number, limits: AdmissionLimits): Admission {
  // A waiting run goes first: a new one never overtakes the queue.
  if (queued === 0 && running < limits.maxConcurrentRuns) return "start";
  if (queued < limits.maxQueuedRuns) return "queue";
  return "refuse";
}

/** How many idle workers to keep once the runs are over: one, prepared for the next run. */
export function idleToKeep(running: number, maxConcurrentRuns: number): number {
  return Math.max(0, Math.min(1, maxConcurrentRuns - running));
}
