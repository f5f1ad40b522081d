import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { VoidError } from "../core/index.js";
import { PRELUDE } from "./prelude.js";
import { instantiate } from "./wasm.js";

/** What the guest's host functions do; bound to one run when the sandbox is taken. */
export interface HostBindings {
  call(server: string, tool: string, argsJson: string): QuickJSHandle;
  log(level: string, text: string): void;
  search(requestJson: string): QuickJSHandle;
}

/**
 * A sandbox made ready ahead of a run: a fresh engine, its runtime and context, and the prelude
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
}

async function prepare(wasmModule: WebAssembly.Module, memoryMb: number): Promise<PreparedSandbox> {
  const engine = await instantiate(wasmModule, memoryMb);
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
  const helpers = ctx.unwrapResult(ctx.callFunction(factory, ctx.undefined, call, log, search));
  for (const handle of [factory, call, log, search]) handle.dispose();
  return {
    engine,
    runtime,
    ctx,
    helpers,
    bind: (next) => {
      bound = next;
    },
  };
}

/**
 * Prepared sandboxes of one engine module, at most one ready per memory cap. Each worker thread
 * has one supply; a run takes a sandbox and, once its outcome is out, asks for the next one, so
 * that preparing never competes with a run for the CPU.
 */
export class SandboxSupply {
  private readonly wasmModule: WebAssembly.Module;
  private readonly ready = new Map<number, Promise<PreparedSandbox>>();
  private readonly onPrepared: () => void;

  /** `onPrepared` hears of each sandbox that replenish() made ready (the worker tells the pool). */
  constructor(wasmModule: WebAssembly.Module, onPrepared: () => void = () => {}) {
    this.wasmModule = wasmModule;
    this.onPrepared = onPrepared;
  }

  /** A prepared sandbox with a memory cap of `memoryMb`: the one ready, else a new one. */
  take(memoryMb: number): Promise<PreparedSandbox> {
    const taken = this.ready.get(memoryMb) ?? prepare(this.wasmModule, memoryMb);
    this.ready.delete(memoryMb);
    return taken;
  }

  /** Prepares the next sandbox of this size in the background, unless one is ready already. */
  replenish(memoryMb: number): void {
    // After the current task's synchronous work: preparing costs a few milliseconds of CPU.
    setImmediate(() => {
      if (this.ready.has(memoryMb)) return;
      const next = prepare(this.wasmModule, memoryMb);
      next.then(
        () => this.onPrepared(),
        () => {
          if (this.ready.get(memoryMb) === next) this.ready.delete(memoryMb);
        },
      );
      this.ready.set(memoryMb, next);
    });
  }
}
