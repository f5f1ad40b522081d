/**
 * Code Mode's worker pool, in process (no MCP): run latency, what a busy script costs the
 * gateway's thread, worker start-up, and memory. `npm run build && node dist/bench/codemode-pool.js [--quick]`.
 * To compare with the in-process engine of earlier versions, run the same script against their build.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { closeCodeMode, DEFAULT_LIMITS, executeCode, type SandboxHost } from "../src/codemode/index.js";
import { workerBuildOptions } from "../src/codemode/worker-script.js";
import { fmt, measure, median } from "./stats.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

const host: SandboxHost = {
  async callTool(_server, tool, args) {
    if (tool === "slow") await wait((args as { ms: number }).ms);
    return { echoed: args };
  },
  async search() {
    return {};
  },
};

function run(code: string, limits: Partial<typeof DEFAULT_LIMITS> = {}, signal?: AbortSignal) {
  return executeCode({
    code,
    limits: { ...DEFAULT_LIMITS, ...limits },
    catalogue: { srv: ["echo", "slow"] },
    host,
    ...(signal ? { signal } : {}),
  });
}

/** Delays of a 0 ms timer on this thread, sampled `count` times: what any other request waits. */
async function timerDelays(count: number): Promise<number[]> {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    delays.push(performance.now() - started);
    await wait(5);
  }
  return delays;
}

/** Milliseconds from `new Worker` to its first message (or exit). */
function workerStart(make: () => Worker): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const worker = make();
    const done = () => {
      resolve(performance.now() - started);
      void worker.terminate();
    };
    worker.once("message", done);
    worker.once("exit", done);
    worker.once("error", reject);
  });
}

export async function benchCodeModePool(quick: boolean): Promise<string> {
  const n = quick ? 100 : 500;
  const lines: string[] = [];
  const rssBefore = rssMb();

  const empty = median(await measure(n, 30, () => run("return 1")));
  const oneCall = median(await measure(n, 30, () => run("return await tools.srv.echo({ x: 1 })")));
  const tenCalls = median(
    await measure(n, 30, () => run("for (let i = 0; i < 10; i++) await tools.srv.echo({ i }); return 1")),
  );
  lines.push(`empty run, back to back: median ${fmt(empty)} ms`);
  lines.push(`run with one tool call: median ${fmt(oneCall)} ms (${fmt(oneCall - empty)} ms per call)`);
  lines.push(
    `run with ten sequential calls: median ${fmt(tenCalls)} ms (${fmt((tenCalls - empty) / 10)} ms per call)`,
  );

  const idle = median(await timerDelays(quick ? 50 : 200));
  const controller = new AbortController();
  const busy = run("for (;;) {}", { timeoutMs: 60_000 }, controller.signal);
  await wait(100);
  const during = median(await timerDelays(quick ? 50 : 200));
  controller.abort();
  await busy;
  lines.push(
    `0 ms timer on the gateway's thread: median ${fmt(idle)} ms idle, ${fmt(during)} ms while a script spins`,
  );

  // Four runs at once, each holding about 50 MB of its 64 MB while it waits on a tool.
  const holding =
    "const keep = []; for (let i = 0; i < 50; i++) keep.push('x'.repeat(1 << 20) + i);\n" +
    "await tools.srv.slow({ ms: 1500 }); return keep.length;";
  const four = Promise.all([1, 2, 3, 4].map(() => run(holding)));
  await wait(1_000);
  const rssFour = rssMb();
  const values = (await four).map((r) => r.value);
  lines.push(
    `RSS: ${rssBefore} MB before any run; ${rssFour} MB with 4 workers each holding ~50 MB (runs returned ${values.join(",")}); ` +
      `bound idle + 4 × 64 + 50 = ${rssBefore + 4 * 64 + 50} MB`,
  );
  await closeCodeMode();
  await wait(200);
  lines.push(`RSS after closeCodeMode: ${rssMb()} MB`);

  // Worker start-up: the sandbox worker as source text (what the bundle does) vs the whole bundle re-entered.
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const built = esbuild.buildSync({
    ...workerBuildOptions(join(root, "src/codemode/sandbox-worker.ts")),
    minify: true,
    logLevel: "error",
  });
  const code = built.outputFiles[0]?.text ?? "";
  const engine = await WebAssembly.compile(
    await import("node:fs/promises").then((fs) =>
      fs.readFile(createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm")),
    ),
  );
  const stop = new SharedArrayBuffer(4);
  const starts: number[] = [];
  for (let i = 0; i < 10; i++) {
    starts.push(
      await workerStart(() => new Worker(code, { eval: true, workerData: { engine, memoryMb: 64, stop } })),
    );
  }
  lines.push(
    `sandbox worker start (source text, ${(code.length / 1024).toFixed(0)} KB): median ${fmt(median(starts))} ms`,
  );
  const bundle = join(root, "dist/bundle/voidmcp.mjs");
  if (existsSync(bundle)) {
    const whole: number[] = [];
    for (let i = 0; i < 10; i++) {
      whole.push(await workerStart(() => new Worker(bundle, { argv: ["--version"], stdout: true })));
    }
    lines.push(`whole bundle re-entered in a worker (--version, then exit): median ${fmt(median(whole))} ms`);
  }
  return `## Code Mode worker pool\n\n${lines.map((line) => `- ${line}`).join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(await benchCodeModePool(process.argv.includes("--quick")));
}
