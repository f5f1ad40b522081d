import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { VoidError } from "../core/index.js";
import { mayReuseEngine } from "./engine-reuse.js";
import { FORMATTER, PRELUDE } from "./prelude.js";
import { instantiate } from "./wasm.js";

/** What the guest's host functions do; bound to one run when the sandbox is taken. */
export interface HostBindings {
  call(server: string, tool: string, argsJson: string): QuickJSHandle;
  log(level: string, text: string): void;
  search(requestJson: string): QuickJSHandle;
}

/** How a run ended, as far as its engine's next use is concerned (see engine-reuse.ts). */
export interface RunEnd {
  readonly finishedCleanly: boolean;
  readonly limitsHit: number;
  readonly pendingHostWork: number;
}

/**
 * A sandbox made ready ahead of a run: an engine, a new runtime and context in it, and the prelude
 * already evaluated (console, search, and the helpers install/marshal/describe). Taking one
 * leaves only the run's own work: binding the host functions, installing the catalogue and
 * evaluating the script. Each is used for one run only.
 */
export interface PreparedSandbox {
  readonly engine: QuickJSWASMModule;
  readonly runtime: QuickJSRuntime;
  readonly ctx: QuickJSContext;
  /** The guest object { install, marshal, describe }; the run disposes it. */
  readonly helpers: QuickJSHandle;
  bind(bindings: HostBindings): void;
  /**
   * Called once, when the run is over and its outcome is out. After a clean finish the context
   * and runtime are freed, and the engine goes back to the supply if it may serve another run.
   * After a stop (timeout, memory, a trap) the engine may hold objects QuickJS would assert on
   * while freeing, so it is dropped whole, its WebAssembly memory with it.
   */
  finish(end: RunEnd): void;
}

/** An engine and what it has done so far. */
interface EngineSlot {
  readonly engine: QuickJSWASMModule;
  readonly initialMemoryBytes: number;
  runs: number;
}

/**
 * Prepared sandboxes of one engine module, at most one ready per memory cap. Each worker thread
 * has one supply; a run takes a sandbox and, once its outcome is out, asks for the next one, so
 * that preparing never competes with a run for the CPU. An engine whose run ended cleanly is
 * kept (one per cap) for the next sandbox of its cap: a new runtime and context in it cost a
 * fraction of a new engine (its WebAssembly instance and memory).
 */
export class SandboxSupply {
  private readonly wasmModule: WebAssembly.Module;
  private readonly ready = new Map<number, Promise<PreparedSandbox>>();
  /** Engines given back after a clean run, waiting for their next sandbox. */
  private readonly spare = new Map<number, EngineSlot>();
  private readonly onPrepared: () => void;
  /** Sandboxes whose runs are over, to be finished (freed, their engines kept or dropped). */
  private readonly released: Array<() => void> = [];
  private created = 0;

  /** `onPrepared` hears of each sandbox that replenish() made ready and is still waiting (the worker tells the pool). */
  constructor(wasmModule: WebAssembly.Module, onPrepared: () => void = () => {}) {
    this.wasmModule = wasmModule;
    this.onPrepared = onPrepared;
  }

  /** Engines (WebAssembly instances) made so far; the rest of the sandboxes reused one. */
  get enginesCreated(): number {
    return this.created;
  }

  /** A prepared sandbox with a memory cap of `memoryMb`: the one ready, else a new one. */
  take(memoryMb: number): Promise<PreparedSandbox> {
    // A run that came before the previous one's engine was handed back: hand it back now.
    this.finishReleased();
    const taken = this.ready.get(memoryMb) ?? this.prepare(memoryMb);
    this.ready.delete(memoryMb);
    return taken;
  }

  /**
   * Takes back a sandbox whose run is over and prepares the next one of its cap. Both wait until
   * the current task's synchronous work is done (the run's outcome goes out first), or until the
   * next take(), whichever comes first.
   */
  release(sandbox: PreparedSandbox, end: RunEnd, memoryMb: number): void {
    this.released.push(() => sandbox.finish(end));
    setImmediate(() => this.finishReleased());
    this.replenish(memoryMb);
  }

  private finishReleased(): void {
    for (const finish of this.released.splice(0)) finish();
  }

  /** Prepares the next sandbox of this size in the background, unless one is ready already. */
  replenish(memoryMb: number): void {
    // After the current task's synchronous work: preparing costs CPU a run may be waiting for.
    setImmediate(() => {
      this.finishReleased();
      if (this.ready.has(memoryMb)) return;
      const next = this.prepare(memoryMb);
      next.then(
        () => {
          // Not when a run took it while it was being prepared: that run has it.
          if (this.ready.get(memoryMb) === next) this.onPrepared();
        },
        () => {
          if (this.ready.get(memoryMb) === next) this.ready.delete(memoryMb);
        },
      );
      this.ready.set(memoryMb, next);
    });
  }

  private async engineFor(memoryMb: number): Promise<EngineSlot> {
    const spare = this.spare.get(memoryMb);
    if (spare !== undefined) {
      this.spare.delete(memoryMb);
      return spare;
    }
    const engine = await instantiate(this.wasmModule, memoryMb);
    this.created += 1;
    return { engine, initialMemoryBytes: engine.getWasmMemory().buffer.byteLength, runs: 0 };
  }

  private async prepare(memoryMb: number): Promise<PreparedSandbox> {
    const slot = await this.engineFor(memoryMb);
    slot.runs += 1;
    const { engine } = slot;
    const runtime = engine.newRuntime();
    const ctx = runtime.newContext();
    let bound: HostBindings | undefined;
    const bindings = (): HostBindings => {
      if (!bound) throw new VoidError("internal", "a prepared sandbox was used before it was bound to a run");
      return bound;
    };
    const factory = ctx.unwrapResult(ctx.evalCode(PRELUDE, "voidmcp-prelude.js"));
    const call = ctx.newFunction("call", (server, tool, args) =>
      bindings().call(ctx.getString(server), ctx.getString(tool), ctx.getString(args)),
    );
    const log = ctx.newFunction("log", (level, text) => {
      bindings().log(ctx.getString(level), ctx.getString(text));
    });
    const search = ctx.newFunction("search", (request) => bindings().search(ctx.getString(request)));
    // The console formatting is compiled on first use, by the run that needs it (prelude.ts).
    // A failure (out of memory, the run's interrupt) is thrown in the guest, where it happened.
    const formatter = ctx.newFunction("formatter", () => {
      const made = ctx.evalCode(FORMATTER, "voidmcp-format.js");
      return made.error !== undefined ? { error: made.error } : made.value;
    });
    const helpers = ctx.unwrapResult(ctx.callFunction(factory, ctx.undefined, call, log, search, formatter));
    for (const handle of [factory, call, log, search, formatter]) handle.dispose();
    let finished = false;
    return {
      engine,
      runtime,
      ctx,
      helpers,
      bind: (next) => {
        bound = next;
      },
      finish: (end) => {
        if (finished) return;
        finished = true;
        bound = undefined;
        let disposed = false;
        if (end.finishedCleanly && end.pendingHostWork === 0) {
          try {
            ctx.dispose();
            runtime.dispose();
            disposed = true;
          } catch {
            // a leaked object: QuickJS aborted the engine, which is dropped
          }
        }
        const reuse = mayReuseEngine({
          ...end,
          disposed,
          runs: slot.runs,
          memoryBytes: engine.getWasmMemory().buffer.byteLength,
          initialMemoryBytes: slot.initialMemoryBytes,
        });
        if (reuse && !this.spare.has(memoryMb)) this.spare.set(memoryMb, slot);
      },
    };
  }
}
