/**
 * Memory of `voidmcp serve --http` under abandoned sessions: clients that initialize and go away
 * without DELETE. Measures the gateway's RSS when idle (one client, upstream ready), then after
 * N such sessions, with the default `http.maxSessions` and with a bound too high to matter (what
 * each kept session costs). Run: `npm run build && node dist/bench/sessions.js [--sessions N]
 * [--initialize-only] [--quick]`; `npm run bench -- --only=sessions` runs it with the others.
 * Quick mode opens 400 sessions against the default bound only (far below it, so the second
 * configuration would measure the same thing) and reads RSS 2 s after the burst, not 5 and 30 s.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, FIXTURE, idleRssMiB, mib, rssMiB, start, stop } from "./common.js";

const PROTOCOL_VERSION = "2025-11-25";

function post(url: string, body: string, agent: Agent, session?: string) {
  return new Promise<{ status: number; session: string | undefined }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": String(Buffer.byteLength(body)),
          ...(session ? { "mcp-session-id": session, "mcp-protocol-version": PROTOCOL_VERSION } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          const id = res.headers["mcp-session-id"];
          resolve({ status: res.statusCode ?? 0, session: typeof id === "string" ? id : undefined });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "bench", version: "1" },
  },
});
const INITIALIZED = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
const LIST_TOOLS = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });

/** `--initialize-only`: sessions that list nothing (what the session itself costs). */
const LIST = !process.argv.includes("--initialize-only");

/** One abandoned session: initialize, initialized, tools/list, and never a DELETE. */
async function abandon(url: string, agent: Agent): Promise<void> {
  const init = await post(url, INITIALIZE, agent);
  if (init.status !== 200 || !init.session) throw new Error(`initialize answered ${init.status}`);
  await post(url, INITIALIZED, agent, init.session);
  if (LIST) await post(url, LIST_TOOLS, agent, init.session);
}

/** How long to idle before each RSS reading after the burst; the last one is the "settled" RSS. */
interface Waits {
  readonly idleMs: number;
  readonly soonMs: number;
  /** Added after `soonMs`; 0 reads the settled RSS right away (quick mode). */
  readonly settleMs: number;
  readonly warmSessions: number;
}

const FULL: Waits = { idleMs: 2_000, soonMs: 5_000, settleMs: 25_000, warmSessions: 50 };
const QUICK: Waits = { idleMs: 1_000, soonMs: 2_000, settleMs: 0, warmSessions: 10 };

async function measure(sessions: number, maxSessions: number | undefined, waits: Waits): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-sessions-"));
  const registry = join(dir, "servers.json");
  await writeFile(
    registry,
    JSON.stringify({
      ...(maxSessions !== undefined ? { http: { maxSessions } } : {}),
      mcpServers: { fixture: { command: process.execPath, args: [FIXTURE] } },
    }),
  );
  const gateway = start(
    process.execPath,
    [BUNDLE, "serve", "--http", "--port", "0", "--no-auth", "--config", registry],
    {
      ...process.env,
      VOIDMCP_LOG_LEVEL: "warn",
    },
  );
  try {
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /at (http:\/\/\S+\/mcp)/.exec(gateway.output())?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!url) throw new Error(`no startup line: ${gateway.output()}`);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    // The first client starts the upstream; its tools/list waits until the fixture is ready.
    await abandon(url, agent);
    for (let i = 0; i < waits.warmSessions; i++) await abandon(url, agent);
    const idle = await idleRssMiB(gateway.child.pid, waits.idleMs);
    const started = performance.now();
    for (let i = 0; i < sessions; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, sessions - i) }, () => abandon(url as string, agent)),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const peak = rssMiB(gateway.child.pid);
    const soon = await idleRssMiB(gateway.child.pid, waits.soonMs);
    // V8 gives memory back when allocation has stopped for a while (its memory reducer).
    const settled = waits.settleMs > 0 ? await idleRssMiB(gateway.child.pid, waits.settleMs) : soon;
    const health = (await (await fetch(new URL("/healthz", url))).json()) as { sessions: number };
    agent.destroy();
    return [
      maxSessions === undefined ? "default" : String(maxSessions),
      String(sessions),
      String(health.sessions),
      mib(idle),
      mib(peak),
      mib(soon),
      waits.settleMs > 0 ? mib(settled) : "not waited (quick)",
      mib(settled - idle),
      `${((settled - idle) * 1024) / Math.max(1, health.sessions - 1)}`.slice(0, 5),
      (sessions / seconds).toFixed(0),
    ];
  } finally {
    await stop(gateway.child);
    await rm(dir, { recursive: true, force: true });
  }
}

function markdown(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export async function benchSessions(quick: boolean, sessions = quick ? 400 : 3_000): Promise<string> {
  const waits = quick ? QUICK : FULL;
  const rows = [await measure(sessions, undefined, waits)];
  if (!quick) rows.push(await measure(sessions, 1_000_000, waits));
  const after = (ms: number) => `RSS ${ms / 1000} s later`;
  return [
    `## HTTP sessions abandoned without DELETE (${sessions}), gateway RSS in MiB`,
    "",
    markdown(
      [
        "maxSessions",
        "sessions opened",
        "kept",
        "idle RSS",
        "peak RSS",
        after(waits.soonMs),
        waits.settleMs > 0 ? after(waits.soonMs + waits.settleMs) : "RSS 30 s later",
        "growth",
        "growth KiB per session kept",
        "sessions/s",
      ],
      rows,
    ),
  ].join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const at = process.argv.indexOf("--sessions");
  const count = Number(process.argv[at + 1]);
  const quick = process.argv.includes("--quick");
  process.stdout.write(`${await benchSessions(quick, at === -1 ? undefined : count)}\n`);
}
