import { describeError, VoidError } from "../../core/index.js";

/** How long one request to an authorization server or resource may take. */
export const OAUTH_REQUEST_TIMEOUT_MS = 15_000;
/** The largest metadata or token document read (they are a few KB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed body; undefined when it is not JSON. */
  readonly json: unknown;
}

/**
 * One HTTP exchange with a bounded time and body. Network failures become a VoidError naming
 * the server and what was being fetched; the answer is returned whatever its status.
 */
export async function fetchJson(
  server: string,
  what: string,
  url: string,
  init: RequestInit = {},
): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      redirect: "error",
      signal: init.signal ?? AbortSignal.timeout(OAUTH_REQUEST_TIMEOUT_MS),
      headers: { Accept: "application/json", ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    throw new VoidError(
      "upstream_unavailable",
      `server "${server}": cannot fetch ${what} (${url}): ${reasonOf(error)}`,
      {
        cause: error,
      },
    );
  }
  const text = await readCapped(response);
  let json: unknown;
  try {
    json = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json };
}

async function readCapped(response: Response): Promise<string> {
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) {
    await response.body?.cancel().catch(() => {});
    return "";
  }
  try {
    const text = await response.text();
    return text.length > MAX_BODY_BYTES ? "" : text;
  } catch {
    return "";
  }
}

function reasonOf(error: unknown): string {
  let current: unknown = error;
  for (let i = 0; i < 4 && current instanceof Error; i += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED") return "connection refused";
    if (code === "ENOTFOUND") return "host not found";
    if (current.name === "TimeoutError") return `no answer within ${OAUTH_REQUEST_TIMEOUT_MS} ms`;
    current = current.cause;
  }
  return describeError(error);
}

/** An OAuth error response's `error` code (RFC 6749 §5.2), if the body is one; a safe token only. */
export function oauthErrorCode(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const code = (json as Record<string, unknown>).error;
  return typeof code === "string" && /^[\x20-\x7e]{1,64}$/.test(code) && !/["\\]/.test(code)
    ? code
    : undefined;
}
