import { deserializeMessage, type JSONRPCMessage } from "@modelcontextprotocol/client";

const RESULT_KEYS = new Set(["jsonrpc", "id", "result"]);
const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);
const NOTIFICATION_KEYS = new Set(["jsonrpc", "method", "params"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): boolean {
  return typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
}

/** Only keys from `allowed` (the SDK's JSON-RPC schemas are strict). */
function keysWithin(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** Params the SDK accepts as they are: absent, or an object without `_meta` (whose shape it checks). */
function plainParams(params: unknown): boolean {
  return params === undefined || (isObject(params) && !("_meta" in params));
}

/**
 * Whether `value` is a JSON-RPC message of the common shapes that the SDK's JSONRPCMessageSchema
 * accepts unchanged (pure): a result response whose result has no `_meta`, a request or a
 * notification whose params have no `_meta`. Anything else (errors, `_meta`, extra keys, invalid
 * messages) is not decided here.
 */
export function isPlainMessage(value: unknown): value is JSONRPCMessage {
  if (!isObject(value) || value.jsonrpc !== "2.0") return false;
  if ("result" in value) {
    return (
      isRequestId(value.id) &&
      isObject(value.result) &&
      !("_meta" in value.result) &&
      keysWithin(value, RESULT_KEYS)
    );
  }
  if (typeof value.method !== "string" || !plainParams(value.params)) return false;
  if ("id" in value) return isRequestId(value.id) && keysWithin(value, REQUEST_KEYS);
  return keysWithin(value, NOTIFICATION_KEYS);
}

/**
 * One line from an upstream as a JSON-RPC message: parsed once, and the common shapes passed
 * through without the SDK's schema copying them (a tools/call result, however large, is walked
 * by one cheap check); every other message goes through the SDK's own deserializeMessage, so
 * what is accepted, rejected or normalised is exactly what the SDK does. Throws SyntaxError for
 * text that is not JSON, and the SDK's error for JSON that is not JSON-RPC.
 */
export function readMessage(line: string): JSONRPCMessage {
  const value: unknown = JSON.parse(line);
  return isPlainMessage(value) ? value : deserializeMessage(line);
}
