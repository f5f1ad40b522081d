/**
 * The common JSON-RPC message shapes that the MCP SDK's JSONRPCMessageSchema accepts and returns
 * unchanged. Both ends of voidmcp read lines with it (upstream answers, downstream requests), so
 * the usual message skips the SDK's schema copy and everything else still goes through the SDK.
 * Pure; no SDK import (core imports nothing internal), the callers bring the SDK's fallback.
 */

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
export function isPlainMessage(value: unknown): boolean {
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
