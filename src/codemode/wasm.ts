import variantExport from "@jitl/quickjs-wasmfile-release-sync";
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";

/**
 * QuickJS engines, one per run. The WebAssembly module is compiled once (by the gateway's thread,
 * see engine-module.ts, and shared with the workers); each run gets a new instance with its own
 * `WebAssembly.Memory` whose maximum is the run's memory cap, so the cap is a real byte limit and
 * nothing a script does can leak into the next run.
 */

type EmscriptenOptions = NonNullable<Parameters<typeof newVariant>[1]["emscriptenModule"]>;

const PAGE_BYTES = 64 * 1024;
/** What the engine itself needs before a script allocates anything (static data, C stack). */
const BASE_MEMORY_MB = 4;
/** The engine's module imports a memory of at least 16 MiB: a smaller one fails to link. */
const MIN_PAGES = 256;

// The package's type declarations describe its CommonJS face (the variant under `default`);
// imported as ESM the default export is the variant itself. Accept both.
const variant: QuickJSSyncVariant =
  (variantExport as unknown as { default?: QuickJSSyncVariant }).default ??
  (variantExport as unknown as QuickJSSyncVariant);

/** A new engine (its own memory, at most `memoryMb` plus the engine's base) that nothing has used. */
export function instantiate(wasmModule: WebAssembly.Module, memoryMb: number): Promise<QuickJSWASMModule> {
  // Small caps still get the module's minimum: QuickJS's own allocation limit (memoryMb) holds
  // them to the cap, and the WebAssembly maximum is the hard ceiling above it.
  const maximum = Math.max(MIN_PAGES, Math.ceil(((memoryMb + BASE_MEMORY_MB) * 1024 * 1024) / PAGE_BYTES));
  const initial = MIN_PAGES;
  const wasmMemory = new WebAssembly.Memory({ initial, maximum });
  // The engine's own diagnostics would go to the gateway's stderr; scripts' failures are
  // reported through the run's outcome instead.
  // (print/printErr are Emscripten module settings its type declarations leave out.)
  const quiet = () => {};
  const emscriptenModule = { print: quiet, printErr: quiet } as unknown as EmscriptenOptions;
  return newQuickJSWASMModuleFromVariant(
    newVariant(variant, { wasmModule, wasmMemory, log: quiet, emscriptenModule }),
  );
}

/**
 * Whether a script came close to the engine's memory cap: its memory grew past `memoryMb` (it
 * never shrinks, and the engine's own base lies below the cap). Never true for the smallest caps,
 * whose memory does not grow past the module's minimum.
 */
export function reachedMemoryCap(engine: QuickJSWASMModule, memoryMb: number): boolean {
  const bytes = engine.getWasmMemory().buffer.byteLength;
  return bytes > Math.max(memoryMb * 1024 * 1024, MIN_PAGES * PAGE_BYTES);
}
