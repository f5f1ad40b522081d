/**
 * The protocol relay over `voidmcp serve --http`: what an upstream does in the middle of a call
 * (progress, sampling, elicitation), what the client does to a call (cancel it, drop the
 * connection), and list changes announced to every connected HTTP client. Upstream: the stdio
 * fixture. Clients: the SDK's Streamable HTTP client and raw node:http requests.
 */
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, fixtureEntry, type TempDir, tempRegistry, textOf } from "./harness.js";
import {
  connectHttp,
  deleteRawSession,
  type HttpClient,
  type HttpGateway,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rawRequest,
  rpc,
  startHttpGateway,
} from "./http-support.js";

/**
 * How long a test lets a `slow` call travel to the fixture before cancelling it (the fixture
 * only logs a cancellation of a call it received). Generous for a loaded machine.
 */
const CALL_UNDER_WAY_MS = 1_000;

const registryWith = (servers: Record<string, unknown>) => ({ expose: "direct", mcpServers: servers });

let temp: TempDir;
let gateway: HttpGateway;
let token: string;

beforeAll(async () => {
  temp = await tempRegistry(registryWith({ fixture: fixtureEntry() }));
  gateway = await startHttpGateway(temp.registry, { env: { VOIDMCP_TOKEN: "relay-test-token" } });
  token = "relay-test-token";
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await temp?.cleanup();
});

/** How many times the fixture behind the gateway has logged that a `slow` call was cancelled. */
function cancelLines(): number {
  return gateway.stderr().match(/\[fixture\].*slow: cancelled/g)?.length ?? 0;
}

describe("serve --http: cancellation", () => {
  it("a client that drops the connection mid-call gets its upstream call cancelled", async () => {
    const session = await openRawSession(gateway.url, token);
    try {
      const before = cancelLines();
      const controller = new AbortController();
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: mcpHeaders(token, session),
        body: rpc(1, "tools/call", { name: "fixture__slow", arguments: { ms: 60_000 } }),
        signal: controller.signal,
      });
      // The SSE answer's headers come at once; the call is now on its way to the fixture.
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      await new Promise((resolve) => setTimeout(resolve, CALL_UNDER_WAY_MS));
      controller.abort();
      // The gateway first gives the client a few seconds to resume the stream (next test).
      expect(await eventually(() => cancelLines() > before, 15_000), gateway.stderr()).toBe(true);
      // The session outlives the dropped request.
      const echo = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: rpc(2, "tools/call", { name: "fixture__echo", arguments: { text: "after" } }),
      });
      expect(messagesOf(echo).find((m) => m.id === 2)?.result).toMatchObject({
        content: [{ type: "text", text: "after" }],
      });
    } finally {
      await deleteRawSession(gateway.url, token, session);
    }
  });

  it("a client that drops a call's stream and resumes it (Last-Event-ID) gets the answer, uncancelled", async () => {
    // Resumable streams need protocol 2025-11-25 or later (the priming event carries an id).
    const session = await openRawSession(gateway.url, token, undefined, "2025-11-25");
    const headers = { ...mcpHeaders(token, session), "mcp-protocol-version": "2025-11-25" };
    try {
      const before = cancelLines();
      const controller = new AbortController();
      const response = await fetch(gateway.url, {
        method: "POST",
        headers,
        body: rpc(1, "tools/call", { name: "fixture__slow", arguments: { ms: 1_500 } }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      const first = await reader?.read();
      const eventId = /^id: (\S+)$/m.exec(new TextDecoder().decode(first?.value))?.[1];
      expect(eventId, "the priming event's id").toBeDefined();
      controller.abort();
      const resumed = await rawRequest(gateway.url, {
        headers: { ...headers, accept: "text/event-stream", "last-event-id": eventId as string },
      });
      expect(resumed.status).toBe(200);
      expect(messagesOf(resumed).find((m) => m.id === 1)?.result).toMatchObject({
        content: [{ type: "text", text: "done after 1500 ms" }],
      });
      expect(cancelLines()).toBe(before);
    } finally {
      await deleteRawSession(gateway.url, token, session);
    }
  });

  it("a client that cancels a call (notifications/cancelled) gets the upstream call cancelled", async () => {
    const http = await connectHttp(gateway.url, { token });
    try {
      const before = cancelLines();
      const controller = new AbortController();
      const call = http.client.callTool(
        { name: "fixture__slow", arguments: { ms: 60_000 } },
        { signal: controller.signal },
      );
      await new Promise((resolve) => setTimeout(resolve, CALL_UNDER_WAY_MS));
      controller.abort("the user pressed stop");
      await expect(call).rejects.toThrow();
      expect(await eventually(() => cancelLines() > before, 10_000), gateway.stderr()).toBe(true);
      const echo = await http.client.callTool({ name: "fixture__echo", arguments: { text: "next" } });
      expect(textOf(echo)).toBe("next");
    } finally {
      await http.close();
    }
  });

  it("ending the session (DELETE) mid-call cancels the upstream call", async () => {
    const session = await openRawSession(gateway.url, token);
    const before = cancelLines();
    const controller = new AbortController();
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: mcpHeaders(token, session),
      body: rpc(1, "tools/call", { name: "fixture__slow", arguments: { ms: 60_000 } }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, CALL_UNDER_WAY_MS));
    try {
      expect(await deleteRawSession(gateway.url, token, session)).toBe(200);
      expect(await eventually(() => cancelLines() > before, 10_000), gateway.stderr()).toBe(true);
    } finally {
      controller.abort();
    }
  });
});

