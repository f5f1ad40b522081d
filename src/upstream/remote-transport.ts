import {
  type AuthProvider,
  type FetchLike,
  SdkHttpError,
  SSEClientTransport,
  SseError,
  StreamableHTTPClientTransport,
  type Transport,
} from "@modelcontextprotocol/client";
import { CHAIN_HEADER, LOOP_STATUS } from "./chain.js";
import { cappedFetch } from "./http-response-cap.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./response-limit.js";

/** What a remote connection tells the gateway about loops, and is told by it. */
export interface LoopHooks {
  /** The chain of voidmcp gateways to send (X-Voidmcp-Chain), read at every request. */
  readonly chain?: () => string;
  /** The upstream answered 508 Loop Detected: it is this gateway, or leads back to it. */
  readonly onLoop?: () => void;
}

/**
 * A fetch that adds the registry's headers and the gateway chain to every request (POST, GET
 * stream, DELETE, SSE), and reports an answer of 508 Loop Detected, whichever request got it.
 */
export function fetchWithHeaders(
  headers: Readonly<Record<string, string>>,
  hooks: LoopHooks = {},
): FetchLike {
  return async (url, init) => {
    const merged = new Headers(init?.headers);
    for (const [key, value] of Object.entries(headers)) merged.set(key, value);
    const chain = hooks.chain?.();
    if (chain) merged.set(CHAIN_HEADER, chain);
    const response = await fetch(url, { ...init, headers: merged });
    if (response.status === LOOP_STATUS) hooks.onLoop?.();
    return response;
  };
}

/** Streamable HTTP whose answers to POSTed requests are held to `maxResponseBytes` (see http-response-cap.ts). */
export function streamableHttpTransport(
  url: URL,
  headers: Readonly<Record<string, string>>,
  maxResponseBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
  hooks: LoopHooks = {},
  authProvider?: AuthProvider,
): Transport {
  return new StreamableHTTPClientTransport(url, {
    fetch: cappedFetch(fetchWithHeaders(headers, hooks), maxResponseBytes),
    ...(authProvider ? { authProvider } : {}),
  });
}

/**
 * `authProvider` (an OAuth token source, see oauth/token-source.ts) gives the bearer token of each
 * request and is told of a 401 before the one retry; the registry's own headers still go out,
 * but a server with its own Authorization header gets no token source.
 */
export function sseTransport(
  url: URL,
  headers: Readonly<Record<string, string>>,
  hooks: LoopHooks = {},
  authProvider?: AuthProvider,
): Transport {
  return new SSEClientTransport(url, {
    fetch: fetchWithHeaders(headers, hooks),
    ...(authProvider ? { authProvider } : {}),
  });
}

/** Whether the registry's headers already authenticate (then OAuth stays out of the way). */
export function hasAuthorizationHeader(headers: Readonly<Record<string, string>>): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === "authorization");
}

/**
 * The HTTP status an SDK transport failed with, when the failure was an HTTP answer. The legacy
 * SSE transport reports it as an SseError whose `code` is the status ("Non-200 status code (401)").
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof SdkHttpError) return error.status;
  if (error instanceof SseError && isHttpStatus(error.code)) return error.code;
  const match = /\b(?:HTTP|status(?: code)?)[: (]+(\d{3})\b/i.exec(
    error instanceof Error ? error.message : "",
  );
  return match ? Number(match[1]) : undefined;
}

function isHttpStatus(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599;
}

/**
 * Whether a failed Streamable HTTP initialize means "this server only speaks legacy SSE":
 * the spec's backwards-compatibility rule is to fall back on 4xx answers to the POST,
 * except authentication failures, which the user must fix instead.
 */
export function shouldFallBackToSse(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}

/** A sentence for a user about why an HTTP upstream could not be reached. */
export function describeHttpFailure(url: string, error: unknown): string {
  const status = httpStatusOf(error);
  if (status === 401 || status === 403) {
    return `${url} answered ${status} ${status === 401 ? "Unauthorized" : "Forbidden"}: check the headers (e.g. Authorization) of this server in the registry`;
  }
  if (status !== undefined) return `${url} answered HTTP ${status}`;
  const causes = causeChain(error);
  const code = networkCodeOf(causes);
  if (code === "ECONNREFUSED") return `cannot reach ${url}: connection refused (is the server running?)`;
  if (code === "ENOTFOUND") return `cannot reach ${url}: host not found`;
  const reasons = causes.map((e) => e.message).filter((m, i, all) => m !== "" && all.indexOf(m) === i);
  return `cannot connect to ${url}: ${reasons.length > 0 ? reasons.join(": ") : String(error)}`;
}

/** An error and its causes, outermost first (fetch hides the socket error two levels down). */
function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 5) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

/**
 * The errno code (ECONNREFUSED, ENOTFOUND) of a network failure anywhere in the chain, else in
 * the text: the legacy SSE transport keeps only the message of the fetch failure.
 */
function networkCodeOf(causes: readonly Error[]): string | undefined {
  for (const cause of causes) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND") return code;
  }
  for (const cause of causes) {
    const match = /\b(ECONNREFUSED|ENOTFOUND)\b/.exec(cause.message);
    if (match) return match[1];
  }
  return undefined;
}
