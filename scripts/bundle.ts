/**
 * `npm run bundle`: the whole CLI as one file, dist/bundle/voidmcp.mjs, with every runtime
 * dependency and the QuickJS WebAssembly inlined. It is what the npm package ships (its `bin`) and
 * what `npm run build:binaries` compiles into executables.
 *
 * The file is a small ES module entry (src/cli/bundle-entry.ts) followed by the program itself,
 * bundled as CommonJS and carried in one block comment (src/cli/code-cache.ts), so that Node
 * parses only the entry; the entry compiles the program with V8's cached data from an earlier
 * start. Node 20 has no compile cache for ES modules, and compiling the whole 2 MB program was
 * the largest single cost of a start.
 *
 * After the body come the data only Code Mode needs, each in a comment section of its own, read
 * from the file when Code Mode starts (so a start neither compiles nor holds them): the engine's
 * WebAssembly as base64, and the sandbox worker's source.
 *
 * Three source modules are swapped for generated ones with the same exports (the only difference
 * between the bundle and the tsc build):
 * - src/codemode/wasm-bytes.ts reads the engine's .wasm from node_modules; the bundle's version
 *   reads the WASM section of the bundle file.
 * - src/codemode/worker-script.ts points at the compiled sandbox worker entry; the bundle's
 *   version reads the WORKER section: that worker, bundled first on its own (CommonJS, no wasm:
 *   the gateway's thread hands it the compiled engine), as source text started with `eval: true`. A worker of
 *   its own rather than the whole bundle re-entered: it loads a third of the code, and the CLI
 *   entry needs no guard against running in a worker.
 * - src/cli/version.ts reads package.json and asks git; the bundle's version has the version and
 *   commit written in.
 *
 * Run after `npm run build` (the script itself is compiled by tsc); bundles from the TypeScript
 * sources. Prints the output's path and size.
 */
import { createHash } from "node:crypto";
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";
import { embedSection, SECTION_READER } from "../src/cli/code-cache.js";
import { commitId, VERSION } from "../src/cli/version.js";
import { workerBuildOptions } from "../src/codemode/worker-script.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE = join(root, "dist/bundle/voidmcp.mjs");
/** The licenses of the packages inside the bundle, shipped beside it. */
export const LICENSES = join(root, "dist/bundle/THIRD_PARTY_LICENSES.txt");

interface Swap {
  /** The source file replaced, relative to the project root, with "/" separators. */
  readonly file: string;
  readonly contents: string;
}

/** The engine's WebAssembly file in node_modules. */
function wasmFile(): string {
  return createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");
}

function swaps(): Swap[] {
  return [
    {
      // The worker's source is kept (it starts every worker the pool adds): ~0.4 MB once Code Mode
      // ran, none before.
      file: "src/codemode/worker-script.ts",
      contents: `let code;\nexport function workerScript() { code ??= ${SECTION_READER}("WORKER"); return { kind: "source", code }; }\n`,
    },
    {
      // Read once per process (engine-module.ts compiles it once), then garbage.
      file: "src/codemode/wasm-bytes.ts",
      contents: `export function quickjsWasmBytes() { return Buffer.from(${SECTION_READER}("WASM"), "base64"); }\n`,
    },
    {
      file: "src/cli/version.ts",
      contents: `export const VERSION = ${JSON.stringify(VERSION)};\nexport function commitId() { return ${JSON.stringify(commitId())}; }\n`,
    },
  ];
}

/** Replaces each swapped file's contents; fails the build when one of them was never loaded. */
function swapPlugin(list: readonly Swap[]): Plugin {
  return {
    name: "voidmcp-swap",
    setup(pluginBuild) {
      const used = new Set<string>();
      const byPath = new Map(list.map((swap) => [join(root, swap.file), swap]));
      pluginBuild.onLoad({ filter: /\.ts$/ }, (args) => {
        const swap = byPath.get(args.path);
        if (swap === undefined) return undefined;
        used.add(swap.file);
        return { contents: swap.contents, loader: "js", resolveDir: root };
      });
      pluginBuild.onEnd((result) => {
        const missing = list.filter((swap) => !used.has(swap.file)).map((swap) => swap.file);
        if (result.errors.length === 0 && missing.length > 0) {
          result.errors.push({
            id: "",
            pluginName: "voidmcp-swap",
            text: `not part of the bundle any more: ${missing.join(", ")} (update scripts/bundle.ts)`,
            location: null,
            notes: [],
            detail: undefined,
          });
        }
      });
    },
  };
}

