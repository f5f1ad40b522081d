import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { VoidError } from "../core/index.js";

/**
 * Where a sandbox worker's code comes from. This file serves the tsc build and the TypeScript
 * sources; the single-file bundle (scripts/bundle.ts), and the executables built from it, replace
 * it with one that returns the worker bundled as source text, with the same export.
 */
export type WorkerScript =
  | { readonly kind: "file"; readonly url: URL }
  /** CommonJS source text, started with `eval: true`. */
  | { readonly kind: "source"; readonly code: string };

let cached: WorkerScript | undefined;

export function workerScript(): WorkerScript {
  cached ??= locate();
  return cached;
}

function locate(): WorkerScript {
  // The tsc build: the compiled entry sits beside this file.
  const compiled = new URL("./sandbox-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { kind: "file", url: compiled };
  // The TypeScript sources (the unit tests): Node cannot start a worker from a .ts file, so the
  // entry is bundled from the sources here, with esbuild, a devDependency wherever sources are.
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const entry = fileURLToPath(new URL("./sandbox-worker.ts", import.meta.url));
  const built = esbuild.buildSync({ ...workerBuildOptions(entry), logLevel: "error" });
  const code = built.outputFiles?.[0]?.text;
  if (code === undefined) throw new VoidError("internal", "esbuild produced no sandbox worker");
  return { kind: "source", code };
}

/**
 * How the worker entry (src/codemode/sandbox-worker.ts) becomes one CommonJS source text (here for the tests, and in
 * scripts/bundle.ts for the bundle). The engine's Emscripten glue asks for `import.meta.url`
 * to make a `require`; CommonJS output has none, so it gets a fixed file URL (the glue never
 * reads a file: the compiled module is handed over).
 */
export function workerBuildOptions(entry: string): import("esbuild").BuildOptions & { write: false } {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    define: { "import.meta.url": JSON.stringify("file:///voidmcp/sandbox-worker.js") },
  };
}
