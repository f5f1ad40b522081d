import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten-core";
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

async function prepare(memoryMb: number): Promise<PreparedSandbox> {
  const engine = await instantiate(memoryMb);
  const runtime = engine.newRuntime();
  const ctx = runtime.newContext();
  let bound: HostBindings | undefined;
  const bindings = (): HostBindings => {
    if (!bound) throw new Error("this sandbox is not bound to a run");
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

const ready = new Map<number, Promise<PreparedSandbox>>();

function prepareLater(memoryMb: number): void {
  // After the current run's synchronous work: preparing costs about a millisecond of CPU.
  setImmediate(() => {
    if (ready.has(memoryMb)) return;
    const next = prepare(memoryMb);
    next.catch(() => ready.delete(memoryMb));
    ready.set(memoryMb, next);
  });
}

/**
 * A prepared sandbox with a memory cap of `memoryMb`. The caller replenishes (see below) once its
 * run is over, so that preparing the next one never competes with a run for the CPU.
 */
export function takeSandbox(memoryMb: number): Promise<PreparedSandbox> {
  const taken = ready.get(memoryMb) ?? prepare(memoryMb);
  ready.delete(memoryMb);
  return taken;
}

/** Prepares the next sandbox of this size in the background, unless one is ready already. */
export function replenish(memoryMb: number): void {
  prepareLater(memoryMb);
}

/** Prepares a sandbox so that the first run does not pay for compiling and instantiating. */
export function prewarm(memoryMb: number): void {
  prepareLater(memoryMb);
}
