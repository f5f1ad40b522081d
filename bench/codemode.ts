/**
 * Code Mode costs, side by side in one run (`npm run bench`, or `-- --quick`):
 * 1. through `voidmcp serve` (the bundle): a direct tools/call of the fixture's echo vs an empty execute_code
 *    vs execute_code making one echo call, and 10 parallel slow calls vs one;
 * 2. in process (no MCP, no upstream): the sandbox's own run overhead and the per-call bridge
 *    cost, and how long the memory cap takes to stop a script that allocates without end.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { DEFAULT_LIMITS, executeCode, type SandboxHost } from "../src/codemode/index.js";
import { fmt, measure, median, type Sample, saveResults, table } from "./stats.js";
import { facts } from "./summary.js";

/** Idle time between measured calls where a real client would be thinking. */
const GAP_MS = 5;

const root = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = join(root, "dist/bundle/voidmcp.mjs");
const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");

export async function benchCodeMode(quick: boolean): Promise<string> {
  const runs = quick ? 60 : 1000;
  const warmup = quick ? 10 : 50;
  const slowRuns = quick ? 2 : 10;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-"));
  const registry = join(dir, "servers.json");
  await writeFile(
    registry,
    JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [FIXTURE] } } }),
  );

  const direct = await connect(process.execPath, [FIXTURE]);
  const gateway = await connect(process.execPath, [BUNDLE, "serve", "--config", registry]);
  const call = (client: Client, name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  const code = (source: string) => call(gateway, "execute_code", { code: source });
  let out = "";
  const raw: Record<string, Sample[]> = {};
  try {
    const viaGateway: Sample[] = [
      {
        name: "direct tools/call fixture echo (SDK client → fixture)",
        samplesMs: await measure(runs, warmup, () => call(direct, "echo", { text: "x" })),
      },
      {
        name: "tools/call fx__echo through voidmcp serve",
        samplesMs: await measure(runs, warmup, () => call(gateway, "fx__echo", { text: "x" })),
      },
      {
        name: "execute_code `return 1` through voidmcp serve, back to back",
        samplesMs: await measure(runs, warmup, () => code("return 1")),
      },
      {
        name: `execute_code \`return 1\` through voidmcp serve, ${GAP_MS} ms idle between calls`,
        samplesMs: await measure(runs, warmup, () => code("return 1"), GAP_MS),
      },
      {
        name: `execute_code with one echo call through voidmcp serve, ${GAP_MS} ms idle between calls`,
        samplesMs: await measure(
          runs,
          warmup,
          () => code('return await tools.fx.echo({ text: "x" })'),
          GAP_MS,
        ),
      },
    ];
    raw.gateway = viaGateway;
    facts.codeBackToBackMs = median(viaGateway[2]?.samplesMs ?? []);
    facts.codeIdleGapMs = median(viaGateway[3]?.samplesMs ?? []);
    out += table(`Code Mode through the gateway (bundle; ${runs} sequential calls each, stdio)`, viaGateway);

    const parallel: Sample[] = [
      {
        name: "execute_code: one 200 ms slow call",
        samplesMs: await measure(slowRuns, 1, () => code("return await tools.fx.slow({ ms: 200 })")),
      },
      {
        name: "execute_code: 10 parallel 200 ms slow calls",
        samplesMs: await measure(slowRuns, 1, () =>
          code("return await Promise.all(Array.from({ length: 10 }, () => tools.fx.slow({ ms: 200 })))"),
        ),
      },
    ];
    raw.parallel = parallel;
    out += `\n${table("Parallel host calls", parallel)}`;
  } finally {
    await direct.close();
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  }

  const host: SandboxHost = { callTool: async (_s, _t, args) => args, search: async () => [] };
  const limits = { ...DEFAULT_LIMITS };
  const run = (source: string) => executeCode({ code: source, limits, catalogue: { fx: ["echo"] }, host });
  const calls = 100;
  const inProcess: Sample[] = [
    {
      name: "sandbox run of `return 1`, back to back (each run also prepares the next engine)",
      samplesMs: await measure(runs, warmup, () => run("return 1")),
    },
    {
      name: `sandbox run of \`return 1\`, ${GAP_MS} ms idle between runs (the next engine is ready)`,
      samplesMs: await measure(runs, warmup, () => run("return 1"), GAP_MS),
    },
    {
      name: `sandbox run with ${calls} sequential bridge calls (in-process host)`,
      samplesMs: await measure(quick ? 10 : 100, quick ? 2 : 5, () =>
        run(`for (let i = 0; i < ${calls}; i++) await tools.fx.echo({ i }); return 1`),
      ),
    },
  ];
  raw.inProcess = inProcess;
  // Both back to back, so the difference is the calls alone.
  const perCall = (median(inProcess[2]?.samplesMs ?? []) - median(inProcess[0]?.samplesMs ?? [])) / calls;

  // How long the cap takes to stop a script once crossed: the script notes the time of its
  // last successful allocation and catches the out-of-memory error (QuickJS lets it), then
  // frees everything and reports the gap.
  const oomRuns = quick ? 2 : 10;
  const total: number[] = [];
  const afterCrossing: number[] = [];
  for (let i = 0; i < oomRuns; i++) {
    const result = await executeCode({
      code: `const a = []; let last = Date.now();
        try { for (;;) { a.push("x".repeat(65536) + a.length); last = Date.now(); } }
        catch (e) { const gap = Date.now() - last; a.length = 0; return gap; }`,
      limits: { ...limits, memoryMb: 64 },
      catalogue: {},
      host,
    });
    if (typeof result.value !== "number")
      throw new Error(`the memory cap did not stop the script: ${result.error?.message}`);
    afterCrossing.push(result.value);
    total.push(result.report.durationMs);
  }
  raw.oom = [
    { name: "64 MB cap: a script allocating as fast as it can, until stopped", samplesMs: total },
    {
      name: "64 MB cap: from the last allocation that fit to the out-of-memory error",
      samplesMs: afterCrossing,
    },
  ];
  out += `\n${table("The sandbox alone (no MCP, no upstream)", [...inProcess, ...raw.oom])}`;
  out += `\nPer bridge call inside a script: ${fmt(perCall)} ms (difference of the two medians above / ${calls}).\n`;
  const file = await saveResults("codemode", raw);
  return `${out}\nRaw samples: ${file}\n`;
}

async function connect(command: string, args: string[]): Promise<Client> {
  const client = new Client({ name: "voidmcp-bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
  return client;
}
