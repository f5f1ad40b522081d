/**
 * `voidmcp serve --http` end to end: the built CLI listening on 127.0.0.1, reached by the SDK's
 * Streamable HTTP client, by the MCP Inspector CLI in URL mode, and by raw node:http requests for
 * what a polite client never sends. Upstreams are real stdio servers (the fixture and
 * server-everything). Relay features (list_changed, cancellation, progress, server-to-client
 * requests) are in http-relay.test.ts; many sessions and stdio+HTTP in one process in
 * http-sessions.test.ts.
 */
import { readFile } from "node:fs/promises";
import { Agent } from "node:http";
import { createServer, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure, modeOf } from "./cli-support.js";
import {
  EVERYTHING,
  fixtureEntry,
  runCli,
  runInspector,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";
import {
  connectHttp,
  deleteRawSession,
  type HttpGateway,
  INITIALIZE,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rawRequest,
  rpc,
  startHttpGateway,
} from "./http-support.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** runCli inherits the test's environment: make sure a developer's own token does not leak in. */
const NO_ENV_TOKEN = { VOIDMCP_TOKEN: "" };

let temp: TempDir;
let gateway: HttpGateway;
let token: string;

beforeAll(async () => {
  temp = await tempRegistry({
    mcpServers: {
      fixture: fixtureEntry(),
      everything: { command: process.execPath, args: [EVERYTHING] },
    },
  });
  gateway = await startHttpGateway(temp.registry);
  token = (await readFile(join(temp.dir, "token"), "utf8")).trim();
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await temp?.cleanup();
});

describe("serve --http: startup line, token and auth", () => {
  it("prints the URL on 127.0.0.1 and where the token is", () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(gateway.port).toBeGreaterThan(0);
    expect(gateway.auth).toBe(`bearer token in ${join(temp.dir, "token")} (voidmcp token)`);
  });

  it("makes the token file beside the registry with mode 0600, and `voidmcp token` prints that token", async () => {
    expect(token).toMatch(/^[0-9a-f]{32,}$/);
    expect(await modeOf(join(temp.dir, "token"))).toBe(0o600);
    const printed = await runCli(["token", "--config", temp.registry], { env: NO_ENV_TOKEN });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(`${token}\n`);
    // …and it is the token the running server expects.
    const http = await connectHttp(gateway.url, { token: printed.stdout.trim() });
    try {
      expect(await http.client.ping()).toEqual({});
    } finally {
      await http.close();
    }
  });

  it("refuses a request without a token: 401 with WWW-Authenticate and a JSON-RPC error", async () => {
    const response = await rawRequest(gateway.url, { headers: mcpHeaders(undefined), body: INITIALIZE });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    const [message] = messagesOf(response);
    expect(message?.error?.message).toContain("voidmcp token");
    // GET and DELETE are guarded too, not only POST.
    for (const method of ["GET", "DELETE"]) {
      const other = await rawRequest(gateway.url, {
        method,
        headers: { accept: "text/event-stream", "mcp-session-id": "whatever" },
      });
      expect(other.status, method).toBe(401);
    }
    await expect(connectHttp(gateway.url)).rejects.toThrow();
  });

  it("refuses a wrong token, and the right token without the Bearer scheme, with 401", async () => {
    const wrong = await rawRequest(gateway.url, {
      headers: mcpHeaders(`${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`),
      body: INITIALIZE,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    const noScheme = await rawRequest(gateway.url, {
      headers: { ...mcpHeaders(undefined), authorization: token },
      body: INITIALIZE,
    });
    expect(noScheme.status).toBe(401);
    await expect(connectHttp(gateway.url, { token: "not-the-token" })).rejects.toThrow();
  });

  it("accepts the right token: tools of the stdio fixture and of server-everything are listed and called", async () => {
    const http = await connectHttp(gateway.url, { token });
    try {
      const names = (await http.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining([
          "search",
          "list_servers",
          "fixture__echo",
          "fixture__add",
          "everything__echo",
        ]),
      );
      const echo = await http.client.callTool({ name: "fixture__echo", arguments: { text: "over http" } });
      expect(textOf(echo)).toBe("over http");
      const add = await http.client.callTool({ name: "fixture__add", arguments: { a: 2, b: 40 } });
      expect(add).toMatchObject({ structuredContent: { sum: 42 } });
      const everything = await http.client.callTool({
        name: "everything__echo",
        arguments: { message: "hi" },
      });
      expect(textOf(everything)).toBe("Echo: hi");
      const failed = await http.client.callTool({ name: "fixture__fail", arguments: { message: "nope" } });
      expect(failed).toMatchObject({ isError: true, content: [{ type: "text", text: "nope" }] });
      const resource = await http.client.readResource({ uri: "fixture://hello" });
      expect(JSON.stringify(resource.contents)).toContain("hello from the fixture");
    } finally {
      await http.close();
    }
  });

  it("serves /healthz without a token and counts open sessions", async () => {
    const before = await gateway.health();
    expect(before.status).toBe("ok");
    const session = await openRawSession(gateway.url, token);
    expect((await gateway.health()).sessions).toBe(before.sessions + 1);
    expect(await deleteRawSession(gateway.url, token, session)).toBe(200);
    expect((await gateway.health()).sessions).toBe(before.sessions);
  });
});

describe("serve --http: Host and Origin (DNS rebinding)", () => {
  it("refuses a foreign Origin with 403, even with the right token", async () => {
    const response = await rawRequest(gateway.url, {
      headers: { ...mcpHeaders(token), origin: "http://evil.example" },
      body: INITIALIZE,
    });
    expect(response.status).toBe(403);
    expect(messagesOf(response)[0]?.error?.message).toContain("evil.example");
  });

  it("refuses a foreign Host with 403, even with the right token, on /mcp and /healthz", async () => {
    const response = await rawRequest(gateway.url, {
      headers: { ...mcpHeaders(token), host: `evil.example:${gateway.port}` },
      body: INITIALIZE,
    });
    expect(response.status).toBe(403);
    expect(messagesOf(response)[0]?.error?.message).toContain("evil.example");
    const health = await rawRequest(`${gateway.base}/healthz`, {
      headers: { host: `evil.example:${gateway.port}` },
    });
    expect(health.status).toBe(403);
  });

  it("accepts its own origins: 127.0.0.1 and localhost", async () => {
    for (const origin of [gateway.base, `http://localhost:${gateway.port}`]) {
      const response = await rawRequest(gateway.url, {
        headers: { ...mcpHeaders(token), origin, host: new URL(origin).host },
        body: INITIALIZE,
      });
      expect(response.status, origin).toBe(200);
      const session = response.headers["mcp-session-id"];
      expect(typeof session).toBe("string");
      expect(await deleteRawSession(gateway.url, token, session as string)).toBe(200);
    }
  });
});

describe("serve --http: bad input", () => {
  /** A ping whose body is exactly `size` bytes (JSON allows trailing whitespace). */
  function pingOfSize(size: number): Buffer {
    const ping = rpc(1, "ping");
    return Buffer.from(ping + " ".repeat(size - ping.length));
  }

  it("refuses a body over 4 MiB with 413, declared or streamed, keeps the connection, and accepts exactly 4 MiB", async () => {
    // A keep-alive client, as real ones are: the gateway drains the refused body, so the
    // connection survives (a client that sends `Connection: close` sees it closed mid-upload).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const session = await openRawSession(gateway.url, token, agent);
    try {
      const tooBig = pingOfSize(MAX_BODY_BYTES + 1);
      const declared = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: tooBig,
        agent,
      });
      expect(declared.status).toBe(413);
      expect(messagesOf(declared)[0]?.error).toMatchObject({
        code: -32600,
        message: expect.stringContaining(String(MAX_BODY_BYTES)),
      });
      const streamed = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: tooBig,
        chunked: true,
        agent,
      });
      expect(streamed.status).toBe(413);
      expect(streamed.localPort).toBe(declared.localPort);
      // The session was not hurt, and the limit is not off by one.
      const exact = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: pingOfSize(MAX_BODY_BYTES),
        agent,
      });
      expect(exact.status).toBe(200);
      expect(exact.localPort).toBe(declared.localPort);
      expect(messagesOf(exact)).toEqual([{ jsonrpc: "2.0", id: 1, result: {} }]);
    } finally {
      await deleteRawSession(gateway.url, token, session, agent);
      agent.destroy();
    }
  });

  it("answers malformed JSON with a JSON-RPC parse error (-32700) and keeps the connection and the session", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const session = await openRawSession(gateway.url, token, agent);
      const first = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: rpc(1, "ping"),
        agent,
      });
      expect(first.status).toBe(200);
      for (const sessionId of [session, undefined]) {
        const broken = await rawRequest(gateway.url, {
          headers: mcpHeaders(token, sessionId),
          body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"',
          agent,
        });
        expect(broken.status, `session ${sessionId}`).toBe(400);
        expect(messagesOf(broken)[0]?.error?.code, `session ${sessionId}`).toBe(-32700);
        // Same TCP connection, still served.
        expect(broken.localPort).toBe(first.localPort);
      }
      const after = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: rpc(3, "tools/call", { name: "fixture__echo", arguments: { text: "still here" } }),
        agent,
      });
      expect(after.status).toBe(200);
      expect(after.localPort).toBe(first.localPort);
      expect(messagesOf(after).find((m) => m.id === 3)?.result).toMatchObject({
        content: [{ type: "text", text: "still here" }],
      });
      expect(await deleteRawSession(gateway.url, token, session, agent)).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it("answers JSON that is not JSON-RPC with a JSON-RPC error (400), and the session keeps serving", async () => {
    // Outside a session the gateway answers -32600 (invalid request) itself. Inside one, the
    // SDK's transport answers; SDK 2.4 calls it "-32700 Parse error: Invalid JSON-RPC message".
    const noSession = await rawRequest(gateway.url, {
      headers: mcpHeaders(token),
      body: '{"hello":"world"}',
    });
    expect(noSession.status).toBe(400);
    expect(messagesOf(noSession)[0]?.error?.code).toBe(-32600);
    const session = await openRawSession(gateway.url, token);
    try {
      for (const body of ['{"hello":"world"}', "42", '{"jsonrpc":"2.0","id":1}']) {
        const response = await rawRequest(gateway.url, { headers: mcpHeaders(token, session), body });
        expect(response.status, body).toBe(400);
        expect([-32600, -32700], body).toContain(messagesOf(response)[0]?.error?.code);
      }
      const ping = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: rpc(9, "ping"),
      });
      expect(messagesOf(ping)).toEqual([{ jsonrpc: "2.0", id: 9, result: {} }]);
    } finally {
      await deleteRawSession(gateway.url, token, session);
    }
  });

  it("answers an unknown method in a session with -32601 method not found, and keeps serving", async () => {
    const session = await openRawSession(gateway.url, token);
    try {
      const response = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: rpc(7, "voidmcp/no-such-method", {}),
      });
      expect(response.status).toBe(200);
      expect(messagesOf(response)).toEqual([
        { jsonrpc: "2.0", id: 7, error: expect.objectContaining({ code: -32601 }) },
      ]);
      const ping = await rawRequest(gateway.url, {
        headers: mcpHeaders(token, session),
        body: rpc(8, "ping"),
      });
      expect(messagesOf(ping)).toEqual([{ jsonrpc: "2.0", id: 8, result: {} }]);
    } finally {
      await deleteRawSession(gateway.url, token, session);
    }
  });

  it("answers other paths with 404 and points at /mcp", async () => {
    const response = await rawRequest(`${gateway.base}/nope`, {
      headers: mcpHeaders(token),
      body: INITIALIZE,
    });
    expect(response.status).toBe(404);
    expect(messagesOf(response)[0]?.error?.message).toContain("/mcp");
  });
});

