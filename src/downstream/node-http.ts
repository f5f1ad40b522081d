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

/** `signal`, when given, is the Request's own: aborting it tells the handler the client is gone. */
export function toWebRequest(req: IncomingMessage, url: URL, body: Buffer, signal?: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && body.length > 0;
  return new Request(url, { method, headers, ...(hasBody ? { body } : {}), ...(signal ? { signal } : {}) });
}

/**
 * Streams a Fetch Response (JSON or SSE) onto a node response; stops when the client leaves.
 * Resolves false when the client left before the response was complete.
 */
export async function send(response: Response, res: ServerResponse): Promise<boolean> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body === null) {
    res.end();
    return true;
  }
  // An SSE stream may stay quiet for a long time: the client must get the headers now.
  res.flushHeaders();
  const reader = response.body.getReader();
  let ended = false;
  let left = false;
  res.on("close", () => {
    if (ended) return;
    left = true;
    void reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    left = true;
  } finally {
    ended = true;
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
