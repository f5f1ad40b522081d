import { randomUUID, timingSafeEqual } from "node:crypto";
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import {
  isInitializeRequest,
  localhostAllowedHostnames,
  validateHostHeader,
  validateOriginHeader,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import { describeError, type Logger, VoidError } from "../core/index.js";
import { type AuthResponse, bearerToken, oauthPathResponse, unauthorizedResponse } from "./auth-responses.js";
import type { GatewayBackend } from "./backend.js";
import { SessionEventStore } from "./event-store.js";
import { type ModernLeg, modernLeg } from "./modern-http.js";
import {
  BodyTooLarge,
  header,
  type JsonBody,
  jsonRpcError,
  parseJsonBody,
  readBody,
  send,
  toWebRequest,
  urlHost,
} from "./node-http.js";
import { createDownstreamServer } from "./server.js";
import { eventsExpired, sessionsToEvict } from "./session-limit.js";

export interface HttpOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Required as `Authorization: Bearer <token>`; undefined turns auth off (--no-auth). */
  readonly token: string | undefined;
  readonly maxBodyBytes?: number;
  /** A session with no request and no open stream for this long is ended (clients that never DELETE). */
  readonly sessionIdleMs?: number;
  /**
   * Sessions kept at most (read at each new session, so a registry edit applies); opening one
   * more ends the one idle the longest, whose client then gets 404 as for an expired session.
   */
  readonly maxSessions?: () => number;
  readonly log: Logger;
  /**
   * Asked about every authenticated /mcp request, given a reader of its headers (lower-case
   * names): a message refuses the request with 508 Loop Detected and that message (the gateway's
   * guard against being its own upstream).
   */
  readonly loopCheck?: (header: (name: string) => string | undefined) => string | undefined;
  /**
   * The backend for `/mcp/NAME` (a profile of the gateway; same token as `/mcp`), or why there
   * is none: that message is the 404's JSON-RPC error. Without it, only `/mcp` is served.
   */
  readonly profile?: (name: string) => GatewayBackend | string;
}

export interface HttpEndpoint {
  /** `http://host:port/mcp` */
  readonly url: string;
  /** Sessions currently open. */
  sessionCount(): number;
  /** Stops listening, ends every session. Idempotent. */
  close(): Promise<void>;
}

export const MCP_PATH = "/mcp";
export const HEALTH_PATH = "/healthz";
/** `/mcp/NAME`: the gateway seen through profile NAME. */
const PROFILE_PATH = /^\/mcp\/([^/]*)$/;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** The registry's default for http.maxSessions, for callers that give no limit. */
const DEFAULT_MAX_SESSIONS = 1_000;
/** How soon (ms) a client should reconnect a dropped SSE stream, sent in the stream's retry field. */
const SSE_RETRY_MS = 1_000;

/**
 * How long the calls of a dropped POST stream wait for the client to resume it (GET with
 * Last-Event-ID) before they are cancelled: a network drop is not a cancellation, a client that
 * went away is.
 */
const RESUME_GRACE_MS = 3 * SSE_RETRY_MS;

/**
 * How long a session with no request and no open stream keeps its resumable events. Its dropped
 * calls were cancelled RESUME_GRACE_MS after the drop, so nothing is left to resume by then.
 */
const EVENTS_KEPT_IDLE_MS = 10 * RESUME_GRACE_MS;

interface Session {
  readonly id: string;
  /** The path it was opened on (`/mcp` or `/mcp/NAME`): it is served there only. */
  readonly path: string;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly events: SessionEventStore;
  readonly close: () => Promise<void>;
  /** Requests (streams included) in progress, and when the last one ended. */
  active: number;
  lastSeen: number;
  /** Cancellations of dropped calls, waiting out RESUME_GRACE_MS. */
  readonly pendingCancels: Set<NodeJS.Timeout>;
}

/** The ids of the JSON-RPC requests in a POST body (none when it is not JSON). */
function requestIds(body: JsonBody | undefined): Array<string | number> {
  if (body === undefined) return [];
  const parsed = body.json;
  return (Array.isArray(parsed) ? parsed : [parsed]).flatMap((message: unknown) => {
    if (typeof message !== "object" || message === null || !("method" in message) || !("id" in message))
      return [];
    const { id } = message;
    return typeof id === "string" || typeof id === "number" ? [id] : [];
  });
}

/**
 * A client that drops the connection of a POST before its answers came will never read them:
 * cancel its requests as if it had sent notifications/cancelled, so upstream work stops too.
 */
function cancelAbandoned(
  transport: WebStandardStreamableHTTPServerTransport,
  body: JsonBody | undefined,
): void {
  for (const requestId of requestIds(body)) {
    transport.onmessage?.({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId, reason: "the HTTP client disconnected" },
    });
  }
}

function isInitialize(body: JsonBody | undefined): boolean {
  if (body === undefined) return false;
  const parsed = body.json;
  return Array.isArray(parsed) ? parsed.some((m) => isInitializeRequest(m)) : isInitializeRequest(parsed);
}

