/**
 * `voidmcp serve --http` under churn and in combination: 1,000 sessions opened and dropped in a
 * bounded loop on 127.0.0.1 (no leak of sessions, upstream processes or memory), and one process
 * serving stdio and HTTP at the same time.
 */
import { readFile } from "node:fs/promises";
import { Agent } from "node:http";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, eventually, fixtureEntry, isAlive, type TempDir, tempRegistry, textOf } from "./harness.js";
import {
  childrenOf,
  connectHttp,
  deleteRawSession,
  gatewayEnv,
  type HttpClient,
  type HttpGateway,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rawRequest,
  rpc,
  rssKib,
  startHttpGateway,
} from "./http-support.js";

interface Row {
  name: string;
  state: string;
  pid?: number;
  restarts: number;
}

async function servers(client: Client): Promise<Row[]> {
  const result = await client.callTool({ name: "list_servers", arguments: {} });
  return (result.structuredContent as { servers: Row[] }).servers;
}

describe("serve --http: 1,000 sessions opened and dropped", () => {
  const SESSIONS = 1_000;
  /** Every ABANDON_EVERY-th session is never DELETEd (its client just goes away). */
  const ABANDON_EVERY = 10;
  const token = "sessions-test-token";
  let temp: TempDir;
  let gateway: HttpGateway;
  let watcher: HttpClient;

  beforeAll(async () => {
    temp = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
    gateway = await startHttpGateway(temp.registry, { env: { VOIDMCP_TOKEN: token } });
    watcher = await connectHttp(gateway.url, { token, name: "watcher" });
    expect(await eventually(async () => (await servers(watcher.client))[0]?.state === "ready", 20_000)).toBe(
      true,
    );
  }, 60_000);

  afterAll(async () => {
    await watcher?.close();
    await gateway?.stop();
    await temp?.cleanup();
  });

  it("ends every deleted session, leaks no upstream process and keeps memory bounded", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const fixtureBefore = (await servers(watcher.client))[0];
      expect(fixtureBefore?.pid).toBeDefined();
      const childrenBefore = childrenOf(gateway.pid);
      expect(childrenBefore).toContain(fixtureBefore?.pid);
      const baseline = (await gateway.health()).sessions;
      // Warm up (JIT, pools) before the first memory reading.
      for (let i = 0; i < 50; i++) {
        await deleteRawSession(gateway.url, token, await openRawSession(gateway.url, token, agent), agent);
      }
      const rssBefore = rssKib(gateway.pid);

      let abandoned = 0;
      for (let i = 0; i < SESSIONS; i++) {
        const session = await openRawSession(gateway.url, token, agent);
        if (i % 50 === 0) {
          // Now and then the session does real work through the upstream.
          const call = await rawRequest(gateway.url, {
            headers: mcpHeaders(token, session),
            body: rpc(1, "tools/call", { name: "fixture__echo", arguments: { text: `n${i}` } }),
            agent,
          });
          expect(messagesOf(call).find((m) => m.id === 1)?.result).toMatchObject({
            content: [{ type: "text", text: `n${i}` }],
          });
        }
        if (i % 100 === 5) {
          // …or opens its SSE stream and drops it.
          const controller = new AbortController();
          const stream = await fetch(gateway.url, {
            headers: { ...mcpHeaders(token, session), accept: "text/event-stream" },
            signal: controller.signal,
          });
          expect(stream.status).toBe(200);
          controller.abort();
        }
        if (i % ABANDON_EVERY === 0) {
          abandoned += 1;
          continue;
        }
        expect(await deleteRawSession(gateway.url, token, session, agent)).toBe(200);
      }

      // Every deleted session is gone. Abandoned ones may still be counted: the endpoint has no
      // idle expiry (see the todo below), but nothing else may linger.
      const open = (await gateway.health()).sessions - baseline;
      expect(open).toBeGreaterThanOrEqual(0);
      expect(open).toBeLessThanOrEqual(abandoned);

      // No upstream session or process leaked: the same fixture process, never restarted, and no
      // new children of the gateway.
      const fixtureAfter = (await servers(watcher.client))[0];
      expect(fixtureAfter).toMatchObject({ state: "ready", pid: fixtureBefore?.pid, restarts: 0 });
      expect(childrenOf(gateway.pid)).toEqual(childrenBefore);
      const echo = await watcher.client.callTool({ name: "fixture__echo", arguments: { text: "alive" } });
      expect(textOf(echo)).toBe("alive");

      // A generous bound: a leak of ~1,000 sessions' servers and streams would pass it only if
      // each cost under 150 KiB; the point is "not unbounded", not a performance target.
      const growthMib = (rssKib(gateway.pid) - rssBefore) / 1024;
      expect(growthMib).toBeLessThan(150);
    } finally {
      agent.destroy();
    }
  }, 180_000);

  it("abandoned sessions (never DELETEd) expire after --session-timeout; a busy one does not", async () => {
    const temp = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
    const gw = await startHttpGateway(temp.registry, { args: ["--no-auth", "--session-timeout", "1500"] });
    try {
      for (let i = 0; i < 5; i++) await openRawSession(gw.url, undefined);
      const count = async () =>
        (JSON.parse((await rawRequest(`${gw.base}/healthz`, { method: "GET" })).body) as { sessions: number })
          .sessions;
      expect(await count()).toBe(5);
      const kept = await connectHttp(gw.url, { name: "busy" });
      try {
        // The idle ones go; the one that keeps calling stays.
        expect(
          await eventually(async () => {
            await kept.client.ping();
            return (await count()) === 1;
          }, 10_000),
        ).toBe(true);
        const echo = await kept.client.callTool({ name: "fixture__echo", arguments: { text: "still" } });
        expect(textOf(echo)).toBe("still");
      } finally {
        await kept.close();
      }
    } finally {
      await gw.stop();
      await temp.cleanup();
    }
  }, 60_000);

  it("stops cleanly with abandoned sessions open: exit code 0, upstream process gone", async () => {
    const fixture = (await servers(watcher.client))[0];
    await watcher.close();
    const exited = new Promise<number | null>((resolve) =>
      gateway.child.once("exit", (code) => resolve(code)),
    );
    gateway.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await eventually(() => !isAlive(fixture?.pid as number), 5_000)).toBe(true);
  }, 30_000);
});

