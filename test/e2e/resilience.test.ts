/**
 * Broken upstreams of every kind next to a working one: the gateway still answers initialize,
 * serves the working server, and says what is wrong with each broken one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closedPort,
  connectGateway,
  eventually,
  fixtureEntry,
  type GatewaySession,
  type HttpFixture,
  startHttpFixture,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

interface ServerRow {
  name: string;
  state: string;
  error?: string;
}

async function servers(session: GatewaySession): Promise<Record<string, ServerRow>> {
  const result = await session.client.callTool({ name: "list_servers", arguments: {} });
  const rows = (result.structuredContent as { servers: ServerRow[] }).servers;
  return Object.fromEntries(rows.map((row) => [row.name, row]));
}

let failing: HttpFixture;
let guarded: HttpFixture;
let temp: TempDir;
let session: GatewaySession;

beforeAll(async () => {
  failing = await startHttpFixture("--fail-status", "500");
  guarded = await startHttpFixture("--auth", "s3cret");
  temp = await tempRegistry({
    // Long enough for the working servers on a loaded machine; the hanging one never makes it.
    firstListWaitMs: 4000,
    expose: "direct",
    // Quick retries, so that a crash loop is given up on within the test's time.
    restart: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 200 },
    mcpServers: {
      good: { ...fixtureEntry(), timeoutMs: 1500 },
      missing: { command: "voidmcp-e2e-no-such-command" },
      crasher: {
        command: process.execPath,
        args: ["-e", "console.error('bad config: port taken'); process.exit(3)"],
      },
      hangs: { command: process.execPath, args: ["-e", "setInterval(() => {}, 1e9)"] },
      http500: { url: failing.url },
      unauthorized: { url: guarded.url },
      authorized: { url: guarded.url, headers: { Authorization: "Bearer ${E2E_TOKEN}" } },
      closed: { url: `http://127.0.0.1:${await closedPort()}/mcp` },
      victim: fixtureEntry(),
    },
  });
  session = await connectGateway(temp.registry, { env: { E2E_TOKEN: "s3cret" } });
});

afterAll(async () => {
  await session?.close();
  await failing?.stop();
  await guarded?.stop();
  await temp?.cleanup();
});

describe("broken upstreams", () => {
  it("answer initialize without waiting for a server that never finishes starting", async () => {
    // connectGateway resolved after initialize; the hanging server cannot have answered it.
    const rows = await servers(session);
    expect(rows.hangs?.state).toBe("starting");
  });

  it("the first tools/list waits a bounded time, then serves what is ready", async () => {
    const { tools } = await session.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain("good__echo");
    expect(names).toContain("authorized__echo");
    expect(names.some((n) => n.startsWith("hangs__"))).toBe(false);
  });

  it("each failure is explained in list_servers; what a retry cannot fix is not retried", async () => {
    expect(await eventually(async () => (await servers(session)).crasher?.state === "failed")).toBe(true);
    const rows = await servers(session);
    expect(rows.good?.state).toBe("ready");
    expect(rows.authorized?.state).toBe("ready");
    // A command that does not exist or refused credentials need the user: failed at once.
    expect(rows.missing).toMatchObject({
      state: "failed",
      restarts: 0,
      error: expect.stringContaining("command not found: voidmcp-e2e-no-such-command"),
    });
    expect(rows.unauthorized).toMatchObject({
      state: "failed",
      restarts: 0,
      error: expect.stringMatching(/401 Unauthorized: check the headers/),
    });
    // A crash loop is retried maxAttempts times, then given up on, with its last words kept.
    expect(rows.crasher).toMatchObject({ state: "failed", restarts: 2 });
    expect(rows.crasher?.error).toMatch(/exited with code 3.*bad config: port taken/);
    expect(rows.http500?.error).toMatch(/answered HTTP 500/);
    expect(rows.closed?.error).toMatch(/connection refused/);
  });

  it("a call to a failed server's tool says which server failed and why", async () => {
    const result = await session.client.callTool({ name: "missing__anything", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/server "missing", which is failed: command not found/);
  });

  it("the working servers keep serving", async () => {
    const result = await session.client.callTool({ name: "good__echo", arguments: { text: "still here" } });
    expect(textOf(result)).toBe("still here");
  });
});

describe("failures during calls", () => {
  it("a call past the server's timeoutMs fails with a clear error and is cancelled upstream", async () => {
    const result = await session.client.callTool({ name: "good__slow", arguments: { ms: 10_000 } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/tool "slow" on server "good" did not answer within 1500 ms/);
    expect(await eventually(() => /\[good\].*cancel/i.test(session.stderr()))).toBe(true);
    const after = await session.client.callTool({ name: "good__echo", arguments: { text: "ok" } });
    expect(textOf(after)).toBe("ok");
  });

  it("an upstream that crashes mid-call gives an error, comes back by itself, and the others are unaffected", async () => {
    const before = (await servers(session)).victim as ServerRow & { pid: number; restarts: number };
    const result = await session.client.callTool({ name: "victim__crash", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/server "victim" closed the connection/);
    const good = await session.client.callTool({ name: "good__echo", arguments: { text: "fine" } });
    expect(textOf(good)).toBe("fine");
    expect(await eventually(async () => (await servers(session)).victim?.state === "ready", 10_000)).toBe(
      true,
    );
    const after = (await servers(session)).victim as ServerRow & { pid: number; restarts: number };
    expect(after.restarts).toBe(before.restarts + 1);
    expect(after.pid).not.toBe(before.pid);
    const next = await session.client.callTool({ name: "victim__echo", arguments: { text: "back" } });
    expect(textOf(next)).toBe("back");
  });

  it("keeps a restarting server's tools listed, so clients need not re-list", async () => {
    const { tools } = await session.client.listTools();
    expect(tools.some((t) => t.name === "victim__echo")).toBe(true);
  });
});
