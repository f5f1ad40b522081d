/**
 * Start and scale, through the bundle (`node dist/bundle/voidmcp.mjs serve`):
 * 1. spawn → `initialize` answer with an empty registry, for the bundle and the linux-x64 binary,
 *    interleaved with a floor: bare `node` answering the same initialize line;
 * 2. idle RSS of the gateway process alone (not its children) with 0, 1, 10 and 50 fixture
 *    upstreams (quick: 0, 1, 10; the gateways start side by side);
 * 3. `search` and `tools/list` latency with 50 servers × 50 tools = 2,500 tools (quick: 5 × 500)
 *    (bench/synthetic-server.ts, realistic definitions, `"expose": "direct"`), next to
 *    `list_servers` as the bare MCP round trip; `tools/list` both at the SDK client and at a raw
 *    JSON-RPC client on the same pipe.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUNDLE,
  FIXTURE,
  idleRssMiB,
  mib,
  type OpenGateway,
  openGateway,
  root,
  sleep,
  syntheticServers,
} from "./common.js";
import { fmt, measure, median, percentile, type Sample, saveResults, table } from "./stats.js";
import { facts } from "./summary.js";

const BINARY = join(root, "dist/binaries/voidmcp-linux-x64");
const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
})}\n`;

/**
 * The floor for spawn → initialize: bare `node` that answers the first line with a fixed
 * initialize result and exits when stdin ends. No MCP code, no bundle.
 */
