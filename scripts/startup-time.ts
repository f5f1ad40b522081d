/**
 * Spawn-to-initialize time of the shipped forms of voidmcp: how long an IDE waits from starting
 * `voidmcp serve` to the answer to its `initialize` request. Each form is started `--runs` times
 * (default 20, alternating between forms so they share the machine's state) with an empty
 * registry; prints median and p90 per form.
 *
 *   node dist/scripts/startup-time.js                 # dev build, bundle, and the binary if built
 *   node dist/scripts/startup-time.js --runs 50
 *   node dist/scripts/startup-time.js --compare /other/checkout/dist/bundle/voidmcp.mjs
 *
 * The bundle is timed with its V8 code cache (written by a warm-up start, into a temporary
 * directory) and without it (VOIDMCP_CODE_CACHE=off).
 *
 * A floor is timed beside them: bare Node answering the same request with a fixed line, so that
 * a busy machine's numbers can still be read against what Node itself costs.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLE } from "./bundle.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

interface Form {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "startup-time", version: "1" },
  },
})}\n`;

/**
 * CPU time (user + system) a process has used so far, in ms, from Linux's /proc (10 ms ticks);
 * undefined elsewhere. On a machine shared with other work it varies far less than wall time.
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== "linux") return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface Sample {
  /** Milliseconds from spawn to the first byte of the initialize response on stdout. */
  readonly wallMs: number;
  /** CPU the process had used by then. */
  readonly cpuMs: number | undefined;
}

/** `holdMs`: how long the process is kept after answering (the warm-up lets the bundle write its code cache). */
function once(form: Form, registry: string, cacheHome: string, holdMs = 0): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(form.command, [...form.args, "serve", "--config", registry], {
      stdio: ["pipe", "pipe", "ignore"],
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...form.env },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"id":1')) {
        const sample = { wallMs: performance.now() - started, cpuMs: cpuMs(child.pid) };
        setTimeout(() => {
          child.stdin.end();
          child.once("exit", () => resolve(sample));
        }, holdMs);
      }
    });
    child.once("error", reject);
    child.stdin.write(INITIALIZE);
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const runsAt = process.argv.indexOf("--runs");
  const runs = runsAt === -1 ? 20 : Number(process.argv[runsAt + 1]);
  const forms: Form[] = [
    {
      name: "tsc build (node dist/src/cli/main.js)",
      command: process.execPath,
      args: [join(root, "dist/src/cli/main.js")],
    },
    { name: "bundle (node dist/bundle/voidmcp.mjs)", command: process.execPath, args: [BUNDLE] },
    {
      name: "bundle without its code cache (VOIDMCP_CODE_CACHE=off)",
      command: process.execPath,
      args: [BUNDLE],
      env: { VOIDMCP_CODE_CACHE: "off" },
    },
    {
      name: "floor: bare node answering initialize",
      command: process.execPath,
      args: ["-e", `process.stdin.once("data", () => process.stdout.write('{"id":1}\\n'))`],
    },
  ];
  const compareAt = process.argv.indexOf("--compare");
  const compare = compareAt === -1 ? undefined : process.argv[compareAt + 1];
  if (compare !== undefined) {
    forms.push({ name: `compared bundle (${compare})`, command: process.execPath, args: [compare] });
  }
  const binary = join(root, "dist/binaries", `voidmcp-${process.platform}-${process.arch}`);
  if (existsSync(binary))
    forms.push({ name: `executable (${binary.slice(root.length)})`, command: binary, args: [] });
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-startup-"));
  try {
    const registry = join(dir, "servers.json");
    await writeFile(registry, '{ "version": 1, "mcpServers": {} }\n');
    const samples = forms.map(() => [] as Sample[]);
    // The bundle's code cache goes into this temporary directory; the first start writes it.
    const cacheHome = join(dir, "cache");
    // Warms the file cache, and lets each bundle write its code cache (written 2 s after start).
    for (const form of forms) await once(form, registry, cacheHome, 3_000);
    for (let i = 0; i < runs; i++) {
      for (const [index, form] of forms.entries())
        samples[index]?.push(await once(form, registry, cacheHome));
    }
    for (const [index, form] of forms.entries()) {
      const sorted = (samples[index] ?? []).map((s) => s.wallMs).sort((a, b) => a - b);
      const cpu = (samples[index] ?? []).flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
      const cpuText =
        cpu.length > 0
          ? `, CPU used by then: median ${quantile(
              cpu.sort((a, b) => a - b),
              0.5,
            )} ms`
          : "";
      process.stdout.write(
        `${form.name}: median ${quantile(sorted, 0.5).toFixed(0)} ms, p90 ${quantile(sorted, 0.9).toFixed(0)} ms${cpuText} (${runs} runs)\n`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
