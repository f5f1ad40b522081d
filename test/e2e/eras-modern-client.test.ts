/**
 * A 2026-07-28 client in front of legacy upstreams: the SDK 2.4 client pinned to the modern
 * revision (`versionNegotiation: { mode: { pin: "2026-07-28" } }`) → `voidmcp serve` (HTTP and
 * stdio) → the fixture and `@modelcontextprotocol/server-everything`, both 2025-era servers.
 * Each front: a tool call, an elicitation round trip (the upstream pushes elicitation/create,
 * the modern client gets input_required and retries), a list change reaching the client's
 * `subscriptions/listen` stream, and a cancellation (the client gives up the request; the
 * upstream sees notifications/cancelled). On HTTP also: an altered or replayed requestState is
 * a JSON-RPC error, log messages go only to a request that asked for them, and a Code Mode
 * script's elicitation travels the same way.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  EVERYTHING,
  eventually,
  fixtureEntry,
  type GatewaySession,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";
import { type HttpGateway, startHttpGateway } from "./http-support.js";

const MODERN = "2026-07-28";
const PIN = { mode: { pin: MODERN } } as const;
const CAPABILITIES = { elicitation: { form: {} }, sampling: {} };

const asked: Array<{ message?: unknown }> = [];
const toolChanges: number[] = [];

/** A modern client that answers every elicitation with a name, and counts tools/list_changed. */
function modernClient(name: string): Client {
  const client = new Client(
    { name, version: "1.0.0" },
    { capabilities: CAPABILITIES, versionNegotiation: PIN },
  );
  client.setRequestHandler("elicitation/create", async (request) => {
    asked.push(request.params as { message?: unknown });
    return { action: "accept", content: { name: "Ada" } };
  });
  client.setNotificationHandler("notifications/tools/list_changed", () => {
    toolChanges.push(Date.now());
  });
  return client;
}

function registry(): Promise<TempDir> {
  return tempRegistry({
    expose: "direct",
    mcpServers: {
      fixture: fixtureEntry(),
      everything: { command: process.execPath, args: [EVERYTHING] },
    },
  });
}

/** What every front must do for a modern client; `stderr` reads the gateway's log. */
function sharedCases(get: () => { client: Client; stderr: () => string }) {
  it("speaks 2026-07-28 and lists the upstreams' tools", async () => {
    const { client } = get();
    expect(client.getProtocolEra()).toBe("modern");
    expect(client.getDiscoverResult()?.supportedVersions).toContain(MODERN);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["execute_code", "fixture__echo", "everything__echo"]));
  });

  it("calls a tool of each upstream", async () => {
    const { client } = get();
    expect(textOf(await client.callTool({ name: "fixture__echo", arguments: { text: "modern" } }))).toBe(
      "modern",
    );
    expect(
      textOf(await client.callTool({ name: "everything__echo", arguments: { message: "hi" } })),
    ).toContain("hi");
  });

  it("relays the fixture's elicitation as input_required and the answer back", async () => {
    const { client } = get();
    const before = asked.length;
    const result = await client.callTool({ name: "fixture__elicit", arguments: { message: "who are you?" } });
    expect(JSON.parse(textOf(result))).toEqual({ action: "accept", content: { name: "Ada" } });
    expect(asked.slice(before)).toEqual([expect.objectContaining({ message: "who are you?" })]);
  });

  it("relays server-everything's elicitation the same way", async () => {
    const { client } = get();
    const before = asked.length;
    const result = await client.callTool({ name: "everything__trigger-elicitation-request", arguments: {} });
    expect(asked.length).toBe(before + 1);
    expect(result.isError).not.toBe(true);
  });

  it("delivers a tools/list_changed on the listen stream", async () => {
    const { client } = get();
    const subscription = await client.listen({ toolsListChanged: true });
    try {
      expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
      const before = toolChanges.length;
      await client.callTool({ name: "fixture__toggle_extra_tool", arguments: {} });
      expect(await eventually(() => toolChanges.length > before, 10_000)).toBe(true);
      await client.callTool({ name: "fixture__toggle_extra_tool", arguments: {} });
    } finally {
      await subscription.close();
    }
  });

  it("cancels the upstream call when the client gives the request up", async () => {
    const { client, stderr } = get();
    const controller = new AbortController();
    const call = client.callTool(
      { name: "fixture__slow", arguments: { ms: 60_000 } },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    await expect(call).rejects.toThrow();
    expect(
      await eventually(() => /slow: cancelled after/.test(stderr()), 10_000),
      stderr().slice(-2000),
    ).toBe(true);
  });
}

