import { createHash } from "node:crypto";

/**
 * Names every MCP client accepts for tools and prompts at once: a letter first (Gemini), then
 * only `[A-Za-z0-9_-]` (OpenAI, Claude Desktop, Codex; no dots), at most 64 characters. The
 * length that matters is shorter still, see DEFAULT_NAME_BUDGET.
 */
export const EXPOSED_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const MAX_EXPOSED_NAME_LENGTH = 64;
/** Joins a server prefix and an upstream name: `github__create_issue`. */
export const PREFIX_SEPARATOR = "__";

/**
 * What a client puts before a tool's name for its own use: Claude Code calls voidmcp's tools
 * `mcp__voidmcp__<name>` (the key `voidmcp init` writes) and needs that to fit in 64 characters;
 * Cursor's 60 for server + tool then holds as well.
 */
export const CLIENT_NAME_OVERHEAD = "mcp__voidmcp__".length;
/** The longest exposed name by default: 64 - 14 = 50 (the registry's `nameBudget`). */
export const DEFAULT_NAME_BUDGET = MAX_EXPOSED_NAME_LENGTH - CLIENT_NAME_OVERHEAD;
/** The range `nameBudget` may take: room for a letter, the hash and a few characters of the name. */
export const MIN_NAME_BUDGET = 16;
export const MAX_NAME_BUDGET = MAX_EXPOSED_NAME_LENGTH;

const HASH_LENGTH = 8;
/** Put before a shortened name that would not start with a letter (a digit, `_` or `-`). */
const LEAD_LETTER = "x";

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, HASH_LENGTH);
}

/** Whether `name` may be exposed as it is under a budget of `budget` characters. */
export function fitsNameRules(name: string, budget: number = DEFAULT_NAME_BUDGET): boolean {
  return name.length <= budget && EXPOSED_NAME_PATTERN.test(name);
}

/** `prefix__name`, or `name` alone for the empty prefix (a server mounted unprefixed). */
export function joinedName(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}${PREFIX_SEPARATOR}${name}`;
}

/**
 * The exposed name for an upstream `name` under `prefix` ("" mounts it unprefixed), at most
 * `budget` characters long.
 *
 * Contract: deterministic (same inputs, same name, across restarts); the result always satisfies
 * `fitsNameRules(result, budget)`; when the plain `prefix__name` already does, it is used
 * unchanged. Otherwise characters outside `[A-Za-z0-9_-]` become `_`, a name that would not
 * start with a letter gets an `x` in front, the name is cut to fit, and `_` plus a hash of the
 * original pair is appended, so two different originals do not end up with the same name.
 * Routing never parses this string back: callers keep a table from exposed name to
 * (server, upstream name).
 */
export function exposedName(prefix: string, name: string, budget: number = DEFAULT_NAME_BUDGET): string {
  const plain = joinedName(prefix, name);
  if (fitsNameRules(plain, budget)) return plain;
  const suffix = `_${shortHash(`${prefix}\u0000${name}`)}`;
  const cleaned = plain.replace(/[^A-Za-z0-9_-]/g, "_");
  const led = /^[A-Za-z]/.test(cleaned) ? cleaned : `${LEAD_LETTER}${cleaned}`;
  return led.slice(0, budget - suffix.length) + suffix;
}

/** Server names in the registry: what `voidmcp add` accepts and what a prefix defaults to. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$/;

export function isValidServerName(name: string): boolean {
  return SERVER_NAME_PATTERN.test(name) && !name.includes(PREFIX_SEPARATOR);
}