describe("serve --http: sessions", () => {
  it("answers an unknown session id with 404, for POST, GET and DELETE", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const post = await rawRequest(gateway.url, { headers: mcpHeaders(token, unknown), body: rpc(1, "ping") });
    expect(post.status).toBe(404);
    expect(messagesOf(post)[0]?.error?.message).toMatch(/session/i);
    const get = await rawRequest(gateway.url, {
      headers: { ...mcpHeaders(token, unknown), accept: "text/event-stream" },
    });
    expect(get.status).toBe(404);
    expect(await deleteRawSession(gateway.url, token, unknown)).toBe(404);
  });

  it("DELETE ends a session: its id is 404 afterwards, and a second DELETE too", async () => {
    const before = (await gateway.health()).sessions;
    const session = await openRawSession(gateway.url, token);
    const ping = await rawRequest(gateway.url, { headers: mcpHeaders(token, session), body: rpc(1, "ping") });
    expect(ping.status).toBe(200);
    expect(await deleteRawSession(gateway.url, token, session)).toBe(200);
    const after = await rawRequest(gateway.url, {
      headers: mcpHeaders(token, session),
      body: rpc(2, "ping"),
    });
    expect(after.status).toBe(404);
    expect(await deleteRawSession(gateway.url, token, session)).toBe(404);
    expect((await gateway.health()).sessions).toBe(before);
  });

  it("the SDK client's terminateSession ends its session on the server", async () => {
    const before = (await gateway.health()).sessions;
    const http = await connectHttp(gateway.url, { token });
    const id = http.transport.sessionId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await gateway.health()).sessions).toBe(before + 1);
    await http.close();
    expect((await gateway.health()).sessions).toBe(before);
    const stale = await rawRequest(gateway.url, { headers: mcpHeaders(token, id), body: rpc(1, "ping") });
    expect(stale.status).toBe(404);
  });

  it("GET opens the server's SSE stream (text/event-stream), one per session; DELETE ends it", async () => {
    const session = await openRawSession(gateway.url, token);
    const controller = new AbortController();
    try {
      const stream = await fetch(gateway.url, {
        headers: { ...mcpHeaders(token, session), accept: "text/event-stream" },
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toContain("text/event-stream");
      expect(stream.headers.get("mcp-session-id")).toBe(session);
      // The headers came while the stream stays open (nothing to send yet).
      const second = await rawRequest(gateway.url, {
        headers: { ...mcpHeaders(token, session), accept: "text/event-stream" },
      });
      expect(second.status).toBe(409);
      const ended = stream.text().then(() => "ended");
      expect(await deleteRawSession(gateway.url, token, session)).toBe(200);
      const timeout = new Promise((resolve) => setTimeout(() => resolve("still open"), 10_000));
      expect(await Promise.race([ended, timeout])).toBe("ended");
    } finally {
      controller.abort();
    }
  });

  it("GET without a session id is a 400 that says to initialize", async () => {
    const response = await rawRequest(gateway.url, {
      headers: { ...mcpHeaders(token), accept: "text/event-stream" },
    });
    expect(response.status).toBe(400);
    expect(messagesOf(response)[0]?.error?.message).toContain("initialize");
  });
});

