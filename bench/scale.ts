/**
 * Start and scale, through the bundle (`node dist/bundle/voidmcp.mjs serve`):
 * 1. spawn → `initialize` answer with an empty registry, for the bundle and the linux-x64 binary;
 * 2. idle RSS of the gateway process alone (not its children) with 0, 1, 10 and 50 fixture
 *    upstreams (quick: 0, 1, 10);
 * 3. `search` and `tools/list` latency with 50 servers × 50 tools = 2,500 tools (quick: 10 × 250)
 *    (bench/synthetic-server.ts, realistic definitions, `"expose": "direct"`), next to
 *    `list_servers` as the bare MCP round trip.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, FIXTURE, idleRssMiB, mib, openGateway, root, syntheticServers } from "./common.js";
import { fmt, measure, median, percentile, type Sample, saveResults, table } from "./stats.js";

const BINARY = join(root, "dist/binaries/voidmcp-linux-x64");
const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
})}\n`;

/** Milliseconds from spawn to the first stdout line answering id 1. */
function timeInitialize(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], {
      stdio: ["pipe", "pipe", "ignore"],
      env: { ...process.env, VOIDMCP_LOG_LEVEL: "error" },
    });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("no initialize answer within 10 s"));
    }, 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"id":1')) {
        const ms = performance.now() - started;
        clearTimeout(timer);
        child.once("exit", () => resolve(ms));
        child.stdin.end();
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }
    });
    child.once("error", reject);
    child.stdin.write(INITIALIZE);
  });
}

const QUERIES = [
  "create an issue",
  "read file",
  "post message to channel",
  "run sql query",
  "jira transition",
  "merge pull request",
];

export async function benchScale(quick: boolean): Promise<string> {
  const startRuns = quick ? 8 : 30;
  const listRuns = quick ? 20 : 100;
  const searchRuns = quick ? 60 : 300;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-scale-"));
  const empty = join(dir, "empty.json");
  await writeFile(empty, JSON.stringify({ mcpServers: {} }));
  const raw: Record<string, unknown> = {};
  let out = "";
  try {
    // 1. Start.
    const starts: Sample[] = [
      {
        name: "bundle: `node dist/bundle/voidmcp.mjs serve`, empty registry",
        samplesMs: await collect(
          startRuns,
          () => timeInitialize(process.execPath, [BUNDLE, "serve", "--config", empty]),
          1,
        ),
      },
    ];
    const skips: string[] = [];
    if (arch() === "x64" && existsSync(BINARY)) {
      starts.push({
        name: `single binary linux-x64 (${(statSync(BINARY).size / 2 ** 20).toFixed(0)} MiB, built ${statSync(BINARY).mtime.toISOString().slice(0, 16)})`,
        samplesMs: await collect(startRuns, () => timeInitialize(BINARY, ["serve", "--config", empty]), 1),
      });
    } else
      skips.push(
        `binary: ${arch() !== "x64" ? `not x64 (${arch()})` : "dist/binaries/voidmcp-linux-x64 absent (npm run build:binaries)"}`,
      );
    skips.push(
      "peers via npx: not measured — mcp-proxy, supergateway and mcp-hub all start as HTTP servers in front of an upstream, so there is no stdio spawn→initialize to compare like with like",
    );
    raw.start = starts;
    out += table(
      "Spawn → `initialize` answer (stdio, empty registry)",
      starts,
      skips.map((s) => `- ${s}`).join("\n"),
    );

    // 2. Idle RSS of the gateway alone.
    const rss: { upstreams: number; rssMiB: number }[] = [];
    for (const count of quick ? [0, 1, 10] : [0, 1, 10, 50]) {
      const mcpServers = Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`fx${i}`, { command: process.execPath, args: [FIXTURE] }]),
      );
      const gateway = await openGateway(join(dir, `rss-${count}.json`), { expose: "code", mcpServers });
      try {
        rss.push({ upstreams: count, rssMiB: await idleRssMiB(gateway.pid, 2000) });
      } finally {
        await gateway.client.close();
      }
    }
    raw.rss = rss;
    out += `\n### Idle RSS of the gateway process (bundle, children excluded, 2 s after all upstreams are ready)\n\n| upstream fixture servers | RSS MiB |\n|---:|---:|\n${rss.map((r) => `| ${r.upstreams} | ${mib(r.rssMiB)} |`).join("\n")}\n`;

    // 3. 2,500 tools.
    // Quick mode lists the same 2,500 tools from 10 servers of 250: the gateway's work per list
    // is the same, and starting 40 fewer processes saves most of the suite's time.
    const [servers, perServer] = quick ? [10, 250] : [50, 50];
    const gateway = await openGateway(join(dir, "big.json"), {
      expose: "direct",
      mcpServers: syntheticServers(servers, perServer),
    });
    try {
      const listed = (await gateway.client.listTools()).tools.length;
      let q = 0;
      const rows: Sample[] = [
        {
          name: `\`list_servers\` (bare MCP round trip through the gateway, ${servers} servers)`,
          samplesMs: await measure(searchRuns, 20, () =>
            gateway.client.callTool({ name: "list_servers", arguments: {} }),
          ),
        },
        {
          name: "`search` (6 queries in turn, detail signatures, limit 10)",
          samplesMs: await measure(searchRuns, 20, () =>
            gateway.client.callTool({ name: "search", arguments: { query: QUERIES[q++ % QUERIES.length] } }),
          ),
        },
        {
          name: `\`tools/list\` in direct mode (${listed} tools)`,
          samplesMs: await measure(listRuns, 5, () => gateway.client.listTools()),
        },
      ];
      raw.scale = { listed, rows };
      const searchCost = median(rows[1]?.samplesMs ?? []) - median(rows[0]?.samplesMs ?? []);
      out += `\n${table(
        `2,500 tools: ${servers} synthetic servers × ${perServer} tools (${listed} listed incl. meta tools), through MCP over stdio`,
        rows,
        `\`search\` minus the bare round trip: ${fmt(searchCost)} ms median; search p90 ${fmt(percentile(rows[1]?.samplesMs ?? [], 90))} ms.`,
      )}`;
    } finally {
      await gateway.client.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await saveResults("scale", raw);
  return out;
}

async function collect(runs: number, fn: () => Promise<number>, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  return samples;
}
