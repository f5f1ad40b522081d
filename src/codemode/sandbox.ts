import type {
  QuickJSContext,
  QuickJSDeferredPromise,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten-core";
import type { CodeModeLimits } from "./limits.js";
import type { PreparedSandbox, RunEnd, SandboxSupply } from "./prepared.js";
import { memoryMessage, stackMessage, stopMessage } from "./stop-message.js";
import type { LimitName, LogEntry, ToolCallRecord } from "./types.js";
import { reachedMemoryCap } from "./wasm.js";

const MB = 1024 * 1024;
/** Returned strings from this length on are quoted outside the engine (see longString). */
const LONG_STRING_CHARS = 1 << 20;
/** Jobs run per drain before the loop checks its clock again. */
const JOBS_PER_DRAIN = 10_000;

/**
 * The outside world as a sandbox sees it: JSON text in, JSON text out. In a worker thread this
 * forwards to the gateway's thread, which runs the real SandboxHost.
 */
export interface JsonHost {
  /**
   * Resolves with the JSON text of the tool's result (undefined: it returned nothing), or rejects
   * with an Error whose message is what the script sees. `signal` aborts when the run no longer
   * waits for the call.
   */
  callTool(server: string, tool: string, argsJson: string, signal: AbortSignal): Promise<string | undefined>;
  /** JSON text of `{ query, options }` in, JSON text of the answer out. */
  search(requestJson: string): Promise<string>;
}

/** Told of what a run does as it happens (a worker passes it on at once). */
export interface RunObserver {
  log(entry: LogEntry): void;
  limit(name: LimitName): void;
}

export interface SandboxRequest {
  /** JavaScript (already transpiled) whose value is a promise of the script's result. */
  readonly script: string;
  readonly filename: string;
  /** JSON text of the GuestCatalogue. */
  readonly catalogueJson: string;
  readonly limits: CodeModeLimits;
  readonly host: JsonHost;
  readonly supply: SandboxSupply;
  /** When the time limit fires, on this thread's `performance.now()` clock. */
  readonly deadline: number;
  /** Polled with the engine's interrupt handler: true stops the run as "cancelled". */
  readonly stopRequested?: () => boolean;
  /** Aborting stops the run as "cancelled" and cancels its in-flight tool calls. */
  readonly signal?: AbortSignal;
  readonly observer?: RunObserver;
}

export interface GuestError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

export interface SandboxOutcome {
  /** JSON text of the returned value (undefined when the script returned nothing or failed). */
  readonly resultJson: string | undefined;
  readonly error: GuestError | undefined;
  readonly logs: readonly LogEntry[];
  readonly logsTruncated: boolean;
  readonly calls: readonly ToolCallRecord[];
  readonly limitsHit: readonly LimitName[];
  /** `server.tool` of the calls still running when the run was stopped. */
  readonly cancelledCalls: readonly string[];
  readonly durationMs: number;
}

interface InFlight {
  readonly record: ToolCallRecord;
  readonly deferred: QuickJSDeferredPromise;
}

/**
 * Runs one script in a fresh QuickJS runtime and context (in an engine with its own WebAssembly
 * memory, new or reused after a clean run, see engine-reuse.ts) and frees them.
 * Never throws for anything the script does: every failure, limit and crash is in the outcome.
 */
export async function runInSandbox(request: SandboxRequest): Promise<SandboxOutcome> {
  const run = new SandboxRun(request);
  return run.execute();
}

class SandboxRun {
  private readonly request: SandboxRequest;
  private readonly limits: CodeModeLimits;
  private readonly startedAt = performance.now();
  private readonly deadline: number;
  /** Aborts the tool calls still running when the run ends; made with the first call (an abort builds an error). */
  private cancelCalls: AbortController | undefined;
  private readonly logs: LogEntry[] = [];
  private logBytes = 0;
  private logsTruncated = false;
  private readonly calls: ToolCallRecord[] = [];
  private readonly inFlight = new Set<InFlight>();
  /** Host operations (searches) that will settle a guest promise but are not tool calls. */
  private pendingOther = 0;
  /** True once the guest's promise settled on its own: the engine is then in a clean state. */
  private cleanFinish = false;
  private readonly limitsHit = new Set<LimitName>();
  private stopReason: LimitName | undefined;
  private wake: () => void = () => {};
  private sandbox: PreparedSandbox | undefined;
  private engine: QuickJSWASMModule | undefined;
  private ctx: QuickJSContext | undefined;

  constructor(request: SandboxRequest) {
    this.request = request;
    this.limits = request.limits;
    this.deadline = request.deadline;
  }

  async execute(): Promise<SandboxOutcome> {
    let resultJson: string | undefined;
    let error: GuestError | undefined;
    const onAbort = () => this.stop("cancelled");
    this.request.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (this.request.signal?.aborted) this.stop("cancelled");
      else ({ resultJson, error } = await this.evaluate());
    } catch (crash) {
      // The engine itself failed (a WebAssembly trap, the host stack): nothing of it can be trusted.
      this.cleanFinish = false;
      error = this.crashError(crash);
    } finally {
      this.request.signal?.removeEventListener("abort", onAbort);
    }
    if (this.stopReason !== undefined && error === undefined) error = this.stopError(this.stopReason);
    const cancelledCalls = [...this.inFlight].map(({ record }) => `${record.server}.${record.tool}`);
    this.cancelCalls?.abort();
    // Freeing this engine and preparing the next wait until the caller has the outcome.
    this.release();
    return {
      resultJson: error ? undefined : resultJson,
      error,
      logs: this.logs,
      logsTruncated: this.logsTruncated,
      calls: this.calls,
      limitsHit: [...this.limitsHit],
      cancelledCalls,
      durationMs: performance.now() - this.startedAt,
    };
  }

  private async evaluate(): Promise<{ resultJson?: string; error?: GuestError }> {
    const sandbox = await this.request.supply.take(this.limits.memoryMb);
    const { engine, runtime, ctx, helpers } = sandbox;
    this.sandbox = sandbox;
    this.engine = engine;
    this.ctx = ctx;
    runtime.setMemoryLimit(this.limits.memoryMb * MB);
    runtime.setMaxStackSize(this.limits.stackKb * 1024);
    const stopRequested = this.request.stopRequested;
    runtime.setInterruptHandler(() => {
      if (this.stopReason !== undefined) return true;
      if (stopRequested?.()) {
        this.stop("cancelled");
        return true;
      }
      if (performance.now() > this.deadline) {
        this.stop("timeout");
        return true;
      }
      return false;
    });
    sandbox.bind({
      call: (server, tool, args) => this.hostCall(ctx, server, tool, args),
      log: (level, text) => this.hostLog(level, text),
      search: (request) => this.hostSearch(ctx, request),
    });
    try {
      this.installCatalogue(ctx, helpers);
      const evaluated = ctx.evalCode(this.request.script, this.request.filename);
      if (evaluated.error) {
        const error = this.describe(ctx, helpers, evaluated.error);
        evaluated.error.dispose();
        return { error };
      }
      const promise = evaluated.value;
      try {
        return await this.settle(ctx, runtime, helpers, promise);
      } finally {
        promise.dispose();
      }
    } finally {
      helpers.dispose();
    }
  }

  /** Drives the guest's job queue until its promise settles, the run is stopped, or it can never settle. */
  private async settle(
    ctx: QuickJSContext,
    runtime: QuickJSRuntime,
    helpers: QuickJSHandle,
    promise: QuickJSHandle,
  ): Promise<{ resultJson?: string; error?: GuestError }> {
    for (;;) {
      // A stop while waiting (timeout, cancel, a failed hand-over) leaves the engine untouched.
      if (this.stopReason !== undefined) return {};
      const jobs = runtime.executePendingJobs(JOBS_PER_DRAIN);
      if (jobs.error) {
        const error = this.describe(ctx, helpers, jobs.error);
        jobs.error.dispose();
        if (this.stopReason !== undefined) return {};
        return { error };
      }
      if (this.stopReason !== undefined) return {};
      const state = ctx.getPromiseState(promise);
      if (state.type === "fulfilled") {
        this.cleanFinish = true;
        const value = state.value;
        try {
          return this.marshal(ctx, helpers, value);
        } finally {
          if (value.alive) value.dispose();
        }
      }
      if (state.type === "rejected") {
        this.cleanFinish = true;
        const error = this.describe(ctx, helpers, state.error);
        state.error.dispose();
        return { error };
      }
      if (jobs.value > 0) continue;
      if (this.inFlight.size === 0 && this.pendingOther === 0) {
        return {
          error: {
            name: "Error",
            message:
              "the script is waiting for a promise that can never settle (no tool call is running): " +
              "check for a missing resolve() or an un-awaited tool call",
            stack: "",
          },
        };
      }
      await this.nextEvent();
    }
  }

  /** Resolves when a tool call settles, the deadline passes or the run is cancelled. */
  private nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => {
      const remaining = Math.max(0, this.deadline - performance.now());
      const timer = setTimeout(() => {
        this.stop("timeout");
        resolve();
      }, remaining);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private stop(reason: LimitName): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.hit(reason);
    this.wake();
  }

  private hit(limit: LimitName): void {
    if (this.limitsHit.has(limit)) return;
    this.limitsHit.add(limit);
    this.request.observer?.limit(limit);
  }

  private crashError(crash: unknown): GuestError {
    const detail = crash instanceof Error ? crash.message : String(crash);
    if (crash instanceof RangeError && /call stack/i.test(detail)) {
      this.hit("stack");
      return { name: "LimitError", message: this.stackMessage(), stack: "" };
    }
    if (/memory/i.test(detail)) {
      this.hit("memory");
      return { name: "LimitError", message: this.memoryMessage(), stack: "" };
    }
    return { name: "SandboxError", message: `the sandbox stopped: ${detail}`, stack: "" };
  }

  private memoryMessage(): string {
    return memoryMessage(this.limits);
  }

  private stackMessage(): string {
    return stackMessage(this.limits);
  }

  private stopError(reason: LimitName): GuestError {
    const running = [...this.inFlight].map(({ record }) => `${record.server}.${record.tool}`);
    return { name: "LimitError", message: stopMessage(reason, this.limits, running), stack: "" };
  }

  /** Defines `tools` in the guest for this run's catalogue. */
  private installCatalogue(ctx: QuickJSContext, helpers: QuickJSHandle): void {
    const install = ctx.getProp(helpers, "install");
    const catalogue = ctx.newString(this.request.catalogueJson);
    try {
      ctx.unwrapResult(ctx.callFunction(install, helpers, catalogue)).dispose();
    } finally {
      install.dispose();
      catalogue.dispose();
    }
  }

  private hostLog(level: string, text: string): void {
    if (this.logsTruncated) return;
    const bytes = Buffer.byteLength(text) + level.length + 2;
    if (this.logBytes + bytes > this.limits.maxLogBytes) {
      this.logsTruncated = true;
      this.hit("maxLogBytes");
      this.addLog({ level: "warn", text: `[console output cut at ${this.limits.maxLogBytes} bytes]` });
      return;
    }
    this.logBytes += bytes;
    this.addLog({ level: normaliseLevel(level), text });
  }

  private addLog(entry: LogEntry): void {
    this.logs.push(entry);
    this.request.observer?.log(entry);
  }

  private hostCall(ctx: QuickJSContext, server: string, tool: string, argsJson: string): QuickJSHandle {
    const deferred = ctx.newPromise();
    const record: ToolCallRecord = {
      server,
      tool,
      startedMs: performance.now() - this.startedAt,
      durationMs: 0,
      ok: false,
      error: undefined,
      bytes: 0,
    };
    if (this.stopReason !== undefined) {
      this.rejectNow(ctx, deferred, "the run is stopping; no more tool calls");
      return deferred.handle;
    }
    if (this.calls.length >= this.limits.maxToolCalls) {
      this.hit("maxToolCalls");
      this.rejectNow(
        ctx,
        deferred,
        `tool call limit reached: a run may make at most ${this.limits.maxToolCalls} tool calls (maxToolCalls)`,
      );
      return deferred.handle;
    }
    this.calls.push(record);
    const entry: InFlight = { record, deferred };
    this.inFlight.add(entry);
    const began = performance.now();
    // Started now, inside a promise: a host that throws synchronously fails this call instead of
    // leaving it running (or rejecting unhandled).
    new Promise<string | undefined>((resolve) =>
      resolve(this.request.host.callTool(server, tool, argsJson, this.cancelSignal())),
    ).then(
      (text) => {
        this.finishCall(entry, began, true, text === undefined ? 0 : Buffer.byteLength(text), undefined);
        this.settleDeferred(ctx, deferred, text, undefined);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.finishCall(entry, began, false, 0, message);
        this.settleDeferred(ctx, deferred, undefined, message);
      },
    );
    return deferred.handle;
  }

  private cancelSignal(): AbortSignal {
    this.cancelCalls ??= new AbortController();
    return this.cancelCalls.signal;
  }

  private hostSearch(ctx: QuickJSContext, requestJson: string): QuickJSHandle {
    const deferred = ctx.newPromise();
    this.pendingOther += 1;
    Promise.resolve()
      .then(() => this.request.host.search(requestJson))
      .then(
        (text) => {
          this.pendingOther -= 1;
          this.settleDeferred(ctx, deferred, text, undefined);
        },
        (error: unknown) => {
          this.pendingOther -= 1;
          this.settleDeferred(
            ctx,
            deferred,
            undefined,
            error instanceof Error ? error.message : String(error),
          );
        },
      );
    return deferred.handle;
  }

  private finishCall(
    entry: InFlight,
    began: number,
    ok: boolean,
    bytes: number,
    error: string | undefined,
  ): void {
    // A call that ends after the run is over was cancelled; its record stays as reported.
    if (!this.inFlight.delete(entry)) return;
    const record = entry.record as { -readonly [K in keyof ToolCallRecord]: ToolCallRecord[K] };
    record.durationMs = performance.now() - began;
    record.ok = ok;
    record.bytes = bytes;
    record.error = error;
  }

  /** Settles a guest promise from the host, unless the run is already over. */
  private settleDeferred(
    ctx: QuickJSContext,
    deferred: QuickJSDeferredPromise,
    text: string | undefined,
    error: string | undefined,
  ): void {
    if (this.ctx !== ctx || !deferred.alive) return;
    try {
      if (error !== undefined) {
        const handle = ctx.newError(error);
        deferred.reject(handle);
        handle.dispose();
      } else if (text === undefined) {
        deferred.resolve(ctx.undefined);
      } else {
        const handle = ctx.newString(text);
        deferred.resolve(handle);
        handle.dispose();
      }
      deferred.dispose();
    } catch (crash) {
      // Out of memory while handing over a large result: stop the run rather than hang.
      this.stop("memory");
      void crash;
    }
    this.wake();
  }

  private rejectNow(ctx: QuickJSContext, deferred: QuickJSDeferredPromise, message: string): void {
    const handle = ctx.newError(message);
    deferred.reject(handle);
    handle.dispose();
    // The promise handle itself is returned to the guest, which takes ownership of it.
  }

  private marshal(
    ctx: QuickJSContext,
    helpers: QuickJSHandle,
    value: QuickJSHandle,
  ): { resultJson?: string; error?: GuestError } {
    const long = this.longString(ctx, value);
    if (long !== undefined) return { resultJson: JSON.stringify(long) };
    const marshal = ctx.getProp(helpers, "marshal");
    try {
      const result = ctx.callFunction(marshal, helpers, value);
      if (result.error) {
        const error = this.describe(ctx, helpers, result.error);
        result.error.dispose();
        if (this.stopReason !== undefined) return {};
        return {
          error: { ...error, message: `the script's result cannot be turned into JSON: ${error.message}` },
        };
      }
      const text = ctx.typeof(result.value) === "string" ? ctx.getString(result.value) : undefined;
      result.value.dispose();
      return text === undefined ? {} : { resultJson: text };
    } finally {
      marshal.dispose();
    }
  }

  /**
   * The text of a returned string too long to quote inside the engine: quoting doubles it there,
   * which can pass the memory cap for a string the script could hold. Read out as it is (the
   * engine hands ASCII text over without a copy) and quoted here. Shorter strings go through the
   * guest's JSON like every other value.
   */
  private longString(ctx: QuickJSContext, value: QuickJSHandle): string | undefined {
    if (ctx.typeof(value) !== "string") return undefined;
    const length = ctx.getProp(value, "length");
    try {
      if (ctx.getNumber(length) < LONG_STRING_CHARS) return undefined;
    } finally {
      length.dispose();
    }
    return ctx.getString(value);
  }

  /** A guest error as plain data, with the limit it reveals (memory, stack) noted. */
  private describe(ctx: QuickJSContext, helpers: QuickJSHandle, error: QuickJSHandle): GuestError {
    const describeFn = ctx.getProp(helpers, "describe");
    let described: GuestError = { name: "Error", message: "unknown error", stack: "" };
    try {
      const result = ctx.callFunction(describeFn, helpers, error);
      if (result.error) {
        result.error.dispose();
      } else {
        described = JSON.parse(ctx.getString(result.value)) as GuestError;
        result.value.dispose();
      }
    } finally {
      describeFn.dispose();
    }
    // QuickJS throws `null` when it cannot even allocate its "out of memory" error.
    const nullAtCap =
      described.name === "Thrown" &&
      described.message === "null" &&
      this.engine !== undefined &&
      reachedMemoryCap(this.engine, this.limits.memoryMb);
    if (/out of memory/i.test(described.message) || nullAtCap) {
      this.hit("memory");
      return { ...described, ...(nullAtCap ? { name: "InternalError" } : {}), message: this.memoryMessage() };
    }
    if (/stack overflow|call stack/i.test(described.message)) {
      this.hit("stack");
      return { ...described, message: this.stackMessage() };
    }
    return described;
  }

  /**
   * Hands the sandbox back to the supply (see PreparedSandbox.finish): freed and its engine kept,
   * or dropped. From here on, nothing of this run touches the engine: a call that settles later
   * finds no context.
   */
  private release(): void {
    if (this.sandbox !== undefined) {
      const end: RunEnd = {
        finishedCleanly: this.cleanFinish && this.stopReason === undefined,
        limitsHit: this.limitsHit.size,
        pendingHostWork: this.inFlight.size + this.pendingOther,
      };
      this.request.supply.release(this.sandbox, end, this.limits.memoryMb);
    } else {
      this.request.supply.replenish(this.limits.memoryMb);
    }
    this.inFlight.clear();
    this.sandbox = undefined;
    this.ctx = undefined;
    this.engine = undefined;
  }
}

function normaliseLevel(level: string): LogEntry["level"] {
  switch (level) {
    case "info":
    case "warn":
    case "error":
    case "debug":
      return level;
    default:
      return "log";
  }
}
