import { deepEqual } from "../formats/index.js";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** Keys whose empty value (`[]`, `{}`) says nothing: an absent one means the same. */
const EMPTY_MEANS_ABSENT = new Set(["args", "env", "headers", "tools"]);

/**
 * Pure: a server entry (the `mcpServers` shape) without the keys that only restate what voidmcp
 * does anyway, so that two spellings of one server compare equal: `type: "stdio"` beside a
 * command, `type: "http"` / `"streamable-http"` beside a url (an SSE `type` is kept: it changes
 * the transport), empty `args`, `env`, `headers` and `tools`, `enabled: true`, `disabled: false`.
 * `claude mcp add` writes `"type": "stdio"` and `"env": {}` into every entry; `voidmcp add` does
 * not. Other keys, and anything that is not an object, are kept as they are.
 */
export function withoutDefaults(entry: unknown): unknown {
  if (!isObject(entry)) return entry;
  const hasCommand = entry.command !== undefined;
  const hasUrl = entry.url !== undefined;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    if (key === "type") {
      if (value === "stdio" && hasCommand && !hasUrl) continue;
      if ((value === "http" || value === "streamable-http") && hasUrl && !hasCommand) continue;
    }
    if (EMPTY_MEANS_ABSENT.has(key) && isEmpty(value)) continue;
    if (key === "enabled" && value === true) continue;
    if (key === "disabled" && value === false) continue;
    out[key] = value;
  }
  return out;
}

/** Pure: whether two server entries describe the same server, defaults and key order aside. */
export function sameServer(a: unknown, b: unknown): boolean {
  return deepEqual(withoutDefaults(a), withoutDefaults(b));
}
