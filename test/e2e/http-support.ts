/**
 * What the HTTP end-to-end tests share on top of harness.ts: `voidmcp serve --http` started from
 * the built CLI as a user would (the URL read from its startup line), SDK clients over Streamable
 * HTTP, and raw requests on node:http for what a well-behaved client never sends (foreign Host,
 * oversize and malformed bodies, dropped connections). Everything runs on 127.0.0.1.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { type Agent, type IncomingHttpHeaders, request } from "node:http";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { CLI } from "./harness.js";

/** The protocol version the raw requests speak (any version the SDK server supports would do). */
export const PROTOCOL_VERSION = "2025-06-18";

/** `voidmcp: serving N server(s) at http://host:port/mcp (auth)`: the contract of the startup line. */
const STARTUP_LINE = /^voidmcp: serving (\d+) server\(s\) at (http:\/\/\S+\/mcp) \((.+)\)$/m;

export interface HttpGateway {
  /** `http://127.0.0.1:PORT/mcp`, from the startup line. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly port: number;
  /** What the startup line says about auth, e.g. `bearer token in /tmp/…/token (voidmcp token)`. */
  readonly auth: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the gateway wrote to stderr so far. */
  stderr(): string;
  /** GET /healthz (no token needed). */
  health(): Promise<{ status: string; sessions: number }>;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra arguments after `serve --http --port 0 --config <registry>`. */
  readonly args?: readonly string[];
  /** Environment on top of the test's; VOIDMCP_TOKEN is removed unless given here. */
  readonly env?: Record<string, string>;
  /** Replaces `--port 0`. */
  readonly port?: number;
}

/** The environment a spawned gateway gets: the test's own, minus a token the developer may have set. */
export function gatewayEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== "VOIDMCP_TOKEN") env[name] = value;
  }
  return { ...env, VOIDMCP_LOG_LEVEL: "info", ...extra };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts `node dist/src/cli/main.js serve --http --port 0 --config registry …` and waits for its URL. */
export function startHttpGateway(registry: string, options: StartOptions = {}): Promise<HttpGateway> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      "serve",
      "--http",
      "--port",
      String(options.port ?? 0),
      "--config",
      registry,
      ...(options.args ?? []),
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: gatewayEnv(options.env) },
  );
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`voidmcp serve --http printed no startup line within 30 s; stderr:\n${stderr}`));
    }, 30_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`voidmcp serve --http exited with ${code} before listening; stderr:\n${stderr}`));
    };
    child.once("exit", onExit);
    child.stderr?.on("data", (chunk: Buffer) => {
      const before = stderr;
      stderr += chunk.toString();
      if (STARTUP_LINE.test(before)) return;
      const match = STARTUP_LINE.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      const url = match[2] as string;
      const parsed = new URL(url);
      const base = parsed.origin;
      resolve({
        url,
        base,
        port: Number(parsed.port),
        auth: match[3] as string,
        pid: child.pid as number,
        child,
        stderr: () => stderr,
        health: async () => {
          const response = await fetch(`${base}/healthz`);
          return (await response.json()) as { status: string; sessions: number };
        },
        stop: () => stopChild(child),
      });
    });
  });
}