/**
 * The request as the SDK transport takes it. A body that parsed is handed over parsed (the
 * transport then reads and parses nothing, and the Request carries no body stream); one that did
 * not is handed over as bytes, so the transport gives its own parse-error answer, as before.
 */
function forTransport(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  parsed: JsonBody | undefined,
): [Request, { parsedBody: unknown } | undefined] {
  return parsed === undefined
    ? [toWebRequest(req, url, body), undefined]
    : [toWebRequest(req, url, undefined), { parsedBody: parsed.json }];
}

function writeAuthResponse(res: ServerResponse, answer: AuthResponse): void {
  res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function sameToken(given: string, expected: Buffer): boolean {
  const a = Buffer.from(given);
  return a.length === expected.length && timingSafeEqual(a, expected);
}

/**
 * The Streamable HTTP endpoint: `/mcp` with sessions (POST JSON or SSE answers, GET for the
 * server's own stream, DELETE to end), `/healthz` for liveness. Each session gets its own MCP
 * server over the shared backend. For a local endpoint it checks, in order: Host and Origin
 * (DNS rebinding: 403), the bearer token (401 with WWW-Authenticate), the body size (413).
 * OAuth discovery paths are answered as `auth-responses.ts` says, so clients ask for a token.
 * An unknown or ended session is 404.
 */
export async function serveHttp(backend: GatewayBackend, options: HttpOptions): Promise<HttpEndpoint> {
  const sessions = new Map<string, Session>();
  // 2026-07-28 requests (per request, no session) are served beside the legacy sessions.
  // One modern leg per backend served: `/mcp`, and each profile's `/mcp/NAME` on first use.
  const modernLegs = new Map<string, ModernLeg>();
  const modernLegFor = (profile: string | undefined, served: GatewayBackend): ModernLeg => {
    const key = profile ?? "";
    let leg = modernLegs.get(key);
    if (leg === undefined) {
      leg = modernLeg(served, options.log, profile);
      modernLegs.set(key, leg);
    }
    return leg;
  };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const token = options.token === undefined ? undefined : Buffer.from(options.token);
  const allowed = [...localhostAllowedHostnames()];
  // Host and Origin carry IPv6 literals in brackets; a wildcard address is reached on loopback.
  const ownHost = urlHost(options.host);
  if (!allowed.includes(ownHost)) allowed.push(ownHost);

  const maxSessions = () => options.maxSessions?.() ?? DEFAULT_MAX_SESSIONS;
  /** Ends sessions until `room` more fit under the limit: the idle-longest first. */
  const makeRoom = (room: number) => {
    for (const id of sessionsToEvict(sessions.values(), maxSessions(), room)) {
      const session = sessions.get(id);
      sessions.delete(id);
      options.log.debug(`HTTP session ${id} ended: more than ${maxSessions()} sessions (http.maxSessions)`);
      void session?.close().catch(() => {});
    }
  };

  const openSession = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    parsed: JsonBody | undefined,
    served: GatewayBackend,
  ) => {
    const { server, dispose } = createDownstreamServer(served);
    let id: string | undefined;
    const events = new SessionEventStore();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: events,
      retryInterval: SSE_RETRY_MS,
      onsessioninitialized: (sessionId) => {
        id = sessionId;
        makeRoom(1);
        sessions.set(sessionId, {
          id: sessionId,
          path: url.pathname,
          transport,
          events,
          close: () => server.close(),
          pendingCancels: new Set(),
          active: 0,
          lastSeen: Date.now(),
        });
      },
      onsessionclosed: (sessionId) => {
        sessions.delete(sessionId);
      },
    });
    transport.onclose = () => {
      if (id) sessions.delete(id);
      dispose();
    };
    await server.connect(transport);
    const [request, parsedBody] = forTransport(req, url, body, parsed);
    await send(await transport.handleRequest(request, parsedBody), res);
    if (id === undefined) {
      // initialize failed: nothing to keep
      dispose();
      await server.close().catch(() => {});
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const host = validateHostHeader(header(req, "host"), allowed);
    const origin = validateOriginHeader(header(req, "origin"), allowed);
    if (!host.ok || !origin.ok) {
      req.resume();
      jsonRpcError(
        res,
        403,
        -32000,
        `Forbidden: ${!host.ok ? host.message : origin.ok ? "" : origin.message}`,
      );
      return;
    }
    if (url.pathname === HEALTH_PATH && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "ok", sessions: sessions.size }));
      return;
    }
    // OAuth discovery and its fallback endpoints: answered (without a token) so clients conclude
    // "needs a bearer token" instead of failing to parse.
    const oauth = oauthPathResponse(url.pathname);
    if (oauth !== undefined) {
      req.resume();
      writeAuthResponse(res, oauth);
      return;
    }
    const profileName = PROFILE_PATH.exec(url.pathname)?.[1];
    if (url.pathname !== MCP_PATH && (profileName === undefined || !options.profile)) {
      req.resume();
      jsonRpcError(res, 404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`);
      return;
    }
    if (token !== undefined) {
      const given = bearerToken(header(req, "authorization"));
      if (given === undefined || !sameToken(given, token)) {
        req.resume();
        writeAuthResponse(res, unauthorizedResponse(given === undefined ? "missing" : "wrong"));
        return;
      }
    }
    // Only once the token is checked: the names of profiles are for those who hold it.
    let served = backend;
    if (profileName !== undefined && options.profile) {
      const found = options.profile(profileName);
      if (typeof found === "string") {
        req.resume();
        jsonRpcError(res, 404, -32000, `Not found: ${found}`);
        return;
      }
      served = found;
    }
    const loop = options.loopCheck?.((name) => header(req, name));
    if (loop !== undefined) {
      req.resume();
      jsonRpcError(res, 508, -32000, loop);
      return;
    }
    let body: Buffer;
    try {
      body = req.method === "POST" ? await readBody(req, maxBodyBytes) : Buffer.alloc(0);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        jsonRpcError(res, 413, -32600, `Request body larger than ${maxBodyBytes} bytes`);
        return;
      }
      throw error;
    }
    const parsed = req.method === "POST" ? parseJsonBody(body) : undefined;
    const modern = modernLegFor(profileName, served);
    if (await modern.claims(req, url, parsed)) {
      await modern.serve(req, res, url, body, parsed);
      return;
    }
    const sessionId = header(req, "mcp-session-id");
    if (sessionId !== undefined) {
      const found = sessions.get(sessionId);
      // A session belongs to the path (profile) it was opened on.
      const session = found?.path === url.pathname ? found : undefined;
      if (!session) {
        jsonRpcError(
          res,
          404,
          -32001,
          "Session not found: it ended (deleted, idle too long, or the oldest past http.maxSessions) or never existed; initialize a new one",
        );
        return;
      }
      if (req.method === "GET" && header(req, "last-event-id") !== undefined) {
        // The client is resuming a dropped stream: it still wants its answers.
        for (const timer of session.pendingCancels) clearTimeout(timer);
        session.pendingCancels.clear();
      }
      session.active += 1;
      session.lastSeen = Date.now();
      let complete: boolean;
      try {
        const [request, parsedBody] = forTransport(req, url, body, parsed);
        complete = await send(await session.transport.handleRequest(request, parsedBody), res);
      } finally {
        session.active -= 1;
        session.lastSeen = Date.now();
      }
      if (!complete && req.method === "POST") {
        const timer = setTimeout(() => {
          session.pendingCancels.delete(timer);
          if (sessions.get(sessionId) === session) cancelAbandoned(session.transport, parsed);
        }, RESUME_GRACE_MS);
        timer.unref();
        session.pendingCancels.add(timer);
      }
      return;
    }
    if (req.method === "POST" && isInitialize(parsed)) {
      await openSession(req, res, url, body, parsed, served);
      return;
    }
    if (req.method === "POST") {
      // Not an initialize and no session: parse error for malformed JSON, invalid request otherwise.
      jsonRpcError(
        res,
        400,
        parsed !== undefined ? -32600 : -32700,
        parsed !== undefined
          ? "Bad Request: no Mcp-Session-Id header; start a session with initialize"
          : "Parse error: the body is not JSON",
      );
      return;
    }
    jsonRpcError(res, 400, -32000, "Bad Request: no Mcp-Session-Id header; start a session with initialize");
  };

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.error(`HTTP ${req.method} ${req.url}: ${describeError(error)}`);
      if (!res.headersSent) jsonRpcError(res, 500, -32603, "Internal error");
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      reject(
        error.code === "EADDRINUSE"
          ? new VoidError("usage", `${where} is already in use`, { hint: "pick another port with --port N" })
          : error.code === "EACCES"
            ? new VoidError("usage", `not allowed to listen on ${where}`, { hint: "use a port above 1024" })
            : new VoidError("internal", `cannot listen on ${where}: ${error.message}`),
      );
    });
    http.listen(options.port, options.host, () => resolve());
  });
  // Clients that vanish without DELETE would otherwise keep their sessions (and the gateway's
  // bookkeeping for them) forever.
  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, session] of sessions) {
        if (session.active === 0 && now - session.lastSeen > idleMs) {
          sessions.delete(id);
          options.log.debug(`HTTP session ${id} idle for ${idleMs} ms: ended`);
          void session.close().catch(() => {});
        } else if (eventsExpired(session, now, EVENTS_KEPT_IDLE_MS)) {
          session.events.clear();
        }
      }
      // The limit may have been lowered by a registry edit.
      makeRoom(0);
    },
    Math.min(EVENTS_KEPT_IDLE_MS, Math.max(100, idleMs / 4)),
  );
  sweeper.unref();
  const { port } = http.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://${ownHost}:${port}${MCP_PATH}`,
    sessionCount: () => sessions.size,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await Promise.all([...modernLegs.values()].map((leg) => leg.close()));
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.close().catch(() => {})));
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // Open SSE streams would keep close() waiting forever.
      http.closeAllConnections();
      await stopped;
    },
  };
}
