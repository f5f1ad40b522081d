import { Worker } from "node:worker_threads";
import { VoidError } from "../core/index.js";
import { callToolJson, failureText, searchJson } from "./host-bridge.js";
import type { CodeModeLimits } from "./limits.js";
import type { FromWorker, RunJob, RunOutcome, ToWorker, WorkerStart } from "./protocol.js";
import { memoryMessage, stopMessage } from "./stop-message.js";
import type { LimitName, LogEntry, SandboxHost, ToolCallRecord } from "./types.js";
import type { WorkerScript } from "./worker-script.js";

/**
 * How long past its time limit (or past a cancel) a run may take to stop on its own before its
 * worker is terminated. The worker stops a script itself within milliseconds; this is for a
 * script that defeats that (it catches the interrupt and carries on, say).
 */
export const STOP_GRACE_MS = 50;

export interface WorkerRun {
  readonly code: string;
  readonly catalogueJson: string;
  readonly limits: CodeModeLimits;
  readonly host: SandboxHost;
  readonly signal?: AbortSignal;
}

export interface WorkerRunReport {
  readonly outcome: RunOutcome;
  readonly logs: readonly LogEntry[];
}

type MutableRecord = { -readonly [K in keyof ToolCallRecord]: ToolCallRecord[K] };

interface CallInFlight {
  /** Undefined for a search, which is not a tool call. */
  readonly record: MutableRecord | undefined;
  readonly controller: AbortController;
  readonly began: number;
}

/**
 * One sandbox worker thread, seen from the gateway's thread: it starts the worker, runs one
 * script at a time on it, serves the script's tool calls and searches with the run's SandboxHost,
 * and stops the worker by force when a run overstays its time limit. Never keeps the process
 * alive while it has no run.
 */
export class SandboxWorker {
  /** Resolves once the worker can take a run; rejects when it could not start. */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly stopFlag: Int32Array;
  private active: ActiveRun | undefined;
  private exited = false;
  /** Set when termination starts: the worker takes no more runs from then on. */
  private stopping = false;
  private exitReason: string | undefined;
  private nextRunId = 1;
  /** Set by the worker when it has a sandbox ready, so that a run given now starts at once. */
  private readonly preparedFlag: Int32Array;
  private readonly exitListeners = new Set<() => void>();

  constructor(script: WorkerScript, engine: WebAssembly.Module, memoryMb: number) {
    const stop = new SharedArrayBuffer(4);
    this.stopFlag = new Int32Array(stop);
    const prepared = new SharedArrayBuffer(4);
    this.preparedFlag = new Int32Array(prepared);
    const workerData: WorkerStart = { engine, memoryMb, stop, prepared };
    // stdout is the MCP protocol's in stdio mode: the worker gets a pipe of its own, never read.
    const options = { workerData, stdout: true } as const;
    this.worker =
      script.kind === "file"
        ? new Worker(script.url, options)
        : new Worker(script.code, { ...options, eval: true });
    this.worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on("message", (message: FromWorker) => {
        if (message.type === "ready") resolve();
        else this.active?.receive(message);
      });
      this.worker.on("error", (error) => {
        this.exitReason ??= failureText(error);
        if (isWorkerOutOfMemory(error)) this.exitReason = "memory";
        reject(error);
      });
      this.worker.on("exit", (code) => {
        this.exited = true;
        this.exitReason ??= `the worker exited with code ${code}`;
        reject(new Error(this.exitReason));
        this.active?.workerExited(this.exitReason);
        for (const listener of this.exitListeners) listener();
      });
    });
    // Whoever runs a script sees a failed start; nobody else must see an unhandled rejection.
    this.ready.catch(() => {});
  }

  get alive(): boolean {
    return !this.exited && !this.stopping;
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Alive, idle, and its next sandbox is prepared: a run given now does not wait for one. */
  get prepared(): boolean {
    return this.alive && this.active === undefined && Atomics.load(this.preparedFlag, 0) === 1;
  }

  onExit(listener: () => void): void {
    this.exitListeners.add(listener);
  }

  /** Runs one script. Never rejects: a worker that fails is reported in the outcome. */
  async run(request: WorkerRun): Promise<WorkerRunReport> {
    if (this.active !== undefined) {
      throw new VoidError("internal", "a sandbox worker was given a second script while running one");
    }
    this.worker.ref();
    Atomics.store(this.preparedFlag, 0, 0);
    const runId = this.nextRunId++;
    const active = new ActiveRun(runId, request, this);
    this.active = active;
    try {
      try {
        await this.ready;
      } catch (error) {
        return active.failedToStart(error);
      }
      return await active.start();
    } finally {
      this.active = undefined;
      if (!this.exited) this.worker.unref();
    }
  }

  /** Terminates the worker; a run in progress reports `cancelled`. Idempotent. */
  async terminate(reason: LimitName = "cancelled"): Promise<void> {
    this.active?.forceStop(reason);
    this.stopping = true;
    if (!this.exited) await this.worker.terminate();
  }

  /** @internal For ActiveRun: the worker's side of the conversation. */
  post(message: ToWorker): void {
    if (this.alive) this.worker.postMessage(message);
  }

  /** @internal For ActiveRun: asks the worker's interrupt handler to stop this run. */
  flagStop(runId: number): void {
    Atomics.store(this.stopFlag, 0, runId);
  }

  /** @internal For ActiveRun: the worker overstayed; it is replaced, never reused. */
  kill(): void {
    this.stopping = true;
    if (!this.exited) void this.worker.terminate();
  }
}

