/**
 * The Streamable HTTP front (the bundle), measured with real SDK clients against real processes:
 * 1. sequential tools/call echo: the SDK client → `voidmcp serve --http` → stdio fixture, against
 *    the same through `voidmcp serve` over stdio, a direct Streamable HTTP call to the fixture
 *    (`fixture-server --http`), and a direct stdio call to it. The four run interleaved, in
 *    blocks, so that drift of the machine hits them alike.
 * 2. 8 and 64 (quick: 8 and 32) concurrent callers (one session each) over HTTP: calls/s, p50 and p99 latency,
 *    errors; through the gateway and directly to the HTTP fixture.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { fmt, median, percentile, type Sample, saveResults, table } from "./stats.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = join(root, "dist/bundle/voidmcp.mjs");
const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");
const TOKEN = "voidmcp-bench-http-token";

interface Target {
  readonly name: string;
  readonly client: Client;
  /** The echo tool's name at this target. */
  readonly tool: string;
}

interface Spawned {
  readonly url: string;
  readonly child: ChildProcess;
}

/** Spawns `args` and resolves with the first URL ending in /mcp that `stream` of the child prints. */
function spawnForUrl(
  args: readonly string[],
  stream: "stdout" | "stderr",
  env: NodeJS.ProcessEnv,
): Promise<Spawned> {
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", stream === "stdout" ? "pipe" : "ignore", stream === "stderr" ? "pipe" : "ignore"],
    env,
  });
  return new Promise((resolve, reject) => {
    let text = "";
    child[stream]?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const url = /(http:\/\/[^\s"]+\/mcp)/.exec(text)?.[1];
      if (url) resolve({ url, child });
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}:\n${text}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Sessions to DELETE before the clients close, as polite HTTP clients do. */
const sessions = new Map<Client, StreamableHTTPClientTransport>();

async function httpClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: "voidmcp-bench-http", version: "1.0.0" });
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  sessions.set(client, transport);
  return client;
}

async function close(client: Client): Promise<void> {
  await sessions
    .get(client)
    ?.terminateSession()
    .catch(() => {});
  sessions.delete(client);
  await client.close().catch(() => {});
}

async function stdioClient(args: readonly string[]): Promise<Client> {
  const client = new Client({ name: "voidmcp-bench-http", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [...args], stderr: "ignore" }),
  );
  return client;
}

async function echo(target: Target): Promise<void> {
  const result = await target.client.callTool({ name: target.tool, arguments: { text: "x" } });
  if (result.isError) throw new Error(`${target.name}: ${JSON.stringify(result.content)}`);
}

/** `runs` calls per target, interleaved in blocks of `block`, after `warmup` calls each. */
async function interleaved(
  targets: readonly Target[],
  runs: number,
  warmup: number,
  block: number,
): Promise<Sample[]> {
  for (const target of targets) for (let i = 0; i < warmup; i++) await echo(target);
  const samples = targets.map(() => [] as number[]);
  for (let done = 0; done < runs; done += block) {
    for (const [index, target] of targets.entries()) {
      for (let i = 0; i < Math.min(block, runs - done); i++) {
        const started = performance.now();
        await echo(target);
        samples[index]?.push(performance.now() - started);
      }
    }
  }
  return targets.map((target, index) => ({ name: target.name, samplesMs: samples[index] ?? [] }));
}

interface LoadResult {
  readonly name: string;
  readonly callers: number;
  readonly calls: number;
  readonly errors: number;
  readonly seconds: number;
  readonly samplesMs: readonly number[];
}

