import { type AdmissionLimits, admit, idleToKeep } from "./admission.js";
import { engineModule } from "./engine-module.js";
import { failureText } from "./host-bridge.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { SandboxWorker, type WorkerRun, type WorkerRunReport } from "./sandbox-worker-handle.js";
import { workerScript } from "./worker-script.js";

/** Idle workers beyond the one kept prepared are stopped after this long without a run. */
export const IDLE_REAP_MS = 10_000;

export type PoolAnswer =
  | { readonly kind: "ran"; readonly report: WorkerRunReport }
  /** Too many runs running and waiting: the message names the settings. */
  | { readonly kind: "refused"; readonly message: string }
  /** The caller gave up (or the pool closed) before the run got a worker. */
  | { readonly kind: "cancelled" }
  /** No worker could be had (the engine failed to compile, the worker to start). */
  | { readonly kind: "failed"; readonly message: string };

interface Waiter {
  readonly grant: (granted: boolean) => void;
}

/** A run that holds a slot and waits for a worker: given back by a run, or newly started. */
interface WorkerWaiter {
  /** `undefined` when the pool closed; an Error when no worker could be started. */
  readonly hand: (worker: SandboxWorker | Error | undefined) => void;
}

/**
 * The sandbox worker threads of the process. At most `maxConcurrentRuns` run at once, one per
 * worker; up to `maxQueuedRuns` more wait, in order; beyond that a run is refused at once. The
 * limits are those of the latest run (a reload applies to the next run). Workers start lazily (a
 * run, or prewarm) and never keep the process alive while idle; one stays prepared for the next
 * run, the others stop after IDLE_REAP_MS.
 */
export class SandboxPool {
  private readonly workers = new Set<SandboxWorker>();
  private readonly idle: SandboxWorker[] = [];
  private readonly queue: Waiter[] = [];
  private readonly handoff: WorkerWaiter[] = [];
  private running = 0;
  private limits: AdmissionLimits = DEFAULT_LIMITS;
  /** A worker on its way (prewarm, a burst, a replacement); it goes to a run waiting for one, else idle. */
  private warming = 0;
  /** Of those, the ones not yet in `workers`: counted against maxConcurrentRuns all the same. */
  private unspawned = 0;
  private reapTimer: NodeJS.Timeout | undefined;
  /** Counts closes: a worker that finishes starting after a close is not kept. */
  private generation = 0;

  /** Runs one script on a worker of the pool. Never rejects. */
  async run(request: WorkerRun): Promise<PoolAnswer> {
    this.limits = request.limits;
    if (request.signal?.aborted) return { kind: "cancelled" };
    switch (admit(this.running, this.queue.length, this.limits)) {
      case "refuse":
        return { kind: "refused", message: this.busyMessage() };
      case "queue":
        // The slot is counted by whoever grants it (see dispatch).
        if (!(await this.waitForSlot(request.signal))) return { kind: "cancelled" };
        break;
      case "start":
        this.running += 1;
        break;
    }
    let worker: SandboxWorker | undefined;
    try {
      worker = await this.takeWorker(request.limits.memoryMb);
      if (worker === undefined) return { kind: "cancelled" };
      return { kind: "ran", report: await worker.run(request) };
    } catch (error) {
      return { kind: "failed", message: failureText(error) };
    } finally {
      this.running -= 1;
      if (worker !== undefined) this.giveBack(worker, request.limits.memoryMb);
      this.dispatch();
    }
  }

  /** Starts a worker and its first sandbox now, unless the pool has one already. */
  prewarm(memoryMb: number): void {
    if (this.workers.size > 0 || this.warming > 0) return;
    this.warm(memoryMb);
  }

  private warm(memoryMb: number): void {
    const generation = this.generation;
    // Handed on once it has started (or failed to: its run reports that), never while starting:
    // a run waiting for a worker would wait for this one while a running one is given back sooner.
    this.warming += 1;
    this.unspawned += 1;
    const spawned = this.spawn(memoryMb);
    const inWorkers = () => {
      if (this.generation === generation) this.unspawned -= 1;
    };
    void spawned.then(inWorkers, inWorkers);
    const warming = spawned.then(
      (worker) =>
        worker.ready.then(
          () => ({ worker, started: true }),
          () => ({ worker, started: false }),
        ),
      (error: unknown) => (error instanceof Error ? error : new Error(failureText(error))),
    );
    void warming.then((warmed) => {
      if (generation !== this.generation) {
        if (!(warmed instanceof Error)) void warmed.worker.terminate();
        return;
      }
      this.warming -= 1;
      if (!(warmed instanceof Error)) {
        const { worker, started } = warmed;
        if (started) {
          this.giveBack(worker, memoryMb);
          return;
        }
        // It failed to start: a run waiting for a worker reports why. Nothing starts another
        // here (giveBack would replace it, and one that cannot start would be replaced forever).
        this.workers.delete(worker);
        this.handoff.shift()?.hand(worker);
        return;
      }
      const worker = warmed;
      // No worker could be started: a run waiting for one fails, unless a running one will be
      // given back to it.
      const busy = [...this.workers].some((each) => each.alive);
      if (!busy) for (const waiter of this.handoff.splice(0)) waiter.hand(worker);
    });
  }

