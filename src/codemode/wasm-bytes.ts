import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The bytes of the QuickJS engine's WebAssembly module. This is the one place that knows where
 * they come from: here, the installed `@jitl/quickjs-wasmfile-release-sync` package. The
 * single-file bundle (scripts/bundle.ts) replaces this module with one that carries the bytes
 * inline, with the same export, so the bundle and the executables built from it read no file.
 */
export function quickjsWasmBytes(): Uint8Array {
  return readFileSync(createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm"));
}
