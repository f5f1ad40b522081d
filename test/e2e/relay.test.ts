/**
 * The protocol relayed through `voidmcp serve` (stdio): server-to-client requests (sampling,
 * elicitation, roots) reach the client that made the call, with the upstream seeing only the
 * capabilities that client declared; progress, log messages, completions, subscriptions and
 * cancellation pass both ways. Real fixture and server-everything upstreams, the SDK client.
 */
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

const CAPABILITIES = {
  capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
};

let temp: TempDir;
let session: GatewaySession;
const sampled: unknown[] = [];
const logs: Array<{ level?: string; logger?: string; data?: unknown }> = [];
const updated: string[] = [];

beforeAll(async () => {
  temp = await tempRegistry({
    expose: "direct",
    mcpServers: { fixture: fixtureEntry(), everything: { command: process.execPath, args: [EVERYTHING] } },
  });
  session = await connectGateway(temp.registry, { capabilities: CAPABILITIES });
  const { client } = session;
  client.setRequestHandler("sampling/createMessage", async (request) => {
    sampled.push(request.params);
    return {
      model: "e2e-model",
      role: "assistant",
      content: { type: "text", text: "sampled by the e2e client" },
    };
  });
  client.setRequestHandler("elicitation/create", async () => ({
    action: "accept",
    content: { name: "Ada", confirm: true },
  }));
  client.setRequestHandler("roots/list", async () => ({
    roots: [{ uri: "file:///work/project", name: "project" }],
  }));
  client.setNotificationHandler("notifications/message", (n) => {
    logs.push(n.params as (typeof logs)[number]);
  });
  client.setNotificationHandler("notifications/resources/updated", (n) => {
    updated.push(String((n.params as { uri: string }).uri));
  });
});

afterAll(async () => {
  await session?.close();
  await temp?.cleanup();
});

describe("server-to-client requests", () => {
  it("sampling from an upstream tool reaches the calling client and its answer goes back", async () => {
    const result = await session.client.callTool({
      name: "fixture__sample",
      arguments: { prompt: "say hi" },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain("sampled by the e2e client");
    expect(JSON.stringify(sampled.at(-1))).toContain("say hi");
  });

  it("elicitation round trips", async () => {
    const result = await session.client.callTool({ name: "fixture__elicit", arguments: {} });
    expect(JSON.parse(textOf(result))).toMatchObject({
      action: "accept",
      content: { name: "Ada", confirm: true },
    });
  });

  it("the upstream sees the client's capabilities: server-everything offers its extra tools", async () => {
    const { tools } = await session.client.listTools();
    const everything = tools.filter((t) => t.name.startsWith("everything__"));
    expect(everything.length).toBeGreaterThan(13);
  });
});

describe("notifications and requests passed through", () => {
  it("progress reaches the caller under its own progress token", async () => {
    const seen: number[] = [];
    const result = await session.client.callTool(
      { name: "fixture__progress", arguments: { steps: 3, delayMs: 20 } },
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(textOf(result)).toBe("completed 3 steps");
    expect(seen).toEqual([1, 2, 3]);
  });

  it("log messages of an upstream reach the client, named by their logger", async () => {
    await session.client.setLoggingLevel("debug");
    const before = logs.length;
    await session.client.callTool({ name: "fixture__test_tool_with_logging", arguments: {} });
    expect(await eventually(() => logs.length >= before + 3)).toBe(true);
    expect(logs.slice(before).map((l) => l.data)).toEqual(
      expect.arrayContaining(["Tool execution started", "Tool processing data", "Tool execution completed"]),
    );
  });

  it("completion/complete is routed to the prompt's server under its upstream name", async () => {
    const result = await session.client.complete({
      ref: { type: "ref/prompt", name: "fixture__test_prompt_with_arguments" },
      argument: { name: "arg1", value: "" },
    });
    expect(Array.isArray(result.completion.values)).toBe(true);
    expect(result.completion.values.length).toBeGreaterThan(0);
  });

  it("resources/subscribe passes through and resources/updated comes back", async () => {
    await session.client.subscribeResource({ uri: "test://watched-resource" });
    await session.client.callTool({
      name: "fixture__touch_resource",
      arguments: { uri: "test://watched-resource" },
    });
    expect(await eventually(() => updated.includes("test://watched-resource"))).toBe(true);
    await session.client.unsubscribeResource({ uri: "test://watched-resource" });
  });

  it("ping is answered", async () => {
    await expect(session.client.ping()).resolves.toBeDefined();
  });

  it("cancelling a call cancels it upstream", async () => {
    const controller = new AbortController();
    const call = session.client.callTool(
      { name: "fixture__slow", arguments: { ms: 30_000 } },
      { signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await expect(call).rejects.toThrow();
    expect(await eventually(() => /\[fixture\].*cancel/i.test(session.stderr()))).toBe(true);
  });
});

describe("a client without those capabilities", () => {
  it("is not asked: the upstream is told the client cannot sample, and says so", async () => {
    const own = await tempRegistry({ expose: "direct", mcpServers: { fixture: fixtureEntry() } });
    const plain = await connectGateway(own.registry);
    try {
      const result = await plain.client.callTool({ name: "fixture__sample", arguments: { prompt: "x" } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/sampling failed/);
    } finally {
      await plain.close();
      await own.cleanup();
    }
  });
});
