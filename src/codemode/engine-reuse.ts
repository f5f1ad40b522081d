/**
 * Whether a QuickJS engine (one WebAssembly instance and its memory) may serve another run after
 * this one, with a new runtime and context. The next run then shares nothing with this one but
 * the engine's allocator: QuickJS state (atoms, jobs, globals, prototypes) lives in the runtime,
 * which was freed whole. Anything doubtful drops the engine, and the next run gets a new one.
 */
export interface EngineAfterRun {
  /** The script's promise settled on its own: no stop, no trap, no interrupt. */
  readonly finishedCleanly: boolean;
  /** Limits the run hit (any limit, even one that did not stop it). */
  readonly limitsHit: number;
  /** Tool calls and searches still waiting when the run ended: their guest promises are alive. */
  readonly pendingHostWork: number;
  /** runtime.dispose() returned: QuickJS freed every object (a leak aborts the engine instead). */
  readonly disposed: boolean;
  /** Runs this engine has served, this one included. */
  readonly runs: number;
  /** Bytes of the engine's WebAssembly memory now, and when it was new (memory never shrinks). */
  readonly memoryBytes: number;
  readonly initialMemoryBytes: number;
}

/**
 * Runs one engine serves at most: a bound on allocator fragmentation, and defence in depth
 * should a run leave something behind in the engine that QuickJS does not free.
 */
export const MAX_RUNS_PER_ENGINE = 64;

export function mayReuseEngine(after: EngineAfterRun): boolean {
  return (
    after.finishedCleanly &&
    after.limitsHit === 0 &&
    after.pendingHostWork === 0 &&
    after.disposed &&
    after.runs < MAX_RUNS_PER_ENGINE &&
    // A run that grew the memory keeps it grown: the next run would start closer to the cap than
    // a new engine does (and the process would hold the memory). It gets a new engine instead.
    after.memoryBytes <= after.initialMemoryBytes
  );
}
