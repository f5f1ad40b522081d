/**
 * The same-era modern path: the SDK 2.4 client pinned to 2026-07-28 → `voidmcp serve` (the built
 * CLI, HTTP and stdio fronts) → fixture-modern (a modern-only upstream, stdio, `initialize`
 * refused). Both legs are modern, but voidmcp is no pass-through: the upstream's
 * `input_required` is answered through voidmcp's own `input_required` to the client (with
 * voidmcp's own requestState), and the upstream gets its own requestState back with the answer.
 * Each front: a tool call, that elicitation round trip, a list change reaching the client's
 * `subscriptions/listen` stream, a cancellation (the client gives the request up, the upstream's
 * slow tool sees it), and `execute_code` calling the tool that needs input.
 */
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport, type Transport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  eventually,
  type GatewaySession,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";
import { type HttpGateway, startHttpGateway } from "./http-support.js";

const MODERN = "2026-07-28";
const PIN = { mode: { pin: MODERN } } as const;
const CAPABILITIES = { elicitation: { form: {} } };
const UPSTREAM = join(import.meta.dirname, "../../dist/test/fixtures/fixture-modern.js");
/** The requestState fixture-modern puts in its own input_required; it must never reach the client. */
const UPSTREAM_STATE = "fixture-modern:ask_name:v1";

const asked: Array<{ message?: unknown }> = [];
/** How the client answers the next elicitation. */
let answer: "accept" | "decline" = "accept";
let toolChanges = 0;

/** What came in on a client's transport: requests from the server, and input_required results. */
interface Wire {
  readonly serverRequests: string[];
  inputRequired: number;
}

/** Watches every message the client's transport delivers (set after connect, which installs onmessage). */
function watch(transport: Transport): Wire {
  const wire: Wire = { serverRequests: [], inputRequired: 0 };
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const m = message as { id?: unknown; method?: unknown; result?: { resultType?: unknown } };
    if (typeof m.method === "string" && m.id !== undefined) wire.serverRequests.push(m.method);
    if (m.result?.resultType === "input_required") wire.inputRequired += 1;
    deliver?.(message, extra);
  };
  return wire;
}

/** Answers every elicitation with a name and counts tools/list_changed. */
function equip(client: Client): Client {
  client.setRequestHandler("elicitation/create", async (request) => {
    asked.push(request.params as { message?: unknown });
    return answer === "accept" ? { action: "accept", content: { name: "Ada" } } : { action: "decline" };
  });
  client.setNotificationHandler("notifications/tools/list_changed", () => {
    toolChanges += 1;
  });
  return client;
}

function registry(): Promise<TempDir> {
  return tempRegistry({
    expose: "direct",
    mcpServers: { modern: { command: process.execPath, args: [UPSTREAM] } },
  });
}

async function cancellations(client: Client): Promise<number> {
  return Number(textOf(await client.callTool({ name: "modern__cancellations", arguments: {} })));
}