  /** Terminates every worker: runs in progress report `cancelled`, waiting runs too. Idempotent; the pool starts workers again if asked to run later. */
  async close(): Promise<void> {
    clearTimeout(this.reapTimer);
    this.generation += 1;
    this.warming = 0;
    this.unspawned = 0;
    for (const waiter of this.queue.splice(0)) waiter.grant(false);
    for (const waiter of this.handoff.splice(0)) waiter.hand(undefined);
    const workers = [...this.workers];
    this.workers.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate("cancelled")));
  }

  /** Workers alive now (running or idle). */
  get size(): number {
    return this.workers.size;
  }

  private busyMessage(): string {
    const { maxConcurrentRuns, maxQueuedRuns } = this.limits;
    return (
      `Code Mode is busy: ${this.running} runs are running and ${this.queue.length} waiting, ` +
      `the most allowed (codeMode.maxConcurrentRuns: ${maxConcurrentRuns}, codeMode.maxQueuedRuns: ${maxQueuedRuns}); ` +
      "try again when a run has finished"
    );
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        grant: (granted) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(granted);
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Hands free slots to waiting runs, oldest first. */
  private dispatch(): void {
    while (this.queue.length > 0 && this.running < this.limits.maxConcurrentRuns) {
      const waiter = this.queue.shift();
      if (waiter === undefined) return;
      this.running += 1;
      waiter.grant(true);
    }
  }

  /**
   * An idle worker whose sandbox is prepared, else any idle one (it finishes preparing first),
   * else the first worker to become free: one given back by a run, or one started now. Finding
   * none prepared means runs come faster than one worker prepares sandboxes (a burst): another
   * worker is then warmed, room permitting, so that a later run finds one ready; the reaper
   * stops it once the burst is over. A run never waits for a worker to start while a running one
   * is given back sooner (a few milliseconds against the tens or hundreds a new worker takes).
   * `undefined` when the pool closed meanwhile.
   */
  private async takeWorker(memoryMb: number): Promise<SandboxWorker | undefined> {
    for (let i = this.idle.length - 1; i >= 0; i--) if (!this.idle[i]?.alive) this.idle.splice(i, 1);
    const preparedAt = this.idle.findLastIndex((worker) => worker.prepared);
    if (preparedAt >= 0) return this.idle.splice(preparedAt, 1)[0] as SandboxWorker;
    this.warmForBurst(memoryMb);
    const unprepared = this.idle.pop();
    if (unprepared !== undefined) return unprepared;
    // Every worker is busy (this run holds a slot, so one more fits within maxConcurrentRuns).
    // One worker starting per run waiting, room permitting: the burst's later runs find them ready.
    const room = this.workers.size + this.unspawned < this.limits.maxConcurrentRuns;
    if (this.warming <= this.handoff.length && room) this.warm(memoryMb);
    const handed = await new Promise<SandboxWorker | Error | undefined>((hand) =>
      this.handoff.push({ hand }),
    );
    if (handed instanceof Error) throw handed;
    return handed;
  }

  private warmForBurst(memoryMb: number): void {
    const room = this.workers.size + 1 < this.limits.maxConcurrentRuns;
    if (this.warming === 0 && this.idle.length <= 1 && room) this.warm(memoryMb);
  }

  private async spawn(memoryMb: number): Promise<SandboxWorker> {
    const engine = await engineModule();
    const worker = new SandboxWorker(workerScript(), engine, memoryMb);
    this.workers.add(worker);
    worker.onExit(() => {
      this.workers.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
    });
    return worker;
  }

  private giveBack(worker: SandboxWorker, memoryMb: number): void {
    if (worker.alive && this.workers.has(worker)) {
      const waiter = this.handoff.shift();
      if (waiter !== undefined) {
        waiter.hand(worker);
        return;
      }
      this.idle.push(worker);
    } else {
      this.workers.delete(worker);
      // A worker stopped by force is replaced at once, so that the next run finds one prepared.
      const room = this.workers.size + this.unspawned < this.limits.maxConcurrentRuns;
      const wanted = (this.idle.length === 0 && this.warming === 0) || this.handoff.length > this.warming;
      if (wanted && room) this.warm(memoryMb);
    }
    this.scheduleReap();
  }

  private scheduleReap(): void {
    clearTimeout(this.reapTimer);
    if (this.idle.length <= idleToKeep(this.running, this.limits.maxConcurrentRuns)) return;
    this.reapTimer = setTimeout(() => {
      const keep = idleToKeep(this.running, this.limits.maxConcurrentRuns);
      for (const worker of this.idle.splice(0, Math.max(0, this.idle.length - keep))) {
        this.workers.delete(worker);
        void worker.terminate();
      }
    }, IDLE_REAP_MS);
    this.reapTimer.unref();
  }
}

const shared = new SandboxPool();

/** The process's pool, used by executeCode. */
export function sandboxPool(): SandboxPool {
  return shared;
}

/**
 * Prepares a worker and a sandbox with this memory cap, so that the first run does not pay for
 * starting them. The gateway calls it once its upstreams are starting (never before initialize).
 */
export function prewarm(memoryMb: number): void {
  shared.prewarm(memoryMb);
}

/** Terminates Code Mode's workers (the gateway's shutdown). Idempotent. */
export function closeCodeMode(): Promise<void> {
  return shared.close();
}
