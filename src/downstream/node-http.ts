import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * node:http ↔ Fetch API: the SDK's Streamable HTTP transport speaks Request/Response, the
 * listener speaks node:http. Shared by the HTTP front and the test fixtures' HTTP servers.
 */

export class BodyTooLarge extends Error {}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(header(req, "content-length") ?? "0");
    if (declared > maxBytes) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A request body that parsed as JSON (`json` may be any JSON value, `null` included). */
export interface JsonBody {
  readonly json: unknown;
}

/** Parses a request body once for everyone who needs it: undefined when it is not JSON (or empty). */
export function parseJsonBody(body: Buffer): JsonBody | undefined {
  if (body.length === 0) return undefined;
  try {
    return { json: JSON.parse(body.toString("utf8")) };
  } catch {
    return undefined;
  }
}

/**
 * `signal`, when given, is the Request's own: aborting it tells the handler the client is gone.
 * `body` undefined builds a Request without one: for a handler that is given the body already
 * parsed (the SDK transports' `parsedBody`), which then reads nothing from it.
 */
export function toWebRequest(
  req: IncomingMessage,
  url: URL,
  body: Buffer | undefined,
  signal?: AbortSignal,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && body !== undefined && body.length > 0;
  return new Request(url, { method, headers, ...(hasBody ? { body } : {}), ...(signal ? { signal } : {}) });
}

/**
 * How long the first chunk of a response, when it was ready at once, may wait for the next one
 * so that both go out in one write. An SSE answer to a POST starts with a priming event and has
 * its result a moment later; a quick call then costs one packet, not two, and a slow one gets its
 * headers this much later, which no client can tell from network delay.
 */
const FIRST_CHUNK_HOLD_MS = 5;

/**
 * Streams a Fetch Response (JSON or SSE) onto a node response; stops when the client leaves.
 * Resolves false when the client left before the response was complete. The bytes are the
 * Response's exactly; only how they are grouped into writes is chosen here.
 */
export async function send(response: Response, res: ServerResponse): Promise<boolean> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body === null) {
    res.end();
    return true;
  }
  const reader = response.body.getReader();
  // An SSE stream may stay quiet for a long time: the client must get the headers now. But a
  // chunk that is ready at once (an SSE priming event, a JSON body) is read in microtasks, before
  // this turn of the event loop ends (whatever called send: a listener, a promise), and goes out
  // with the headers.
  let firstTurn = true;
  setImmediate(() => {
    firstTurn = false;
    if (!res.headersSent && !res.writableEnded && !res.destroyed) res.flushHeaders();
  });
  /** Set while the first chunk is held back (corked) for the next one. */
  let hold: NodeJS.Timeout | undefined;
  const release = () => {
    if (hold === undefined) return;
    clearTimeout(hold);
    hold = undefined;
    // After this tick, so that an end() that follows at once still joins the same write.
    process.nextTick(() => res.uncork());
  };
  let ended = false;
  let left = false;
  res.on("close", () => {
    if (ended) return;
    left = true;
    void reader.cancel().catch(() => {});
  });
  try {
    let first = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first && firstTurn) {
        res.cork();
        hold = setTimeout(release, FIRST_CHUNK_HOLD_MS);
        res.write(value);
      } else {
        res.write(value);
        release();
      }
      first = false;
    }
  } catch {
    left = true;
  } finally {
    ended = true;
    release();
    res.end();
  }
  return !left;
}

export function jsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

/** The host of the endpoint's URL: loopback for a wildcard address, IPv6 literals in brackets. */
export function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