/** One run on a worker, from the gateway's thread. */
class ActiveRun {
  private readonly runId: number;
  private readonly request: WorkerRun;
  private readonly owner: SandboxWorker;
  private startedAt = performance.now();
  private readonly logs: LogEntry[] = [];
  private readonly limitsHit: LimitName[] = [];
  private readonly records: ToolCallRecord[] = [];
  private readonly calls = new Map<number, CallInFlight>();
  /** Every call's signal aborts when the run ends, finished or not, as the SandboxHost contract says. */
  private readonly controllers: AbortController[] = [];
  private finish: (report: WorkerRunReport) => void = () => {};
  private finished = false;
  private stopTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.cancel();

  constructor(runId: number, request: WorkerRun, owner: SandboxWorker) {
    this.runId = runId;
    this.request = request;
    this.owner = owner;
  }

  start(): Promise<WorkerRunReport> {
    // The time limit counts from here: a worker still starting up is the gateway's cost, not the script's.
    this.startedAt = performance.now();
    const { limits } = this.request;
    const job: RunJob = {
      code: this.request.code,
      catalogueJson: this.request.catalogueJson,
      limits,
      deadlineEpochMs: Date.now() + limits.timeoutMs,
    };
    const report = new Promise<WorkerRunReport>((resolve) => {
      this.finish = resolve;
    });
    this.stopTimer = setTimeout(() => this.forceStop("timeout"), limits.timeoutMs + STOP_GRACE_MS);
    this.owner.post({ type: "run", runId: this.runId, job });
    const { signal } = this.request;
    if (signal?.aborted) this.cancel();
    else signal?.addEventListener("abort", this.onAbort, { once: true });
    return report;
  }

  failedToStart(error: unknown): WorkerRunReport {
    return this.crashReport(failureText(error));
  }

  receive(message: FromWorker): void {
    if (this.finished || !("runId" in message) || message.runId !== this.runId) return;
    switch (message.type) {
      case "log":
        this.logs.push(message.entry);
        return;
      case "limit":
        if (!this.limitsHit.includes(message.limit)) this.limitsHit.push(message.limit);
        return;
      case "call":
        this.call(message.callId, message.server, message.tool, message.argsJson);
        return;
      case "search":
        this.search(message.callId, message.requestJson);
        return;
      case "cancelCall":
        this.calls.get(message.callId)?.controller.abort();
        this.calls.delete(message.callId);
        return;
      case "done":
        this.end({ outcome: message.outcome, logs: this.logs });
        return;
    }
  }

