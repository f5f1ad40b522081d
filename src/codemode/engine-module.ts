import { quickjsWasmBytes } from "./wasm-bytes.js";

let compiling: Promise<WebAssembly.Module> | undefined;

/**
 * The QuickJS engine's WebAssembly module, compiled once per process and shared by every sandbox
 * worker (a compiled module crosses to workers without recompiling). The asynchronous compile
 * runs on V8's background threads, so the gateway's thread only pays for handing over the bytes.
 */
export function engineModule(): Promise<WebAssembly.Module> {
  if (compiling === undefined) {
    const started = WebAssembly.compile(quickjsWasmBytes());
    // A failure is not cached: the next run tries again (and reports the failure again).
    started.catch(() => {
      if (compiling === started) compiling = undefined;
    });
    compiling = started;
  }
  return compiling;
}
