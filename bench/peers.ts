/**
 * voidmcp against the peers a user would otherwise pick, on one workload: sequential `echo`
 * calls to the fixture (1,000; 100 with --quick), each peer started by the bench in front of the
 * same fixture. Rows compare like with like: stdio fronts against direct stdio, HTTP fronts
 * against the fixture's own HTTP server. Idle RSS is the front process alone (not the fixture).
 * Every front starts at once; the calls then run interleaved in blocks (25 calls per front in
 * turn), so drift of a shared machine hits every row alike.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import {
  BUNDLE,
  connectWhenUp,
  FIXTURE,
  freePort,
  httpClient,
  mib,
  root,
  rssMiB,
  start,
  stdioClient,
  stop,
} from "./common.js";
import { fmt, median, percentile, type Sample, saveResults, table } from "./stats.js";
import { facts } from "./summary.js";

interface Row {
  readonly name: string;
  readonly transport: "stdio" | "Streamable HTTP" | "HTTP+SSE (legacy)";
  readonly samplesMs: number[];
  readonly rssMiB: number;
  readonly note?: string;
}

interface Skipped {
  readonly name: string;
  readonly why: string;
}

const bin = (path: string) => join(root, "node_modules", path);

async function retry<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function benchPeers(quick: boolean): Promise<string> {
  const runs = quick ? 100 : 1000;
  const warmup = quick ? 20 : 50;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-peers-"));
  const registry = join(dir, "servers.json");
  const servers = { mcpServers: { fx: { command: process.execPath, args: [FIXTURE] } } };
  await writeFile(registry, JSON.stringify(servers));
  const hubConfig = join(dir, "mcp-hub.json");
  await writeFile(hubConfig, JSON.stringify(servers));
  const env = {
    ...process.env,
    VOIDMCP_LOG_LEVEL: "warn",
    HOME: dir,
    XDG_STATE_HOME: dir,
    XDG_CONFIG_HOME: dir,
  };

  const rows: Row[] = [];
  const skipped: Skipped[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const echo = async (client: Client, tool: string) => {
    const result = await client.callTool({ name: tool, arguments: { text: "x" } });
    if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content)}`);
  };
  /** Finds the tool whose name ends with echo (peers prefix names differently). */
  const echoName = async (client: Client) => {
    const { tools } = await client.listTools();
    const found = tools.find((t) => t.name === "echo") ?? tools.find((t) => /(^|[_.\-:])echo$/.test(t.name));
    if (!found) throw new Error(`no echo tool among ${tools.length} tools`);
    return found.name;
  };
  interface Front {
    readonly name: string;
    readonly transport: Row["transport"];
    readonly open: () => Promise<{ client: Client; pid?: number | undefined }>;
  }
  const fronts: Front[] = [];
  const row = (name: string, transport: Row["transport"], open: Front["open"]) => {
    fronts.push({ name, transport, open });
  };
  /** Opens every front at once; a front that fails to start becomes a skipped row. */
  const openAll = async () => {
    const opened = await Promise.all(
      fronts.map(async (front) => {
        try {
          const { client, pid } = await front.open();
          cleanups.push(() => client.close());
          const tool = await retry(() => echoName(client), 20_000);
          return { front, client, pid, tool };
        } catch (error) {
          skipped.push({
            name: front.name,
            why: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "",
          });
          return undefined;
        }
      }),
    );
    return opened.filter((o) => o !== undefined);
  };
  /** Starts a peer listening on a fresh port and connects over HTTP once it answers. */
  const httpPeer = async (command: string[], path: string, kind: "streamable" | "sse" = "streamable") => {
    const port = await freePort();
    const proc = start(
      process.execPath,
      command.map((a) => a.replace("$PORT", String(port))),
      env,
    );
    cleanups.push(() => stop(proc.child));
    const client = await connectWhenUp(
      proc,
      () => httpClient(`http://127.0.0.1:${port}${path}`, kind),
      30_000,
    );
    return { client, pid: proc.child.pid };
  };

  try {
    row("direct: SDK client → fixture (stdio)", "stdio", () => stdioClient(process.execPath, [FIXTURE]));
    row("voidmcp serve (bundle), stdio front", "stdio", () =>
      stdioClient(process.execPath, [BUNDLE, "serve", "--config", registry], env),
    );
    row("direct: SDK client → fixture (Streamable HTTP)", "Streamable HTTP", () =>
      httpPeer([FIXTURE, "--http", "--port", "$PORT"], "/mcp"),
    );
    row("voidmcp serve --http (bundle)", "Streamable HTTP", () =>
      httpPeer([BUNDLE, "serve", "--http", "--no-auth", "--port", "$PORT", "--config", registry], "/mcp"),
    );
    row("mcp-proxy 6.7.19 (stdio→HTTP bridge, one server)", "Streamable HTTP", () =>
      httpPeer(
        [
          bin("mcp-proxy/dist/bin/mcp-proxy.mjs"),
          "--port",
          "$PORT",
          "--host",
          "127.0.0.1",
          "--",
          process.execPath,
          FIXTURE,
        ],
        "/mcp",
      ),
    );
    row("supergateway 4.0.0 (stdio→HTTP bridge, one server, --stateful)", "Streamable HTTP", () =>
      httpPeer(
        [
          bin("supergateway/dist/index.js"),
          "--stdio",
          `${process.execPath} ${FIXTURE}`,
          "--outputTransport",
          "streamableHttp",
          "--stateful",
          "--port",
          "$PORT",
          "--logLevel",
          "none",
        ],
        "/mcp",
      ),
    );
    // mcp-hub 4.2.1 serves its MCP endpoint as legacy HTTP+SSE (GET /mcp, POST /messages).
    row("mcp-hub 4.2.1 (aggregating hub)", "HTTP+SSE (legacy)", () =>
      httpPeer([bin("mcp-hub/dist/cli.js"), "--port", "$PORT", "--config", hubConfig], "/mcp", "sse"),
    );
    const open = await openAll();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rss = open.map((o) => rssMiB(o.pid));
    for (const o of open) for (let i = 0; i < warmup; i++) await echo(o.client, o.tool);
    const samples = open.map(() => [] as number[]);
    const failed = new Set<number>();
    const block = 25;
    for (let done = 0; done < runs; done += block) {
      for (const [index, o] of open.entries()) {
        if (failed.has(index)) continue;
        try {
          for (let i = 0; i < Math.min(block, runs - done); i++) {
            const started = performance.now();
            await echo(o.client, o.tool);
            samples[index]?.push(performance.now() - started);
          }
        } catch (error) {
          failed.add(index);
          const why = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
          skipped.push({ name: o.front.name, why: `failed during the calls: ${why}` });
        }
      }
    }
    for (const [index, o] of open.entries()) {
      if (failed.has(index)) continue;
      rows.push({
        name: o.front.name,
        transport: o.front.transport,
        samplesMs: samples[index] ?? [],
        rssMiB: rss[index] ?? Number.NaN,
      });
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }

  // Legacy SSE has no direct row of its own: it is compared with direct Streamable HTTP.
  const directOf = (transport: Row["transport"]) =>
    median(
      rows.find(
        (r) =>
          r.transport === (transport === "stdio" ? "stdio" : "Streamable HTTP") &&
          r.name.startsWith("direct"),
      )?.samplesMs ?? [],
    );
  // The fastest peer's absolute median (every peer serves HTTP): what a voidmcp row must beat.
  const peerMedians = rows
    .filter((r) => !r.name.startsWith("direct") && !r.name.startsWith("voidmcp"))
    .map((r) => median(r.samplesMs));
  const bestPeer = peerMedians.length > 0 ? Math.min(...peerMedians) : undefined;
  const find = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
  const medianOf = (prefix: string) => {
    const found = find(prefix);
    return found ? median(found.samplesMs) : undefined;
  };
  facts.stdioDirectMs = medianOf("direct: SDK client → fixture (stdio)");
  facts.stdioFrontMs = medianOf("voidmcp serve (bundle), stdio front");
  facts.httpDirectMs = medianOf("direct: SDK client → fixture (Streamable HTTP)");
  facts.httpFrontMs = medianOf("voidmcp serve --http (bundle)");
  facts.httpPeers = rows
    .filter((r) => !r.name.startsWith("direct") && !r.name.startsWith("voidmcp"))
    .map((r) => ({
      name: r.name.split(" (")[0] ?? r.name,
      medianMs: median(r.samplesMs),
      addedMs: median(r.samplesMs) - directOf(r.transport),
    }));
  facts.hubRssMiB = find("mcp-hub")?.rssMiB;
  const lines = [
    `### Peers on the same workload (${runs} sequential echo calls each, interleaved in blocks of 25, 127.0.0.1)`,
    "",
    "| front | transport to the client | median ms | p90 ms | vs direct on the same transport | added median ms | vs best peer | idle RSS of the front process (MiB) |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => {
      const m = median(r.samplesMs);
      const base = directOf(r.transport);
      const vsBest =
        bestPeer === undefined || r.name.startsWith("direct") || r.transport === "stdio"
          ? ""
          : `${(m / bestPeer).toFixed(2)}×`;
      return `| ${r.name} | ${r.transport} | ${fmt(m)} | ${fmt(percentile(r.samplesMs, 90))} | ${(m / base).toFixed(2)}× | ${fmt(m - base)} | ${vsBest} | ${mib(r.rssMiB)} |`;
    }),
    ...skipped.map((s) => `| ${s.name} | — | could not run: ${s.why.replace(/\|/g, "/")} | | | | | |`),
  ];
  const note =
    "The stdio rows and the HTTP rows are different transports: compare each row with the direct row of its own transport. " +
    "All HTTP fronts spawn the same stdio fixture behind them; the direct HTTP row is the fixture's own HTTP server. " +
    "mcp-hub serves legacy HTTP+SSE only, so its ratio is against direct Streamable HTTP. " +
    "RSS is the front process only (for the direct rows: the fixture itself), after 1 s idle, before the calls. " +
    '"vs best peer" divides an HTTP row\'s median by the lowest median among the peers (below 1.00× is faster than every peer); no peer has a stdio front.';
  const samples: Sample[] = rows.map((r) => ({ name: r.name, samplesMs: r.samplesMs }));
  await saveResults("peers", { runs, rows, skipped });
  return `${lines.join("\n")}\n\n${note}\n\n${table("Peers, ratios against the first row (direct stdio)", samples)}`;
}