describe("serve --http --stdio: both fronts from one process", () => {
  let temp: TempDir;

  beforeAll(async () => {
    temp = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
  });

  afterAll(async () => {
    await temp?.cleanup();
  });

  it("serves one stdio client and one HTTP client through the same upstreams; stdio closing ends it", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--http", "--port", "0", "--stdio", "--config", temp.registry],
      env: gatewayEnv(),
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const stdio = new Client({ name: "voidmcp-e2e-stdio", version: "1.0.0" });
    await stdio.connect(transport);
    let http: HttpClient | undefined;
    try {
      expect(
        await eventually(() => /serving \d+ server\(s\) at http:\/\/\S+\/mcp/.test(stderr), 10_000),
      ).toBe(true);
      const url = /at (http:\/\/\S+\/mcp)/.exec(stderr)?.[1] as string;
      const token = (await readFile(join(temp.dir, "token"), "utf8")).trim();
      http = await connectHttp(url, { token });

      const viaStdio = await stdio.callTool({ name: "fixture__echo", arguments: { text: "stdio" } });
      const viaHttp = await http.client.callTool({ name: "fixture__echo", arguments: { text: "http" } });
      expect(textOf(viaStdio)).toBe("stdio");
      expect(textOf(viaHttp)).toBe("http");
      // One gateway, one upstream process for both fronts.
      const [fromStdio] = await servers(stdio);
      const [fromHttp] = await servers(http.client);
      expect(fromStdio?.pid).toBeDefined();
      expect(fromHttp?.pid).toBe(fromStdio?.pid);

      // The stdio client going away ends the gateway, HTTP endpoint included.
      await stdio.close();
      const health = new URL("/healthz", url).href;
      expect(
        await eventually(async () => {
          try {
            await fetch(health);
            return false;
          } catch {
            return true;
          }
        }, 10_000),
      ).toBe(true);
      expect(await eventually(() => !isAlive(fromStdio?.pid as number), 5_000)).toBe(true);
    } finally {
      await http?.client.close().catch(() => {});
      await stdio.close();
    }
  }, 60_000);
});
