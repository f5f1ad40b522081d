/**
 * Code Mode costs, side by side in one run (`npm run bench`, or `-- --quick`):
 * 1. through `voidmcp serve`: a direct tools/call of the fixture's echo vs an empty execute_code
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

const root = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(root, "dist/src/cli/main.js");
const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");

export async function benchCodeMode(quick: boolean): Promise<string> {
  const runs = quick ? 100 : 1000;
  const slowRuns = quick ? 3 : 10;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-"));
  const registry = join(dir, "servers.json");
  await writeFile(
    registry,
    JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [FIXTURE] } } }),
  );

  const direct = await connect(process.execPath, [FIXTURE]);
  const gateway = await connect(process.execPath, [CLI, "serve", "--config", registry]);
  const call = (client: Client, name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  const code = (source: string) => call(gateway, "execute_code", { code: source });
  let out = "";
  const raw: Record<string, Sample[]> = {};
  try {
    const viaGateway: Sample[] = [
      {
        name: "direct tools/call fixture echo (SDK client → fixture)",
        samplesMs: await measure(runs, 50, () => call(direct, "echo", { text: "x" })),
      },
      {
        name: "tools/call fx__echo through voidmcp serve",
        samplesMs: await measure(runs, 50, () => call(gateway, "fx__echo", { text: "x" })),
      },
      {
        name: "execute_code `return 1` through voidmcp serve",
        samplesMs: await measure(runs, 50, () => code("return 1")),
      },
      {
        name: "execute_code with one echo call through voidmcp serve",
        samplesMs: await measure(runs, 50, () => code('return await tools.fx.echo({ text: "x" })')),
      },
    ];
    raw.gateway = viaGateway;
    out += table(`Code Mode through the gateway (${runs} sequential calls each, stdio)`, viaGateway);

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
      name: "sandbox run of `return 1` (fresh engine, transpile, prelude)",
      samplesMs: await measure(runs, 50, () => run("return 1")),
    },
    {
      name: `sandbox run with ${calls} sequential bridge calls (in-process host)`,
      samplesMs: await measure(Math.max(20, runs / 10), 5, () =>
        run(`for (let i = 0; i < ${calls}; i++) await tools.fx.echo({ i }); return 1`),
      ),
    },
  ];
  raw.inProcess = inProcess;
  const perCall = (median(inProcess[1]?.samplesMs ?? []) - median(inProcess[0]?.samplesMs ?? [])) / calls;

  const oomRuns = quick ? 3 : 10;
  const oom: number[] = [];
  for (let i = 0; i < oomRuns; i++) {
    const result = await executeCode({
      code: "const a = []; for (;;) a.push('x'.repeat(65536) + a.length)",
      limits: { ...limits, memoryMb: 64 },
      catalogue: {},
      host,
    });
    if (!result.report.limitsHit.includes("memory"))
      throw new Error("the memory cap did not stop the script");
    oom.push(result.report.durationMs);
  }
  raw.oom = [{ name: "64 MB cap: allocation loop until stopped", samplesMs: oom }];
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
