import type { JSONRPCMessage } from "@modelcontextprotocol/client";
import type { ServerSpec } from "../registry/index.js";

/**
 * How large one message from an upstream may be. Beyond the cap the message is dropped as it
 * arrives (never buffered whole) and the call it answers fails at once with an error naming the
 * size and the cap; the session stays usable.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** JSON-RPC code of the error that stands in for a response over the cap (JSON-RPC "internal error"). */
export const TOO_LARGE_CODE = -32603;

type RequestId = string | number;

/** The cap for one server: its registry entry's `maxResponseBytes`, else `fallback`. */
export function maxResponseBytesOf(spec: ServerSpec, fallback: number = DEFAULT_MAX_RESPONSE_BYTES): number {
  return spec.maxResponseBytes ?? fallback;
}

/** "64 MiB", "20.5 MiB", "900 KiB", "12 bytes". */
export function formatBytes(bytes: number): string {
  const units = [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * What the caller is told. `final` says whether `received` is the whole message or only what had
 * arrived when the cap was passed (the rest is then still being discarded).
 */
export function tooLargeMessage(received: number, cap: number, final: boolean): string {
  const size = final ? `is ${formatBytes(received)}` : `is over ${formatBytes(received)}`;
  return `the server's answer ${size}, more than the ${formatBytes(cap)} (${cap} bytes) voidmcp accepts; raise "maxResponseBytes" for this server in the registry to allow it`;
}

/** The error response delivered to the SDK client in place of a message over the cap. */
export function tooLargeResponse(
  id: RequestId,
  received: number,
  cap: number,
  final: boolean,
): JSONRPCMessage {
  return {
    jsonrpc: "2.0",
    id,
    error: {
      code: TOO_LARGE_CODE,
      message: tooLargeMessage(received, cap, final),
      data: { receivedBytes: received, maxResponseBytes: cap },
    },
  };
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const PRIMITIVE = String.raw`(?:${STRING}|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)`;
const LEADING_MEMBER = new RegExp(String.raw`^\s*(${STRING})\s*:\s*(${PRIMITIVE})\s*([,}])`);
const TRAILING_MEMBER = new RegExp(String.raw`([,{])\s*(${STRING})\s*:\s*(${PRIMITIVE})\s*$`);

function asId(raw: string): RequestId | undefined {
  const value: unknown = JSON.parse(raw);
  return typeof value === "number" || typeof value === "string" ? value : undefined;
}

/**
 * The top-level `id` of a JSON object from its first bytes, when it comes before any member
 * whose value is an object or array (`{"jsonrpc":"2.0","id":7,"result":{…`). Pure.
 */
export function leadingId(head: string): RequestId | undefined {
  let rest = head.replace(/^\s*\{/, "");
  if (rest === head) return undefined;
  for (;;) {
    const match = LEADING_MEMBER.exec(rest);
    if (!match) return undefined;
    const [whole, key = "", value = "", separator] = match;
    if (JSON.parse(key) === "id") return asId(value);
    if (separator === "}") return undefined;
    rest = rest.slice(whole.length);
  }
}

/**
 * The top-level `id` of a JSON object from its last bytes, when it comes after every member
 * whose value is an object or array (`…},"jsonrpc":"2.0","id":7}`). Pure.
 */
export function trailingId(tail: string): RequestId | undefined {
  let rest = tail.replace(/\}\s*$/, "");
  if (rest === tail) return undefined;
  for (;;) {
    const match = TRAILING_MEMBER.exec(rest);
    if (!match) return undefined;
    const [whole, opener, key = "", value = ""] = match;
    if (JSON.parse(key) === "id") return asId(value);
    if (opener === "{") return undefined;
    rest = rest.slice(0, rest.length - whole.length);
  }
}
