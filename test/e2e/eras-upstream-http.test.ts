import { writeFile } from "node:fs/promises";
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  eventually,
  FIXTURE,
  freePort,
  type GatewaySession,
  type HttpFixture,
  startHttpScript,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

const MODERN = join(import.meta.dirname, "../../dist/test/fixtures/fixture-modern.js");

type Upstream = HttpFixture;

/** Starts a fixture's HTTP mode on `port` of 127.0.0.1 and waits for the URL it prints. */
function startUpstream(script: string, port: number): Promise<Upstream> {
  return startHttpScript(script, ["--http", "--port", String(port)]);
}

interface Relay {
  readonly port: number;
  /** Sends new connections to this port, and ends the ones open now. */
  target(port: string): void;
  close(): Promise<void>;
}

/** A TCP relay on 127.0.0.1 to a port that can be switched: one URL for two servers in turn. */
function startRelay(initial: string): Promise<Relay> {
  let to = initial;
  const open = new Set<Socket>();
  const server = createNetServer((socket) => {
    const backend = connect(Number(to), "127.0.0.1");
    for (const end of [socket, backend]) {
      open.add(end);
      end.once("close", () => open.delete(end));
      end.on("error", () => {
        socket.destroy();
        backend.destroy();
      });
    }
    socket.pipe(backend).pipe(socket);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        target: (port) => {
          to = port;
          for (const socket of open) socket.destroy();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

interface StatusRow {
  name: string;
  state: string;
  era?: string;
  protocolVersion?: string;
  protocol?: string;
}

let temp: TempDir;
let session: GatewaySession;
let port: number;
let upstream: Upstream | undefined;
/** How the client answers the next elicitation/create. */
let elicitation: "accept" | "decline" = "accept";
const asked: unknown[] = [];
let toolsChanged = 0;

/** The registry document; a short health check lets the gateway notice a restarted upstream soon. */
function document(entry: Record<string, unknown>): unknown {
  return { expose: "direct", healthCheckMs: 1_000, mcpServers: { modern: entry } };
}

async function servers(): Promise<StatusRow[]> {
  const result = (await session.client.callTool({ name: "list_servers", arguments: {} })) as CallToolResult;
  return (JSON.parse(textOf(result)) as { servers: StatusRow[] }).servers;
}

async function modernRow(): Promise<StatusRow | undefined> {
  return (await servers()).find((s) => s.name === "modern");
}

/** Requests per method the upstream process now running received, read through the gateway. */
async function upstreamRequests(): Promise<Record<string, number>> {
  const result = await session.client.callTool({ name: "modern__requests", arguments: {} });
  return JSON.parse(textOf(result)) as Record<string, number>;
}

/** True once a call through the gateway reaches the upstream and answers. */
async function echoes(text: string): Promise<boolean> {
  const result = await session.client
    .callTool({ name: "modern__echo", arguments: { text } })
    .catch(() => undefined);
  return result !== undefined && !result.isError && textOf(result) === text;
}

beforeAll(async () => {
  port = await freePort();
  upstream = await startUpstream(MODERN, port);
  temp = await tempRegistry(document({ url: upstream.url }));
  session = await connectGateway(temp.registry, {
    env: { XDG_STATE_HOME: join(temp.dir, "state"), HOME: temp.dir },
    capabilities: { capabilities: { elicitation: { form: {} } } },
  });
  session.client.setRequestHandler("elicitation/create", async (request) => {
    asked.push(request.params);
    return elicitation === "accept" ? { action: "accept", content: { name: "Ada" } } : { action: "decline" };
  });
  session.client.setNotificationHandler("notifications/tools/list_changed", () => {
    toolsChanged += 1;
  });
});

afterAll(async () => {
  await session?.close();
  await upstream?.stop();
  await temp?.cleanup();
});

describe("legacy client → voidmcp → modern-only HTTP upstream (protocol auto)", () => {
  it("detects the era with server/discover and shows it in list_servers", async () => {
    expect(await eventually(async () => (await modernRow())?.state === "ready", 20_000)).toBe(true);
    expect(await modernRow()).toMatchObject({
      era: "modern",
      protocolVersion: "2026-07-28",
      protocol: "auto",
    });
    const seen = await upstreamRequests();
    expect(seen["server/discover"]).toBeGreaterThanOrEqual(1);
    // auto probes first; a modern answer means no initialize is ever sent.
    expect(seen.initialize).toBeUndefined();
  });

  it("calls a tool", async () => {
    const result = await session.client.callTool({ name: "modern__echo", arguments: { text: "over http" } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("over http");
  });

  it("turns input_required into elicitation/create and the answer into inputResponses", async () => {
    elicitation = "accept";
    const before = asked.length;
    const result = await session.client.callTool({ name: "modern__ask_name", arguments: {} });
    expect(asked.length).toBe(before + 1);
    expect(asked.at(-1)).toMatchObject({ message: "What is your name?" });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("Hello, Ada (state echoed)");

    elicitation = "decline";
    const declined = await session.client.callTool({ name: "modern__ask_name", arguments: {} });
    expect(declined.isError).toBe(true);
    expect(textOf(declined)).toBe("the person declined to give a name (decline; state echoed)");
    elicitation = "accept";
  });

  it("a change of the upstream's tools (its listen stream) reaches the client as list_changed", async () => {
    const before = toolsChanged;
    const added = await session.client.callTool({ name: "modern__add_tool", arguments: { name: "shout" } });
    expect(textOf(added)).toBe("added shout");
    expect(await eventually(() => toolsChanged > before, 10_000)).toBe(true);
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toContain("modern__shout");
    expect(textOf(await session.client.callTool({ name: "modern__shout", arguments: { text: "new" } }))).toBe(
      "new",
    );
  });

  it("cancelling a call closes the upstream request, and the upstream sees it", async () => {
    const controller = new AbortController();
    const call = session.client.callTool(
      { name: "modern__slow", arguments: {} },
      { signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 500));
    controller.abort("changed my mind");
    await expect(call).rejects.toThrow();
    const count = async () =>
      textOf(await session.client.callTool({ name: "modern__cancellations", arguments: {} }));
    expect(await eventually(async () => (await count()) === "1", 10_000)).toBe(true);
  });

  it("passes log messages on once the client set a level (the level goes in each request's _meta)", async () => {
    const logs: unknown[] = [];
    session.client.setNotificationHandler("notifications/message", (n) => {
      logs.push(n.params);
    });
    await session.client.callTool({ name: "modern__log", arguments: { message: "before a level" } });
    await session.client.setLoggingLevel("info");
    await session.client.callTool({ name: "modern__log", arguments: { message: "hello over http" } });
    expect(await eventually(() => JSON.stringify(logs).includes("hello over http"))).toBe(true);
    expect(JSON.stringify(logs)).not.toContain("before a level");
  });

  it("Code Mode calls the modern tool that needs input", async () => {
    const result = (await session.client.callTool({
      name: "execute_code",
      arguments: { code: "return await tools.modern.ask_name({});" },
    })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain("Hello, Ada (state echoed)");
  });
});

describe("the era verdict for an HTTP upstream", () => {
  it("after a restart of the server: the same modern session goes on, no initialize", async () => {
    await upstream?.stop();
    upstream = await startUpstream(MODERN, port);
    // A modern HTTP session holds no server state: the new process simply answers the next call.
    expect(await eventually(() => echoes("back again"), 30_000), session.stderr().slice(-2000)).toBe(true);
    expect(await modernRow()).toMatchObject({ state: "ready", era: "modern", protocolVersion: "2026-07-28" });
    // Past a health check (server/discover, every second here), still modern, never initialize.
    expect(
      await eventually(async () => ((await upstreamRequests())["server/discover"] ?? 0) >= 1, 10_000),
    ).toBe(true);
    expect(await modernRow()).toMatchObject({ state: "ready", era: "modern" });
    expect((await upstreamRequests()).initialize).toBeUndefined();
    // The listen stream the old process ended is opened again on the new one, after the
    // gateway's pause; a change made before that would reach no stream, so wait for it.
    expect(
      await eventually(async () => ((await upstreamRequests())["subscriptions/listen"] ?? 0) >= 1, 30_000),
      session.stderr().slice(-2000),
    ).toBe(true);
    const before = toolsChanged;
    await session.client.callTool({ name: "modern__add_tool", arguments: { name: "after_restart" } });
    expect(await eventually(() => toolsChanged > before, 20_000), session.stderr().slice(-2000)).toBe(true);
  });

  it("after an entry edit that leaves protocol alone: restarted, detected afresh, still modern", async () => {
    await writeFile(
      temp.registry,
      JSON.stringify(document({ url: upstream?.url, headers: { "X-Edited": "yes" } }), null, 2),
    );
    expect(
      await eventually(() => /registry reloaded: restarted modern/.test(session.stderr()), 20_000),
      session.stderr().slice(-2000),
    ).toBe(true);
    expect(await eventually(async () => (await modernRow())?.state === "ready", 20_000)).toBe(true);
    expect(await modernRow()).toMatchObject({
      era: "modern",
      protocolVersion: "2026-07-28",
      protocol: "auto",
    });
    expect(await echoes("edited")).toBe(true);
  });

  it("a remembered legacy verdict skips the probe, and is dropped when that reconnect fails", async () => {
    // One URL (a TCP relay) in front of a legacy server, then of a modern-only one. The relay
    // switches before the legacy server stops, so the gateway never meets a refused connection
    // (which would drop the verdict before it is used) and its next connect goes to the new one.
    await upstream?.stop();
    const legacy = await startUpstream(FIXTURE, await freePort());
    const front = await startRelay(new URL(legacy.url).port);
    try {
      await writeFile(
        temp.registry,
        JSON.stringify(document({ url: `http://127.0.0.1:${front.port}/mcp` }), null, 2),
      );
      expect(
        await eventually(async () => {
          const row = await modernRow();
          return row?.era === "legacy" && row.state === "ready";
        }, 30_000),
        session.stderr().slice(-2000),
      ).toBe(true);
      upstream = await startUpstream(MODERN, port);
      front.target(String(port));
      await legacy.stop();
      expect(await eventually(() => echoes("modern once more"), 60_000), session.stderr().slice(-3000)).toBe(
        true,
      );
      expect(await modernRow()).toMatchObject({ era: "modern", protocolVersion: "2026-07-28" });
      const seen = await upstreamRequests();
      // The remembered verdict went straight to initialize (refused), then a probe found modern.
      expect(seen.initialize).toBeGreaterThanOrEqual(1);
      expect(seen["server/discover"]).toBeGreaterThanOrEqual(1);
    } finally {
      await legacy.stop();
      await front.close();
    }
  });
});
