import type { Client, StandardSchemaV1 } from "@modelcontextprotocol/client";

/** The era whose wire schemas `isPlainToolResult` was checked against (see plain-result.test.ts). */
const PLAIN_ERA = "2025-11-25";

/** Top-level keys of a plain result, in the order the SDK's result schema writes them. */
const RESULT_KEYS = ["content", "structuredContent", "isError"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value`'s keys are among `allowed`, in that order, and include `required`. */
function keysInOrder(value: Record<string, unknown>, allowed: readonly string[], required: string): boolean {
  let at = 0;
  let sawRequired = false;
  for (const key in value) {
    while (at < allowed.length && allowed[at] !== key) at++;
    if (at === allowed.length) return false;
    if (key === required) sawRequired = true;
    at++;
  }
  return sawRequired;
}

/** A text block `{ type: "text", text }` and nothing else, keys in that order. */
function isPlainText(block: unknown): boolean {
  if (!isObject(block) || block.type !== "text" || typeof block.text !== "string") return false;
  let count = 0;
  for (const key in block) {
    if (key !== (count === 0 ? "type" : "text")) return false;
    count++;
  }
  return count === 2;
}

/**
 * Whether a legacy-era (2025-11-25) `tools/call` result is one the SDK's result schema returns
 * unchanged (pure): `content` of plain text blocks, optional `structuredContent` (an object) and
 * `isError` (a boolean), no `_meta`, no other keys, keys in the schema's order. The schema copies
 * such a result key for key, so skipping it forwards exactly what the upstream said. Anything else
 * (images, resources, annotations, `_meta`, extra keys, another order, invalid results) is not
 * decided here and goes through the SDK's own validation.
 */
export function isPlainToolResult(value: unknown): boolean {
  if (!isObject(value) || !keysInOrder(value, RESULT_KEYS, "content")) return false;
  const { content, structuredContent, isError } = value;
  if (!Array.isArray(content)) return false;
  for (const block of content) if (!isPlainText(block)) return false;
  if (structuredContent !== undefined) {
    // A JSON `__proto__` key is an own key that a copy would turn into a prototype: not plain.
    if (!isObject(structuredContent) || Object.hasOwn(structuredContent, "__proto__")) return false;
  }
  return isError === undefined || typeof isError === "boolean";
}

/** What of the SDK's wire codec this needs (the SDK's own result check for a method). */
interface ResultCodec {
  readonly era: string;
  validateResult(
    method: string,
    raw: unknown,
  ): { ok: true; value: unknown } | { ok: false; reason: string; message?: string };
}

/**
 * The result check a relayed `tools/call` is sent with: plain results (see `isPlainToolResult`)
 * pass as they are; every other result gets exactly the check (and the message) the SDK's
 * `request()` gives it by default. Undefined when that cannot be promised (a client not on the
 * 2025-11-25 era, or an SDK without the codec this reads): then the caller uses the SDK's default.
 *
 * The codec is read through the SDK's protected `_wireCodec()` (the same accessor its own role
 * classes use); the SDK is pinned exactly, and the tests in plain-result.test.ts fail if it moves.
 */
export function relayedToolResultSchema(client: Client): StandardSchemaV1 | undefined {
  // A connection's era is fixed once it is up: one schema per client.
  if (cached.has(client)) return cached.get(client);
  const schema = buildSchema(client);
  cached.set(client, schema);
  return schema;
}

const cached = new WeakMap<Client, StandardSchemaV1 | undefined>();

function buildSchema(client: Client): StandardSchemaV1 | undefined {
  const accessor = (client as unknown as { _wireCodec?: unknown })._wireCodec;
  if (typeof accessor !== "function") return undefined;
  const codec = accessor.call(client) as ResultCodec | undefined;
  if (!codec || codec.era !== PLAIN_ERA || typeof codec.validateResult !== "function") return undefined;
  return {
    "~standard": {
      version: 1,
      vendor: "voidmcp",
      validate(value: unknown) {
        if (isPlainToolResult(value)) return { value };
        const outcome = codec.validateResult("tools/call", value);
        if (outcome.ok) return { value: outcome.value };
        return {
          issues: [
            { message: outcome.reason === "invalid" ? String(outcome.message) : "not-in-era: tools/call" },
          ],
        };
      },
    },
  };
}