export interface HttpClient {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

export interface HttpConnectOptions {
  /** Sent as `Authorization: Bearer <token>`; none when undefined. */
  readonly token?: string;
  readonly capabilities?: ConstructorParameters<typeof Client>[1];
  readonly name?: string;
}

/** Connects an SDK client to the gateway's URL over Streamable HTTP, as an HTTP-speaking IDE would. */
export async function connectHttp(url: string, options: HttpConnectOptions = {}): Promise<HttpClient> {
  const headers: Record<string, string> =
    options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client(
    { name: options.name ?? "voidmcp-http-e2e", version: "1.0.0" },
    options.capabilities,
  );
  await client.connect(transport);
  return {
    client,
    transport,
    close: async () => {
      // DELETE the session first, as a polite client does; close() alone only drops the streams.
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The client side's port: equal ports on one keep-alive agent mean one TCP connection. */
  readonly localPort: number | undefined;
}

export interface RawInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Send the body in chunks without Content-Length (so the server cannot refuse it up front). */
  readonly chunked?: boolean;
  readonly agent?: Agent;
  readonly signal?: AbortSignal;
}

/**
 * One request on node:http, which (unlike fetch) lets a test send any Host header and watch
 * the connection. Resolves when the whole response has arrived.
 */
export function rawRequest(url: string, init: RawInit = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const headers: Record<string, string> = { ...init.headers };
    if (body !== undefined && !init.chunked) headers["content-length"] = String(body.length);
    const req = request(
      url,
      {
        method: init.method ?? (body === undefined ? "GET" : "POST"),
        headers,
        agent: init.agent ?? false,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const localPort = res.socket.localPort;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            localPort,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body !== undefined && init.chunked) {
      const size = 256 * 1024;
      for (let at = 0; at < body.length; at += size) req.write(body.subarray(at, at + size));
      req.end();
    } else {
      req.end(body);
    }
  });
}

export interface JsonRpcMessage {
  readonly jsonrpc: "2.0";
  readonly id?: string | number | null;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string; data?: unknown };
}

/** The JSON-RPC messages of a response body, whether it is JSON or an SSE stream. */
export function messagesOf(response: Pick<RawResponse, "headers" | "body">): JsonRpcMessage[] {
  const type = String(response.headers["content-type"] ?? "");
  if (type.includes("text/event-stream")) {
    const messages: JsonRpcMessage[] = [];
    for (const event of response.body.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice("data:".length).trimStart())
        .join("\n");
      if (data.trim() !== "") messages.push(JSON.parse(data) as JsonRpcMessage);
    }
    return messages;
  }
  if (response.body.trim() === "") return [];
  const parsed = JSON.parse(response.body) as JsonRpcMessage | JsonRpcMessage[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** The headers of a request to /mcp: token, content negotiation, and the session when there is one. */
export function mcpHeaders(token: string | undefined, sessionId?: string): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...(sessionId === undefined
      ? {}
      : { "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL_VERSION }),
  };
}

function initializeBody(protocolVersion: string): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: "voidmcp-http-e2e-raw", version: "1.0.0" },
    },
  });
}

export const INITIALIZE = initializeBody(PROTOCOL_VERSION);

/** initialize + notifications/initialized over raw HTTP; returns the session id. */
export async function openRawSession(
  url: string,
  token: string | undefined,
  agent?: Agent,
  protocolVersion = PROTOCOL_VERSION,
): Promise<string> {
  const init = await rawRequest(url, {
    headers: mcpHeaders(token),
    body: initializeBody(protocolVersion),
    ...(agent ? { agent } : {}),
  });
  const sessionId = init.headers["mcp-session-id"];
  if (init.status !== 200 || typeof sessionId !== "string") {
    throw new Error(`initialize failed: ${init.status} ${init.body}`);
  }
  const initialized = await rawRequest(url, {
    headers: { ...mcpHeaders(token, sessionId), "mcp-protocol-version": protocolVersion },
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    ...(agent ? { agent } : {}),
  });
  if (initialized.status !== 202) {
    throw new Error(`notifications/initialized failed: ${initialized.status} ${initialized.body}`);
  }
  return sessionId;
}

/** DELETE the session; returns the status. */
export async function deleteRawSession(
  url: string,
  token: string | undefined,
  sessionId: string,
  agent?: Agent,
): Promise<number> {
  const response = await rawRequest(url, {
    method: "DELETE",
    headers: mcpHeaders(token, sessionId),
    ...(agent ? { agent } : {}),
  });
  return response.status;
}

/** A JSON-RPC request body. */
export function rpc(id: number | string, method: string, params?: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
}

/** Resident memory of a process in KiB (Linux /proc). */
export function rssKib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** Live processes whose parent is `pid` (Linux /proc). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return children.sort((a, b) => a - b);
}