/**
 * inspector-cli 1.0.3 resolves its own package.json against the working directory, so it runs
 * from its build folder; `--header` passes the token.
 */
function inspect(url: string, ...args: string[]) {
  return runInspector([url, "--transport", "http", ...args]);
}

describe("serve --http: the MCP Inspector CLI in URL mode", () => {
  it("lists the gateway's tools with the token in --header", async () => {
    const { code, json, stderr } = await inspect(
      gateway.url,
      "--header",
      `Authorization: Bearer ${token}`,
      "--method",
      "tools/list",
    );
    expect(code, stderr).toBe(0);
    const names = (json as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["search", "fixture__echo", "everything__get-sum"]));
  });

  it("calls upstream tools of both servers", async () => {
    const add = await inspect(
      gateway.url,
      "--header",
      `Authorization: Bearer ${token}`,
      "--method",
      "tools/call",
      "--tool-name",
      "fixture__add",
      "--tool-arg",
      "a=2",
      "--tool-arg",
      "b=3",
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.json).toMatchObject({ content: [{ type: "text", text: "5" }], structuredContent: { sum: 5 } });
    const sum = await inspect(
      gateway.url,
      "--header",
      `Authorization: Bearer ${token}`,
      "--method",
      "tools/call",
      "--tool-name",
      "everything__get-sum",
      "--tool-arg",
      "a=4",
      "--tool-arg",
      "b=5",
    );
    expect(sum.code, sum.stderr).toBe(0);
    expect(JSON.stringify(sum.json)).toContain("The sum of 4 and 5 is 9.");
  });

  it("fails without the token", async () => {
    const { code, json } = await inspect(gateway.url, "--method", "tools/list");
    expect(code).not.toBe(0);
    expect(json).toBeUndefined();
  });
});