  private call(callId: number, server: string, tool: string, argsJson: string): void {
    const controller = new AbortController();
    this.controllers.push(controller);
    const began = performance.now();
    const record: MutableRecord = {
      server,
      tool,
      startedMs: began - this.startedAt,
      durationMs: 0,
      ok: false,
      error: undefined,
      bytes: 0,
    };
    this.records.push(record);
    this.calls.set(callId, { record, controller, began });
    callToolJson(this.request.host, server, tool, argsJson, controller.signal).then(
      (json) => this.settle(callId, { json }, json === undefined ? 0 : Buffer.byteLength(json)),
      (error: unknown) => this.settle(callId, { error: failureText(error) }, 0),
    );
  }

  private search(callId: number, requestJson: string): void {
    const controller = new AbortController();
    this.calls.set(callId, { record: undefined, controller, began: performance.now() });
    searchJson(this.request.host, requestJson).then(
      (json) => this.settle(callId, { json }, 0),
      (error: unknown) => this.settle(callId, { error: failureText(error) }, 0),
    );
  }

  private settle(callId: number, answer: { json?: string | undefined; error?: string }, bytes: number): void {
    const call = this.calls.get(callId);
    if (call === undefined || this.finished) return;
    this.calls.delete(callId);
    if (call.record !== undefined) {
      call.record.durationMs = performance.now() - call.began;
      call.record.ok = answer.error === undefined;
      call.record.error = answer.error;
      call.record.bytes = bytes;
    }
    this.owner.post({ type: "settled", runId: this.runId, callId, ...answer });
  }

  private cancel(): void {
    if (this.finished) return;
    this.owner.flagStop(this.runId);
    this.owner.post({ type: "cancel", runId: this.runId });
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.forceStop("cancelled"), STOP_GRACE_MS);
  }

  /** The worker did not stop the run in time: terminate it and report what this thread saw. */
  forceStop(reason: LimitName): void {
    if (this.finished) return;
    const running = [...this.calls.values()].flatMap(({ record }) =>
      record === undefined ? [] : [`${record.server}.${record.tool}`],
    );
    this.owner.kill();
    const limitsHit = this.limitsHit.includes(reason) ? this.limitsHit : [...this.limitsHit, reason];
    this.end({
      outcome: {
        kind: "ran",
        resultJson: undefined,
        truncated: false,
        error: { name: "LimitError", message: stopMessage(reason, this.request.limits, running), stack: "" },
        calls: this.records,
        limitsHit,
        cancelledCalls: running,
      },
      logs: this.logs,
    });
  }

  workerExited(reason: string): void {
    if (this.finished) return;
    this.end(this.crashReport(reason));
  }

  private crashReport(reason: string): WorkerRunReport {
    const memory = reason === "memory";
    const limitsHit: LimitName[] = [...this.limitsHit];
    if (memory && !limitsHit.includes("memory")) limitsHit.push("memory");
    return {
      outcome: {
        kind: "ran",
        resultJson: undefined,
        truncated: false,
        error: memory
          ? { name: "LimitError", message: memoryMessage(this.request.limits), stack: "" }
          : { name: "SandboxError", message: `the sandbox stopped: ${reason}`, stack: "" },
        calls: this.records,
        limitsHit,
        cancelledCalls: [...this.calls.values()].flatMap(({ record }) =>
          record === undefined ? [] : [`${record.server}.${record.tool}`],
        ),
      },
      logs: this.logs,
    };
  }

  private end(report: WorkerRunReport): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.stopTimer);
    this.request.signal?.removeEventListener("abort", this.onAbort);
    // The run no longer waits for anything: calls still running are cancelled where they run.
    for (const controller of this.controllers) controller.abort();
    this.calls.clear();
    this.finish(report);
  }
}

function isWorkerOutOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";
}
