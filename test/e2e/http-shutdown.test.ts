/**
 * SIGTERM always ends `voidmcp serve`, within its grace period (3 s) plus a margin, even while a
 * client's call is in flight and even when an upstream ignores SIGTERM: the gateway exits and no
 * upstream process outlives it. Real gateway processes, the stdio fixture, SDK clients over HTTP.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  eventually,
  FIXTURE,
  fixtureEntry,
  type HttpFixture,
  isAlive,
  startHttpFixture,
  type TempDir,
  tempRegistry,
} from "./harness.js";
import { connectHttp, type HttpClient, type HttpGateway, startHttpGateway } from "./http-support.js";

/** Grace period (3 s) plus a generous margin for a loaded machine. */
const EXIT_WITHIN_MS = 6_500;
/** How long the `slow` call is given to reach the fixture before the signal. */
const CALL_UNDER_WAY_MS = 1_000;

/**
 * A fixture that ignores SIGTERM and the end of its stdin, as a wedged server does: only SIGKILL
 * ends it.
 */
const STUBBORN = {
  command: process.execPath,
  args: [
    "--input-type=module",
    "-e",
    [
      'process.on("SIGTERM", () => process.stderr.write("[stubborn] ignoring SIGTERM\\n"));',
      'process.exit = () => process.stderr.write("[stubborn] not exiting\\n");',
      "setInterval(() => {}, 60_000);",
      `await import(${JSON.stringify(FIXTURE)});`,
    ].join(" "),
  ],
};

interface Row {
  name: string;
  state: string;
  pid?: number;
}

let temp: TempDir | undefined;
let gateway: HttpGateway | undefined;
let client: HttpClient | undefined;

afterEach(async () => {
  await client?.client.close().catch(() => {});
  await gateway?.stop();
  await temp?.cleanup();
  client = undefined;
  gateway = undefined;
  temp = undefined;
});

async function pidsOf(http: HttpClient): Promise<number[]> {
  const result = await http.client.callTool({ name: "list_servers", arguments: {} });
  return (result.structuredContent as { servers: Row[] }).servers.flatMap((s) => (s.pid ? [s.pid] : []));
}

/**
 * Sends SIGTERM and resolves with how long the gateway took to exit (Infinity when it had not
 * after 20 s) and its exit code.
 */
function terminate(gw: HttpGateway): Promise<{ ms: number; code: number | null }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ms: Number.POSITIVE_INFINITY, code: null }), 20_000);
    gw.child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, code });
    });
    gw.child.kill("SIGTERM");
  });
}

describe.each([
  ["a well-behaved upstream", { fixture: fixtureEntry() }],
  ["an upstream that ignores SIGTERM", { fixture: STUBBORN }],
])("SIGTERM with %s", (_, servers) => {
  it("ends the gateway within the grace period while a call is in flight, and its upstream with it", async () => {
    temp = await tempRegistry({ expose: "direct", mcpServers: servers });
    gateway = await startHttpGateway(temp.registry, { args: ["--no-auth"] });
    client = await connectHttp(gateway.url, { name: "busy" });
    expect(await eventually(async () => (await pidsOf(client as HttpClient)).length === 1, 20_000)).toBe(
      true,
    );
    const [upstream] = await pidsOf(client);
    void client.client
      .callTool({ name: "fixture__slow", arguments: { ms: 120_000 } }, { timeout: 120_000 })
      .catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, CALL_UNDER_WAY_MS));
    const exit = await terminate(gateway);
    expect(exit.ms, gateway.stderr()).toBeLessThan(EXIT_WITHIN_MS);
    expect(exit.code).toBe(0);
    expect(await eventually(() => !isAlive(upstream as number), 3_000)).toBe(true);
  }, 60_000);
});

/**
 * A remote upstream that wedges: a proxy in front of the HTTP fixture that, once `wedge()` is
 * called, accepts requests and never answers them (the gateway's cancellation and its DELETE of
 * the upstream session then get no answer).
 */
async function wedgingProxy(
  target: string,
): Promise<{ url: string; wedge: () => void; close: () => Promise<void> }> {
  let wedged = false;
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (wedged) {
      req.resume();
      held.push(res);
      return;
    }
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    wedge: () => {
      wedged = true;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("SIGTERM with a remote upstream that stops answering", () => {
  let fixture: HttpFixture | undefined;
  let proxy: Awaited<ReturnType<typeof wedgingProxy>> | undefined;

  afterEach(async () => {
    await proxy?.close();
    await fixture?.stop();
  });

  it("ends the gateway within the grace period while a call to it is in flight", async () => {
    fixture = await startHttpFixture();
    proxy = await wedgingProxy(fixture.url);
    temp = await tempRegistry({
      expose: "direct",
      mcpServers: { fixture: { type: "http", url: proxy.url } },
    });
    gateway = await startHttpGateway(temp.registry, { args: ["--no-auth"] });
    client = await connectHttp(gateway.url, { name: "busy" });
    const tools = await client.client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain("fixture__slow");
    void client.client
      .callTool({ name: "fixture__slow", arguments: { ms: 120_000 } }, { timeout: 120_000 })
      .catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, CALL_UNDER_WAY_MS));
    proxy.wedge();
    const exit = await terminate(gateway);
    expect(exit.ms, gateway.stderr()).toBeLessThan(EXIT_WITHIN_MS);
    expect(exit.code).toBe(0);
  }, 60_000);
});