describe("serve --http: progress", () => {
  it("relays progress notifications with the caller's own progress token", async () => {
    const session = await openRawSession(gateway.url, token);
    try {
      const response = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: "call-1",
          method: "tools/call",
          params: {
            name: "fixture__progress",
            arguments: { steps: 3, delayMs: 20 },
            _meta: { progressToken: "caller-token-7" },
          },
        }),
      });
      expect(response.status).toBe(200);
      const messages = messagesOf(response);
      const progress = messages.filter((m) => m.method === "notifications/progress").map((m) => m.params);
      expect(progress).toEqual(
        [1, 2, 3].map((step) =>
          expect.objectContaining({ progressToken: "caller-token-7", progress: step, total: 3 }),
        ),
      );
      expect(messages.find((m) => m.id === "call-1")?.result).toMatchObject({
        content: [{ type: "text", text: "completed 3 steps" }],
      });
    } finally {
      await deleteRawSession(gateway.url, token, session);
    }
  });

  it("the SDK client's onprogress sees every step of an upstream call", async () => {
    const http = await connectHttp(gateway.url, { token });
    try {
      const seen: number[] = [];
      const result = await http.client.callTool(
        { name: "fixture__progress", arguments: { steps: 4, delayMs: 20 } },
        { onprogress: (p) => seen.push(p.progress) },
      );
      expect(textOf(result)).toBe("completed 4 steps");
      expect(seen).toEqual([1, 2, 3, 4]);
    } finally {
      await http.close();
    }
  });
});

/** A client that can sample and elicit; it records which requests it was asked. */
async function capableClient(url: string, name: string, asked: string[]): Promise<HttpClient> {
  const http = await connectHttp(url, {
    token,
    name,
    capabilities: { capabilities: { sampling: {}, elicitation: { form: {} } } },
  });
  http.client.setRequestHandler("sampling/createMessage", (request) => {
    const first = request.params.messages[0]?.content;
    const prompt = first && !Array.isArray(first) && first.type === "text" ? first.text : "";
    asked.push(`sample:${prompt}`);
    return {
      model: `model-of-${name}`,
      role: "assistant",
      content: { type: "text", text: `${name} answers "${prompt}"` },
    };
  });
  http.client.setRequestHandler("elicitation/create", (request) => {
    asked.push(`elicit:${request.params.message}`);
    return { action: "accept", content: { name: `${name}-user`, confirm: true } };
  });
  return http;
}