/** The root directories of the npm packages that contributed code to the bundle. */
function packageDirs(metafiles: readonly Metafile[]): string[] {
  const dirs = new Set<string>();
  for (const input of metafiles.flatMap((metafile) => Object.keys(metafile.inputs))) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) dirs.add(join(root, match[1]));
  }
  return [...dirs].sort();
}

/** Each bundled package's name, version, license and license text, as its license asks. */
async function thirdPartyLicenses(metafiles: readonly Metafile[]): Promise<string> {
  const sections: string[] = [];
  for (const dir of packageDirs(metafiles)) {
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      name: string;
      version: string;
      license?: string;
    };
    const file = (await readdir(dir)).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text =
      file === undefined
        ? "(no license file in the package)"
        : (await readFile(join(dir, file), "utf8")).trim();
    sections.push(`${pkg.name} ${pkg.version} (${pkg.license ?? "license not stated"})\n\n${text}\n`);
  }
  return `voidmcp's bundle contains code from these packages:\n\n${sections.join(`\n${"-".repeat(72)}\n\n`)}`;
}

export async function bundle(): Promise<{ path: string; bytes: number }> {
  const worker = await build({
    ...workerBuildOptions(join(root, "src/codemode/sandbox-worker.ts")),
    minify: true,
    keepNames: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const workerCode = worker.outputFiles[0]?.text;
  if (workerCode === undefined) throw new Error("esbuild produced no sandbox worker");
  const body = await build({
    entryPoints: [join(root, "src/cli/main.ts")],
    write: false,
    bundle: true,
    platform: "node",
    // CommonJS, so that src/cli/bundle-entry.ts can compile it as a script with V8's cached data.
    format: "cjs",
    target: "node20",
    // A script compiled by node:vm cannot run `import()` without an experimental flag; esbuild
    // turns the remaining ones (of Node's built-in modules) into require().
    supported: { "dynamic-import": false },
    // jsonc-parser's "main" is a UMD build whose lazy require() calls an ESM bundle cannot serve;
    // its ESM build is the same code.
    alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
    plugins: [swapPlugin(swaps())],
    minify: true,
    keepNames: true,
    legalComments: "eof",
    metafile: true,
    logLevel: "warning",
  });
  const bodyCode = body.outputFiles[0]?.text.replace(/^#![^\n]*\n/, "");
  if (bodyCode === undefined) throw new Error("esbuild produced no bundle body");
  const bodyHash = createHash("sha256").update(bodyCode).digest("hex");
  const entry = await build({
    stdin: {
      contents: [
        `import { fileURLToPath } from "node:url";`,
        `import { runBundled } from "./src/cli/bundle-entry.ts";`,
        `runBundled({ file: fileURLToPath(import.meta.url), bodyHash: ${JSON.stringify(bodyHash)} });`,
      ].join("\n"),
      resolveDir: root,
      sourcefile: "bundle-entry.js",
      loader: "js",
    },
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "none",
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
  });
  const entryCode = entry.outputFiles[0]?.text;
  if (entryCode === undefined) throw new Error("esbuild produced no bundle entry");
  await mkdir(dirname(BUNDLE), { recursive: true });
  const wasm = (await readFile(wasmFile())).toString("base64");
  await writeFile(
    BUNDLE,
    [
      entryCode.endsWith("\n") ? entryCode : `${entryCode}\n`,
      embedSection("BODY", bodyCode),
      embedSection("WASM", wasm),
      embedSection("WORKER", workerCode),
    ].join(""),
  );
  await chmod(BUNDLE, 0o755);
  await writeFile(LICENSES, await thirdPartyLicenses([body.metafile, worker.metafile]));
  return { path: BUNDLE, bytes: (await stat(BUNDLE)).size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, bytes } = await bundle();
  process.stdout.write(
    `${path}: ${(bytes / 1024 / 1024).toFixed(2)} MB (voidmcp ${VERSION}, ${commitId()})\n`,
  );
}
