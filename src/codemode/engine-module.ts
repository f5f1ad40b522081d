let compiling: Promise<WebAssembly.Module> | undefined;

/**
 * The QuickJS engine's WebAssembly module, compiled once per process and shared by every sandbox
 * worker (a compiled module crosses to workers without recompiling). The asynchronous compile
 * runs on V8's background threads, so the gateway's thread only pays for handing over the bytes.
 * The bytes themselves (inlined in the bundle as base64) are loaded on the first call, so a
 * gateway that never runs a script never decodes them.
 */
export function engineModule(): Promise<WebAssembly.Module> {
  if (compiling === undefined) {
    const started = import("./wasm-bytes.js").then(({ quickjsWasmBytes }) =>
      WebAssembly.compile(quickjsWasmBytes()),
    );
    // A failure is not cached: the next run tries again (and reports the failure again).
    started.catch(() => {
      if (compiling === started) compiling = undefined;
    });
    compiling = started;
  }
  return compiling;
}
