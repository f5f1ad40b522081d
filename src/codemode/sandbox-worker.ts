/**
 * The entry of a sandbox worker thread: it runs scripts, one at a time, in sandboxes it prepares
 * ahead, and forwards every tool call and search to the gateway's thread (protocol.ts). Nothing
 * here runs on the gateway's thread: a busy script costs that thread nothing. Loaded as a file
 * (the tsc build) or as source text (the bundle, the executables, the tests; see worker-script.ts).
 */
import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";
import { capOutput } from "./output.js";
import { SandboxSupply } from "./prepared.js";
import type { FromWorker, RunJob, ToWorker, WorkerStart } from "./protocol.js";
import { type JsonHost, runInSandbox } from "./sandbox.js";
import { cachedSandboxScript, SCRIPT_FILENAME } from "./transpile.js";

interface Pending {
  readonly runId: number;
  readonly resolve: (json: string | undefined) => void;
  readonly reject: (error: Error) => void;
}

function serve(port: MessagePort, start: WorkerStart): void {
  const post = (message: FromWorker) => port.postMessage(message);
  const preparedFlag = new Int32Array(start.prepared);
  const supply = new SandboxSupply(start.engine, () => Atomics.store(preparedFlag, 0, 1));
  const stopFlag = new Int32Array(start.stop);
  const pending = new Map<number, Pending>();
  let current: { readonly runId: number; readonly controller: AbortController } | undefined;
  let nextCallId = 1;

  /** Asks the gateway's thread; a call the run stops waiting for is cancelled there and forgotten here. */
  function ask(
    runId: number,
    signal: AbortSignal | undefined,
    message: (callId: number) => FromWorker,
  ): Promise<string | undefined> {
    const callId = nextCallId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        // Left unsettled on purpose: the run is over and its record of the call stays as reported.
        if (pending.delete(callId)) post({ type: "cancelCall", runId, callId });
      };
      // The run's signal outlives its calls: each call's listener goes when the call settles, or a
      // script making many calls would pile them up on it.
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener("abort", onAbort);
          finish(value);
        };
      pending.set(callId, { runId, resolve: settle(resolve), reject: settle(reject) });
      signal?.addEventListener("abort", onAbort, { once: true });
      post(message(callId));
    });
  }

  async function run(runId: number, job: RunJob): Promise<void> {
    const controller = new AbortController();
    current = { runId, controller };
    try {
      const transpiled = cachedSandboxScript(job.code);
      if (!transpiled.ok) {
        post({ type: "done", runId, outcome: { kind: "syntax", problem: transpiled.problem } });
        return;
      }
      const host: JsonHost = {
        callTool: (server, tool, argsJson, signal) =>
          ask(runId, signal, (callId) => ({ type: "call", runId, callId, server, tool, argsJson })),
        search: (requestJson) =>
          ask(runId, undefined, (callId) => ({ type: "search", runId, callId, requestJson })).then(
            (json) => json ?? "null",
          ),
      };
      const outcome = await runInSandbox({
        script: transpiled.script,
        filename: SCRIPT_FILENAME,
        catalogueJson: job.catalogueJson,
        limits: job.limits,
        host,
        supply,
        // Threads share the wall clock, not the origin of performance.now().
        deadline: performance.now() + (job.deadlineEpochMs - Date.now()),
        stopRequested: () => Atomics.load(stopFlag, 0) === runId,
        signal: controller.signal,
        observer: {
          log: (entry) => post({ type: "log", runId, entry }),
          limit: (limit) => post({ type: "limit", runId, limit }),
        },
      });
      const capped =
        outcome.resultJson === undefined
          ? undefined
          : capOutput(outcome.resultJson, job.limits.maxOutputBytes);
      post({
        type: "done",
        runId,
        outcome: {
          kind: "ran",
          resultJson: capped?.json,
          truncated: capped?.truncated ?? false,
          ...(capped?.truncated ? { wholeJson: outcome.resultJson } : {}),
          error: outcome.error,
          calls: outcome.calls,
          limitsHit: outcome.limitsHit,
          cancelledCalls: outcome.cancelledCalls,
        },
      });
    } finally {
      for (const [callId, entry] of pending) if (entry.runId === runId) pending.delete(callId);
      if (current?.runId === runId) current = undefined;
    }
  }

  port.on("message", (message: ToWorker) => {
    switch (message.type) {
      case "run":
        void run(message.runId, message.job);
        return;
      case "cancel":
        if (current?.runId === message.runId) current.controller.abort();
        return;
      case "settled": {
        const entry = pending.get(message.callId);
        if (entry === undefined || entry.runId !== message.runId) return;
        pending.delete(message.callId);
        if (message.error !== undefined) entry.reject(new Error(message.error));
        else entry.resolve(message.json);
        return;
      }
    }
  });
  // The first sandbox is prepared now, before any run asks for it.
  supply.replenish(start.memoryMb);
  post({ type: "ready" });
}

if (!isMainThread && parentPort !== null) serve(parentPort, workerData as WorkerStart);