describe("modern client → voidmcp serve --http → legacy upstreams", () => {
  let temp: TempDir;
  let gateway: HttpGateway;
  let client: Client;

  beforeAll(async () => {
    temp = await registry();
    gateway = await startHttpGateway(temp.registry, {
      args: ["--no-auth"],
      env: { XDG_STATE_HOME: temp.dir, HOME: temp.dir },
    });
    client = modernClient("eras-e2e-http");
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  });

  afterAll(async () => {
    await client?.close().catch(() => {});
    await gateway?.stop();
    await temp?.cleanup();
  });

  sharedCases(() => ({ client, stderr: () => gateway.stderr() }));

  /** One raw modern request: the envelope in `_meta`, the headers the revision requires. */
  async function raw(id: number, method: string, params: Record<string, unknown>, logLevel?: string) {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": MODERN,
        "mcp-method": method,
        ...(typeof params.name === "string" ? { "mcp-name": params.name } : {}),
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id,
        method,
        params: {
          ...params,
          _meta: {
            "io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
            "io.modelcontextprotocol/clientCapabilities": CAPABILITIES,
            ...(logLevel ? { "io.modelcontextprotocol/logLevel": logLevel } : {}),
          },
        },
      }),
    });
    const text = await response.text();
    const messages = response.headers.get("content-type")?.includes("text/event-stream")
      ? text
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => JSON.parse(line.slice(5)) as Record<string, unknown>)
      : [JSON.parse(text) as Record<string, unknown>];
    return { status: response.status, messages, final: messages.at(-1) as Record<string, unknown> };
  }

  it("refuses an altered, a replayed and a foreign requestState with a JSON-RPC error", async () => {
    const call = { name: "fixture__elicit", arguments: { message: "state?" } };
    const first = await raw(1, "tools/call", call);
    const result = first.final.result as { resultType: string; inputRequests: object; requestState: string };
    expect(result.resultType).toBe("input_required");
    const [key] = Object.keys(result.inputRequests);
    const answers = { [key as string]: { action: "accept", content: { name: "Raw" } } };

    const altered = await raw(2, "tools/call", {
      ...call,
      inputResponses: answers,
      requestState: `${result.requestState}x`,
    });
    expect(altered.final.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/requestState/),
    });
    const other = await raw(3, "tools/call", {
      name: "fixture__elicit",
      arguments: { message: "another" },
      inputResponses: answers,
      requestState: result.requestState,
    });
    expect(other.final.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/another request/),
    });

    const done = await raw(4, "tools/call", {
      ...call,
      inputResponses: answers,
      requestState: result.requestState,
    });
    expect(JSON.parse(textOf(done.final.result as { content: unknown }))).toEqual({
      action: "accept",
      content: { name: "Raw" },
    });
    const replayed = await raw(5, "tools/call", {
      ...call,
      inputResponses: answers,
      requestState: result.requestState,
    });
    expect(replayed.final.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/no longer waiting/),
    });
  });

  it("sends log messages only to a request that asked for them, at its level", async () => {
    const steps = { name: "fixture__progress", arguments: { steps: 2, delayMs: 10 } };
    const quiet = await raw(10, "tools/call", steps);
    expect(quiet.messages.filter((m) => m.method === "notifications/message")).toEqual([]);
    const loud = await raw(11, "tools/call", steps, "info");
    expect(loud.messages.filter((m) => m.method === "notifications/message")).toHaveLength(2);
    const above = await raw(12, "tools/call", steps, "error");
    expect(above.messages.filter((m) => m.method === "notifications/message")).toEqual([]);
  });

  it("answers -32022 with the supported list for a revision it does not serve", async () => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2099-01-01",
        "mcp-method": "tools/list",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/list",
        params: {
          _meta: {
            "io.modelcontextprotocol/protocolVersion": "2099-01-01",
            "io.modelcontextprotocol/clientCapabilities": {},
          },
        },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; data: { supported: string[] } } };
    expect(body.error.code).toBe(-32022);
    expect(body.error.data.supported).toContain(MODERN);
  });

  it("answers 405 to GET and DELETE from a modern client (no session to stream or end)", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(gateway.url, {
        method,
        headers: { accept: "text/event-stream", "mcp-protocol-version": MODERN },
      });
      expect(response.status, method).toBe(405);
      await response.body?.cancel();
    }
    // Without the modern header it is a legacy request without a session, as before.
    const legacy = await fetch(gateway.url, { method: "GET", headers: { accept: "text/event-stream" } });
    expect(legacy.status).toBe(400);
    await legacy.body?.cancel();
  });

  it("delivers resources/updated for a URI a listen stream watches", async () => {
    const uri = "test://watched-resource";
    const updated: string[] = [];
    client.setNotificationHandler("notifications/resources/updated", (n) => {
      updated.push(String((n.params as { uri: string }).uri));
    });
    const subscription = await client.listen({ resourceSubscriptions: [uri] });
    try {
      expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: [uri] });
      const touched = await client.callTool({ name: "fixture__touch_resource", arguments: { uri } });
      // The gateway subscribed upstream for the stream: the fixture saw a subscriber.
      expect(JSON.parse(textOf(touched))).toEqual({ uri, subscribed: true });
      expect(await eventually(() => updated.includes(uri), 10_000)).toBe(true);
    } finally {
      await subscription.close();
    }
  });

  it("relays an elicitation of a Code Mode script as input_required", async () => {
    const before = asked.length;
    const result = await client.callTool({
      name: "execute_code",
      arguments: {
        code: 'const a = await tools.fixture.elicit({ message: "from a script" }); return a.content.name;',
      },
    });
    expect(textOf(result)).toContain("Ada");
    expect(asked.slice(before)).toEqual([expect.objectContaining({ message: "from a script" })]);
  });

  it("still serves a 2025-11-25 client with a session on the same URL", async () => {
    const legacy = new Client({ name: "eras-e2e-legacy", version: "1.0.0" });
    await legacy.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      expect(legacy.getProtocolEra()).toBe("legacy");
      expect(textOf(await legacy.callTool({ name: "fixture__echo", arguments: { text: "old" } }))).toBe(
        "old",
      );
    } finally {
      await legacy.close();
    }
  });
});

describe("modern client → voidmcp serve (stdio) → legacy upstreams", () => {
  let temp: TempDir;
  let session: GatewaySession;

  beforeAll(async () => {
    temp = await registry();
    asked.length = 0;
    session = await connectGateway(temp.registry, {
      env: { XDG_STATE_HOME: temp.dir, HOME: temp.dir },
      capabilities: { capabilities: CAPABILITIES, versionNegotiation: PIN },
    });
    session.client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params as { message?: unknown });
      return { action: "accept", content: { name: "Ada" } };
    });
    session.client.setNotificationHandler("notifications/tools/list_changed", () => {
      toolChanges.push(Date.now());
    });
  });

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
  });

  sharedCases(() => ({ client: session.client, stderr: () => session.stderr() }));
});