/**
 * Addresses to try --host with, as [host, hostname in the printed URL]: the IPv4 wildcard always,
 * and the IPv6 loopback and wildcard and one address of each family that is not loopback when the
 * machine has them.
 */
function hostCases(): Array<[string, string]> {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const cases: Array<[string, string]> = [["0.0.0.0", "127.0.0.1"]];
  if (all.some((a) => a.family === "IPv6" && a.address === "::1")) {
    cases.push(["::1", "[::1]"], ["::", "[::1]"]);
  }
  const v4 = all.find((a) => a.family === "IPv4" && !a.internal);
  if (v4) cases.push([v4.address, v4.address]);
  // Link-local addresses need a zone id, which a URL cannot carry portably: skip them.
  const v6 = all.find((a) => a.family === "IPv6" && !a.internal && !a.address.startsWith("fe80:"));
  if (v6) cases.push([v6.address, `[${v6.address}]`]);
  return cases;
}

describe("serve --http: other ways to start", () => {
  it("--no-auth serves without a token and says so", async () => {
    const own = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
    const open = await startHttpGateway(own.registry, { args: ["--no-auth"] });
    try {
      expect(open.auth).toBe("no auth (--no-auth)");
      const http = await connectHttp(open.url);
      try {
        const echo = await http.client.callTool({ name: "fixture__echo", arguments: { text: "open" } });
        expect(textOf(echo)).toBe("open");
      } finally {
        await http.close();
      }
      const inspector = await inspect(open.url, "--method", "tools/list");
      expect(inspector.code, inspector.stderr).toBe(0);
    } finally {
      await open.stop();
      await own.cleanup();
    }
  });

  it("VOIDMCP_TOKEN overrides the token file, for the server and for `voidmcp token`", async () => {
    const own = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
    const fromEnv = "token-from-the-environment-0123456789";
    const printedFile = await runCli(["token", "--config", own.registry], { env: NO_ENV_TOKEN });
    expect(printedFile.code, printedFile.stderr).toBe(0);
    const fileToken = printedFile.stdout.trim();
    const server = await startHttpGateway(own.registry, { env: { VOIDMCP_TOKEN: fromEnv } });
    try {
      expect(server.auth).toBe("bearer token from VOIDMCP_TOKEN");
      const printed = await runCli(["token", "--config", own.registry], { env: { VOIDMCP_TOKEN: fromEnv } });
      expect(printed.stdout).toBe(`${fromEnv}\n`);
      const http = await connectHttp(server.url, { token: printed.stdout.trim() });
      try {
        expect(await http.client.ping()).toEqual({});
      } finally {
        await http.close();
      }
      const withFileToken = await rawRequest(server.url, {
        headers: mcpHeaders(fileToken),
        body: INITIALIZE,
      });
      expect(withFileToken.status).toBe(401);
    } finally {
      await server.stop();
      await own.cleanup();
    }
  });

  it.each(hostCases())("--host %s prints a URL (%s) that a client can use", async (host, shown) => {
    const own = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
    const server = await startHttpGateway(own.registry, {
      args: ["--host", host],
      env: { VOIDMCP_TOKEN: "t" },
    });
    try {
      expect(new URL(server.url).hostname).toBe(shown);
      const http = await connectHttp(server.url, { token: "t" });
      try {
        const echo = await http.client.callTool({ name: "fixture__echo", arguments: { text: host } });
        expect(textOf(echo)).toBe(host);
      } finally {
        await http.close();
      }
    } finally {
      await server.stop();
      await own.cleanup();
    }
  });

  it("a port in use is a clear error with exit code 2", async () => {
    const own = await tempRegistry({ mcpServers: {} });
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const result = await runCli(["serve", "--http", "--port", String(port), "--config", own.registry], {
        env: NO_ENV_TOKEN,
      });
      expectFailure(result, 2, `127.0.0.1:${port} is already in use`);
      expect(result.stderr).toContain("--port");
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      await own.cleanup();
    }
  });

  it("--port, --host and --no-auth without --http are usage errors (exit 2)", async () => {
    const own = await tempRegistry({ mcpServers: {} });
    try {
      for (const args of [["--port", "7421"], ["--host", "127.0.0.1"], ["--no-auth"]]) {
        const result = await runCli(["serve", ...args, "--config", own.registry], { env: NO_ENV_TOKEN });
        expectFailure(result, 2, "need --http");
      }
      const bad = await runCli(["serve", "--http", "--port", "70000", "--config", own.registry], {
        env: NO_ENV_TOKEN,
      });
      expectFailure(bad, 2, "--port must be a port number");
    } finally {
      await own.cleanup();
    }
  });
});