const FLOOR = [
  "-e",
  `process.stdin.once("data", () => process.stdout.write(${JSON.stringify(
    `${JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      result: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        serverInfo: { name: "floor", version: "1" },
      },
    })}\n`,
  )})); process.stdin.on("end", () => process.exit(0)); process.stdin.resume();`,
];

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
  const startRuns = quick ? 5 : 30;
  const listRuns = quick ? 10 : 100;
  const searchRuns = quick ? 40 : 300;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-scale-"));
  const empty = join(dir, "empty.json");
  await writeFile(empty, JSON.stringify({ mcpServers: {} }));
  const raw: Record<string, unknown> = {};
  let out = "";
  try {
    // 1. Start: the forms in turn, run by run, so drift of the machine hits them alike.
    const forms: { name: string; command: string; args: readonly string[] }[] = [
      {
        name: "bundle: `node dist/bundle/voidmcp.mjs serve`, empty registry",
        command: process.execPath,
        args: [BUNDLE, "serve", "--config", empty],
      },
    ];
    const skips: string[] = [];
    const binaryBuilt = arch() === "x64" && existsSync(BINARY);
    if (binaryBuilt) {
      forms.push({
        name: `single binary linux-x64 (${(statSync(BINARY).size / 2 ** 20).toFixed(0)} MiB, built ${statSync(BINARY).mtime.toISOString().slice(0, 16)})`,
        command: BINARY,
        args: ["serve", "--config", empty],
      });
    } else
      skips.push(
        `binary: ${arch() !== "x64" ? `not x64 (${arch()})` : "dist/binaries/voidmcp-linux-x64 absent (npm run build:binaries)"}`,
      );
    forms.push({
      name: "floor: bare `node -e` answering the same initialize line (no MCP code)",
      command: process.execPath,
      args: FLOOR,
    });
    skips.push(
      "peers via npx: not measured — mcp-proxy, supergateway and mcp-hub all start as HTTP servers in front of an upstream, so there is no stdio spawn→initialize to compare like with like",
    );
    for (const form of forms) await timeInitialize(form.command, form.args);
    const startSamples = forms.map(() => [] as number[]);
    for (let run = 0; run < startRuns; run++) {
      for (const [index, form] of forms.entries()) {
        startSamples[index]?.push(await timeInitialize(form.command, form.args));
      }
    }
    const starts: Sample[] = forms.map((form, index) => ({
      name: form.name,
      samplesMs: startSamples[index] ?? [],
    }));
    raw.start = starts;
    facts.startBundleMs = median(starts[0]?.samplesMs ?? []);
    facts.startFloorMs = median(starts.at(-1)?.samplesMs ?? []);
    if (binaryBuilt) facts.startBinaryMs = median(starts[1]?.samplesMs ?? []);
    out += table(
      `Spawn → \`initialize\` answer (stdio, empty registry; ${startRuns} runs each, interleaved)`,
      starts,
      skips.map((s) => `- ${s}`).join("\n"),
    );

    // 2 and 3 start side by side: idle RSS gateways and the 2,500-tool gateway (quick: all of
    // them at once; full: the RSS gateways, then the big one, to keep ~100 processes apart).
    // Quick mode lists the same 2,500 tools from 5 servers of 500: the gateway's work per list
    // is the same, and starting 45 fewer processes saves most of the suite's time.
    const [servers, perServer] = quick ? [5, 500] : [50, 50];
    const openBig = () =>
      openGateway(join(dir, "big.json"), {
        expose: "direct",
        mcpServers: syntheticServers(servers, perServer),
      });
    const counts = quick ? [0, 1, 10] : [0, 1, 10, 50];
    const bigEarly = quick ? openBig() : undefined;
    const rssGateways = await Promise.allSettled(
      counts.map((count) => {
        const mcpServers = Object.fromEntries(
          Array.from({ length: count }, (_, i) => [`fx${i}`, { command: process.execPath, args: [FIXTURE] }]),
        );
        return openGateway(join(dir, `rss-${count}.json`), { expose: "code", mcpServers });
      }),
    );
    let big: OpenGateway | undefined;
    const rss: { upstreams: number; rssMiB: number }[] = [];
    try {
      if (bigEarly) big = await bigEarly;
      for (const settled of rssGateways) if (settled.status === "rejected") throw settled.reason;
      await sleep(2000);
      for (const [index, settled] of rssGateways.entries()) {
        if (settled.status === "fulfilled")
          rss.push({ upstreams: counts[index] as number, rssMiB: await idleRssMiB(settled.value.pid, 0) });
      }
    } catch (error) {
      await big?.client.close();
      throw error;
    } finally {
      await Promise.all(
        rssGateways.map((settled) =>
          settled.status === "fulfilled" ? settled.value.client.close() : undefined,
        ),
      );
      if (!big && bigEarly) await bigEarly.then((g) => g.client.close()).catch(() => {});
    }
    raw.rss = rss;
    facts.rss1MiB = rss.find((r) => r.upstreams === 1)?.rssMiB;
    facts.rss10MiB = rss.find((r) => r.upstreams === 10)?.rssMiB;
    out += `\n### Idle RSS of the gateway process (bundle, children excluded, 2 s after all upstreams are ready)\n\n| upstream fixture servers | RSS MiB |\n|---:|---:|\n${rss.map((r) => `| ${r.upstreams} | ${mib(r.rssMiB)} |`).join("\n")}\n`;

    // 3. 2,500 tools.
    const gateway = big ?? (await openBig());
    try {
      const listed = (await gateway.client.listTools()).tools.length;
      const rawList = async () => {
        const answer = (await gateway.transport.request("tools/list")) as { result?: { tools?: unknown[] } };
        const count = answer.result?.tools?.length;
        if (count !== listed)
          throw new Error(`raw tools/list answered ${count} tools, the SDK client ${listed}`);
      };
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
        ...(await interleavedLists(listRuns, listed, () => gateway.client.listTools(), rawList)),
      ];
      raw.scale = { listed, rows };
      facts.listTools = listed;
      facts.listServersMs = median(rows[0]?.samplesMs ?? []);
      facts.listSdkMs = median(rows[2]?.samplesMs ?? []);
      facts.listRawMs = median(rows[3]?.samplesMs ?? []);
      const searchCost = median(rows[1]?.samplesMs ?? []) - median(rows[0]?.samplesMs ?? []);
      out += `\n${table(
        `2,500 tools: ${servers} synthetic servers × ${perServer} tools (${listed} listed incl. meta tools), through MCP over stdio`,
        rows,
        `\`search\` minus the bare round trip: ${fmt(searchCost)} ms median; search p90 ${fmt(percentile(rows[1]?.samplesMs ?? [], 90))} ms. ` +
          "The two `tools/list` rows ask the same gateway over the same pipe, interleaved: the SDK client parses and validates the answer with zod; " +
          "the raw client writes the request line and stops its clock when the whole answer line is read and parsed once with `JSON.parse` (the gateway's own share, plus one parse).",
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

/** The SDK client's tools/list and the raw one, alternating call by call after 3 warm-ups each. */
async function interleavedLists(
  runs: number,
  listed: number,
  sdk: () => Promise<unknown>,
  rawList: () => Promise<void>,
): Promise<Sample[]> {
  for (let i = 0; i < 3; i++) {
    await sdk();
    await rawList();
  }
  const sdkMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    await sdk();
    sdkMs.push(performance.now() - started);
    started = performance.now();
    await rawList();
    rawMs.push(performance.now() - started);
  }
  return [
    {
      name: `\`tools/list\` in direct mode (${listed} tools), SDK client (\`client.listTools()\`, zod validation included)`,
      samplesMs: sdkMs,
    },
    {
      name: `\`tools/list\` in direct mode (${listed} tools), raw JSON-RPC client (write line → answer line read, one \`JSON.parse\`)`,
      samplesMs: rawMs,
    },
  ];
}