describe("serve --http: server-to-client requests", () => {
  // A gateway of their own, whose first client can sample and elicit (see the skipped test below
  // for a first client that cannot).
  let own: TempDir;
  let ownGateway: HttpGateway;
  let alice: HttpClient;
  let bob: HttpClient;
  const askedAlice: string[] = [];
  const askedBob: string[] = [];

  beforeAll(async () => {
    own = await tempRegistry(registryWith({ fixture: fixtureEntry() }));
    ownGateway = await startHttpGateway(own.registry, { env: { VOIDMCP_TOKEN: token } });
    alice = await capableClient(ownGateway.url, "alice", askedAlice);
    bob = await capableClient(ownGateway.url, "bob", askedBob);
  }, 60_000);

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await ownGateway?.stop();
    await own?.cleanup();
  });

  it("sampling: the fixture's createMessage reaches the calling client only, and its answer comes back", async () => {
    const result = await alice.client.callTool({
      name: "fixture__sample",
      arguments: { prompt: "what is 2+2?" },
    });
    expect(result.isError ?? false, textOf(result)).toBe(false);
    expect(textOf(result)).toBe('alice answers "what is 2+2?"');
    expect(askedAlice).toEqual(["sample:what is 2+2?"]);
    expect(askedBob).toEqual([]);
    const fromBob = await bob.client.callTool({ name: "fixture__sample", arguments: { prompt: "and 3+3?" } });
    expect(textOf(fromBob)).toBe('bob answers "and 3+3?"');
    expect(askedAlice).toEqual(["sample:what is 2+2?"]);
  });

  it("elicitation: the fixture's form reaches the calling client only, and its answer comes back", async () => {
    const result = await bob.client.callTool({
      name: "fixture__elicit",
      arguments: { message: "Who are you?" },
    });
    expect(result.isError ?? false, textOf(result)).toBe(false);
    expect(JSON.parse(textOf(result))).toEqual({
      action: "accept",
      content: { name: "bob-user", confirm: true },
    });
    expect(askedBob).toContain("elicit:Who are you?");
    expect(askedAlice.filter((a) => a.startsWith("elicit:"))).toEqual([]);
  });

  it("a call inside execute_code is relayed to the client whose script made it, and to no other", async () => {
    askedAlice.length = 0;
    askedBob.length = 0;
    const progress: Array<{ progress: number; message?: string }> = [];
    const result = await alice.client.callTool(
      {
        name: "execute_code",
        arguments: {
          code: `
            const answer = await tools.fixture.elicit({ message: "asked by a script" });
            const sample = await tools.fixture.sample({ prompt: "sampled by a script" });
            await tools.fixture.progress({ steps: 2, delayMs: 10 });
            return { answer, sample };`,
        },
      },
      { onprogress: (p) => progress.push(p) },
    );
    expect(result.isError ?? false, textOf(result)).toBe(false);
    expect(askedAlice).toEqual(["elicit:asked by a script", "sample:sampled by a script"]);
    expect(askedBob).toEqual([]);
    expect(JSON.parse(textOf(result)).sample).toBe('alice answers "sampled by a script"');
    // The script's calls report progress as one rising count on the execute_code call.
    expect(progress.map((p) => p.progress)).toEqual([1, 2]);
    expect(progress[1]?.message).toContain("fixture.progress");
  });

  it("a client that declared neither gets a tool error, not a hang", async () => {
    const plain = await connectHttp(ownGateway.url, { token, name: "plain" });
    try {
      const sample = await plain.client.callTool({ name: "fixture__sample", arguments: { prompt: "hi" } });
      expect(sample.isError).toBe(true);
      const elicit = await plain.client.callTool({ name: "fixture__elicit", arguments: {} });
      expect(elicit.isError).toBe(true);
    } finally {
      await plain.close();
    }
  });

  // Behind the HTTP front, upstreams are told every relayable capability, so the first client
  // to connect does not decide for the ones after it.
  it("a capable client that connects after one without sampling/elicitation still gets both", async () => {
    const plain = await connectHttp(gateway.url, { token, name: "plain-first" });
    await plain.client.listTools();
    const asked: string[] = [];
    const later = await capableClient(gateway.url, "later", asked);
    try {
      const sample = await later.client.callTool({ name: "fixture__sample", arguments: { prompt: "late" } });
      expect(textOf(sample)).toBe('later answers "late"');
      const elicit = await later.client.callTool({ name: "fixture__elicit", arguments: { message: "hm?" } });
      expect(JSON.parse(textOf(elicit))).toMatchObject({ action: "accept" });
      expect(asked).toEqual(["sample:late", "elicit:hm?"]);
    } finally {
      await later.close();
      await plain.close();
    }
  });
});

describe("serve --http: list_changed", () => {
  it("a server added by editing the registry is announced to two HTTP clients at once", async () => {
    const clients = [await connectHttp(gateway.url, { token }), await connectHttp(gateway.url, { token })];
    try {
      const changed = [0, 0];
      clients.forEach((http, index) => {
        http.client.setNotificationHandler("notifications/tools/list_changed", () => {
          changed[index] = (changed[index] ?? 0) + 1;
        });
        // The notification travels on the GET stream the SDK client opens after initialize.
      });
      for (const http of clients) {
        expect((await http.client.listTools()).tools.map((t) => t.name)).not.toContain("beta__echo");
      }
      await writeFile(
        temp.registry,
        JSON.stringify(registryWith({ fixture: fixtureEntry(), beta: fixtureEntry("--name", "beta") })),
      );
      expect(await eventually(() => changed.every((n) => n > 0), 15_000), JSON.stringify(changed)).toBe(true);
      for (const http of clients) {
        const names = (await http.client.listTools()).tools.map((t) => t.name);
        expect(names).toContain("beta__echo");
        const echo = await http.client.callTool({ name: "beta__echo", arguments: { text: "new" } });
        expect(textOf(echo)).toBe("new");
      }
    } finally {
      for (const http of clients) await http.close();
      await writeFile(temp.registry, JSON.stringify(registryWith({ fixture: fixtureEntry() })));
    }
  });
});