/** `callers` clients (one session each) make `calls` calls in all, each caller one after another. */
async function load(
  name: string,
  connect: () => Promise<Client>,
  tool: string,
  callers: number,
  calls: number,
): Promise<LoadResult> {
  const clients = await Promise.all(Array.from({ length: callers }, () => connect()));
  try {
    // Warm every session up once, unmeasured.
    await Promise.all(clients.map((client) => echo({ name, client, tool })));
    const samplesMs: number[] = [];
    let errors = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (next < calls) {
          next += 1;
          const begun = performance.now();
          try {
            await echo({ name, client, tool });
            samplesMs.push(performance.now() - begun);
          } catch {
            errors += 1;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { name, callers, calls, errors, seconds, samplesMs };
  } finally {
    await Promise.all(clients.map(close));
  }
}

function loadTable(rows: readonly LoadResult[]): string {
  return [
    "### Concurrent callers over Streamable HTTP (tools/call echo, one session per caller)",
    "",
    "| target | callers | calls | errors | calls/s | p50 ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.callers} | ${r.calls} | ${r.errors} | ${Math.round(r.calls / r.seconds)} | ${fmt(median(r.samplesMs))} | ${fmt(percentile(r.samplesMs, 99))} |`,
    ),
  ].join("\n");
}

export async function benchHttp(quick: boolean): Promise<string> {
  const runs = quick ? 60 : 1000;
  const loadCalls = quick ? 192 : 4000;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-http-"));
  const registry = join(dir, "servers.json");
  await writeFile(
    registry,
    JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [FIXTURE] } } }),
  );
  const env = { ...process.env, VOIDMCP_TOKEN: TOKEN, VOIDMCP_LOG_LEVEL: "warn" };
  const children: ChildProcess[] = [];
  const clients: Client[] = [];
  let out = "";
  const raw: Record<string, unknown> = {};
  try {
    // Everything starts at once; a child that started is stopped even if another failed.
    const [gatewayStarted, fixtureStarted] = await Promise.allSettled([
      spawnForUrl([BUNDLE, "serve", "--http", "--port", "0", "--config", registry], "stderr", env),
      spawnForUrl([FIXTURE, "--http", "--port", "0"], "stdout", env),
    ]);
    for (const started of [gatewayStarted, fixtureStarted])
      if (started.status === "fulfilled") children.push(started.value.child);
    if (gatewayStarted.status === "rejected") throw gatewayStarted.reason;
    if (fixtureStarted.status === "rejected") throw fixtureStarted.reason;
    const gateway = gatewayStarted.value;
    const fixture = fixtureStarted.value;

    const opened = await Promise.allSettled([
      httpClient(fixture.url),
      httpClient(gateway.url, TOKEN),
      stdioClient([BUNDLE, "serve", "--config", registry]),
      stdioClient([FIXTURE]),
    ]);
    for (const o of opened) if (o.status === "fulfilled") clients.push(o.value);
    const [toFixtureHttp, toGatewayHttp, toGatewayStdio, toFixtureStdio] = opened.map((o) => {
      if (o.status === "rejected") throw o.reason;
      return o.value;
    }) as [Client, Client, Client, Client];
    const targets: Target[] = [
      { name: "direct: SDK client → fixture over HTTP", client: toFixtureHttp, tool: "echo" },
      { name: "SDK client → voidmcp serve --http → stdio fixture", client: toGatewayHttp, tool: "fx__echo" },
      {
        name: "SDK client → voidmcp serve (stdio) → stdio fixture",
        client: toGatewayStdio,
        tool: "fx__echo",
      },
      { name: "direct: SDK client → fixture over stdio", client: toFixtureStdio, tool: "echo" },
    ];
    const sequential = await interleaved(targets, runs, quick ? 10 : 100, quick ? 20 : 100);
    raw.sequential = sequential;
    const [directHttp, httpFront, stdioFront, directStdio] = sequential.map((s) => median(s.samplesMs));
    const added = (httpFront ?? Number.NaN) - (directHttp ?? Number.NaN);
    const note = [
      `HTTP front − direct HTTP: **${fmt(added)} ms** median added (target ≤ 1 ms).`,
      `HTTP front − stdio front: ${fmt((httpFront ?? Number.NaN) - (stdioFront ?? Number.NaN))} ms; stdio front − direct stdio: ${fmt((stdioFront ?? Number.NaN) - (directStdio ?? Number.NaN))} ms.`,
      "Both gateway rows include the gateway's own stdio hop to the fixture.",
    ].join("\n");
    out += table(`Sequential tools/call echo (${runs} calls each, interleaved)`, sequential, note);

    const loads: LoadResult[] = [];
    for (const callers of quick ? [8, 32] : [8, 64]) {
      loads.push(
        await load(
          "voidmcp serve --http → stdio fixture",
          () => httpClient(gateway.url, TOKEN),
          "fx__echo",
          callers,
          loadCalls,
        ),
      );
      loads.push(
        await load("direct: fixture over HTTP", () => httpClient(fixture.url), "echo", callers, loadCalls),
      );
    }
    raw.load = loads;
    out += `\n${loadTable(loads)}\n`;
  } finally {
    await Promise.all(clients.map(close));
    await Promise.all(children.map(stop));
    await rm(dir, { recursive: true, force: true });
  }
  const file = await saveResults("http", raw);
  return `${out}\nRaw samples: ${file}\n`;
}