function sharedCases(get: () => { client: Client; stderr: () => string; wire: Wire }) {
  it("speaks 2026-07-28 to the client, and the upstream is modern too", async () => {
    const { client } = get();
    expect(client.getProtocolEra()).toBe("modern");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["execute_code", "modern__echo", "modern__ask_name", "modern__slow"]),
    );
    const listed = await client.callTool({ name: "list_servers", arguments: {} });
    const { servers } = JSON.parse(textOf(listed)) as { servers: Array<Record<string, unknown>> };
    expect(servers.find((s) => s.name === "modern")).toMatchObject({
      era: "modern",
      protocolVersion: MODERN,
    });
  });

  it("calls a tool", async () => {
    const { client } = get();
    const result = await client.callTool({ name: "modern__echo", arguments: { text: "modern to modern" } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("modern to modern");
  });

  it("relays the upstream's input_required as its own, and the upstream gets its state and the answer", async () => {
    const { client, wire } = get();
    const before = asked.length;
    const rounds = wire.inputRequired;
    const result = await client.callTool({ name: "modern__ask_name", arguments: {} });
    expect(asked.slice(before)).toEqual([expect.objectContaining({ message: "What is your name?" })]);
    // The question came as an input_required result, not as a request pushed to the client.
    expect(wire.inputRequired).toBe(rounds + 1);
    expect(wire.serverRequests).toEqual([]);
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toBe("Hello, Ada (state echoed)");
  });

  it("passes a declined elicitation on to the upstream, which answers with its own error", async () => {
    const { client } = get();
    answer = "decline";
    try {
      const result = await client.callTool({ name: "modern__ask_name", arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe("the person declined to give a name (decline; state echoed)");
    } finally {
      answer = "accept";
    }
  });

  it("delivers the upstream's tool change on the client's listen stream", async () => {
    const { client } = get();
    const subscription = await client.listen({ toolsListChanged: true });
    try {
      expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
      const before = toolChanges;
      const added = await client.callTool({ name: "modern__add_tool", arguments: { name: "shout" } });
      expect(textOf(added)).toBe("added shout");
      expect(await eventually(() => toolChanges > before, 10_000)).toBe(true);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("modern__shout");
      expect(textOf(await client.callTool({ name: "modern__shout", arguments: { text: "new" } }))).toBe(
        "new",
      );
    } finally {
      await subscription.close();
    }
  });

  it("cancels the upstream's slow call when the client gives the request up", async () => {
    const { client, stderr } = get();
    const before = await cancellations(client);
    const controller = new AbortController();
    const call = client.callTool({ name: "modern__slow", arguments: {} }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort("changed my mind");
    await expect(call).rejects.toThrow();
    expect(
      await eventually(async () => (await cancellations(client)) === before + 1, 10_000),
      stderr().slice(-2000),
    ).toBe(true);
  });

  it("execute_code calls the modern tool that needs input, the question relayed to the client", async () => {
    const { client } = get();
    const before = asked.length;
    const result = await client.callTool({
      name: "execute_code",
      arguments: {
        code: "const a = await tools.modern.echo({ text: 'from a script' }); const b = await tools.modern.ask_name({}); return { a, b };",
      },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain("from a script");
    expect(textOf(result)).toContain("Hello, Ada (state echoed)");
    expect(asked.slice(before)).toEqual([expect.objectContaining({ message: "What is your name?" })]);
  });

  it("never sent the modern client a server-to-client request", () => {
    expect(get().wire.serverRequests).toEqual([]);
  });
}

describe("modern client → voidmcp serve --http → modern upstream", () => {
  let temp: TempDir;
  let gateway: HttpGateway;
  let client: Client;
  let transport: StreamableHTTPClientTransport;
  let wire: Wire;

  beforeAll(async () => {
    temp = await registry();
    gateway = await startHttpGateway(temp.registry, {
      args: ["--no-auth"],
      env: { XDG_STATE_HOME: temp.dir, HOME: temp.dir },
    });
    client = equip(
      new Client(
        { name: "eras-modern-modern-http", version: "1.0.0" },
        { capabilities: CAPABILITIES, versionNegotiation: PIN },
      ),
    );
    transport = new StreamableHTTPClientTransport(new URL(gateway.url));
    await client.connect(transport);
    wire = watch(transport);
  });

  afterAll(async () => {
    await client?.close().catch(() => {});
    await gateway?.stop();
    await temp?.cleanup();
  });

  sharedCases(() => ({ client, stderr: () => gateway.stderr(), wire }));

  /** One raw modern tools/call: the envelope in `_meta`, the headers the revision requires. */
  async function rawCall(id: number, params: Record<string, unknown>) {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": MODERN,
        "mcp-method": "tools/call",
        "mcp-name": String(params.name),
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: {
          ...params,
          _meta: {
            "io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
            "io.modelcontextprotocol/clientCapabilities": CAPABILITIES,
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
    return messages.at(-1) as { result?: Record<string, unknown>; error?: Record<string, unknown> };
  }

  it("on the wire: the client gets voidmcp's requestState, never the upstream's, and the retry completes", async () => {
    const first = await rawCall(1, { name: "modern__ask_name", arguments: {} });
    const result = first.result as {
      resultType: string;
      inputRequests: Record<string, { method: string; params: { message: string } }>;
      requestState: string;
    };
    expect(result.resultType).toBe("input_required");
    const entries = Object.entries(result.inputRequests);
    expect(entries).toHaveLength(1);
    const [key, request] = entries[0] as [string, { method: string; params: { message: string } }];
    expect(request).toMatchObject({
      method: "elicitation/create",
      params: { message: "What is your name?" },
    });
    expect(typeof result.requestState).toBe("string");
    expect(result.requestState).not.toContain(UPSTREAM_STATE);
    // voidmcp's own form: signed claims naming the waiting call, not the upstream's state.
    const claims = Buffer.from(result.requestState.split(".")[0] ?? "", "base64url").toString("utf8");
    expect(JSON.parse(claims)).toMatchObject({ method: "tools/call" });
    expect(claims).not.toContain(UPSTREAM_STATE);

    const done = await rawCall(2, {
      name: "modern__ask_name",
      arguments: {},
      inputResponses: { [key]: { action: "accept", content: { name: "Raw" } } },
      requestState: result.requestState,
    });
    expect(done.error).toBeUndefined();
    expect(textOf(done.result as { content?: unknown })).toBe("Hello, Raw (state echoed)");
  });
});

describe("modern client → voidmcp serve (stdio) → modern upstream", () => {
  let temp: TempDir;
  let session: GatewaySession;
  let wire: Wire;

  beforeAll(async () => {
    temp = await registry();
    session = await connectGateway(temp.registry, {
      env: { XDG_STATE_HOME: temp.dir, HOME: temp.dir },
      capabilities: { capabilities: CAPABILITIES, versionNegotiation: PIN },
    });
    equip(session.client);
    wire = watch(session.transport);
  });

  afterAll(async () => {
    await session?.close();
    await temp?.cleanup();
  });

  sharedCases(() => ({ client: session.client, stderr: () => session.stderr(), wire }));
});
