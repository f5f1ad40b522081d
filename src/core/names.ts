import { createHash } from "node:crypto";

/** Names an MCP client accepts for tools and prompts: the contract of the exposed catalogue. */
export const EXPOSED_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_EXPOSED_NAME_LENGTH = 64;
/** Joins a server prefix and an upstream name: `github__create_issue`. */
export const PREFIX_SEPARATOR = "__";

const HASH_LENGTH = 8;

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, HASH_LENGTH);
}

/**
 * The exposed name for an upstream `name` under `prefix` ("" mounts it unprefixed).
 *
 * Contract: deterministic (same inputs, same name, across restarts); the result always matches
 * EXPOSED_NAME_PATTERN; when the plain `prefix__name` is already valid it is used unchanged.
 * Otherwise invalid characters become `_`, the name is cut to fit, and a hash of the original
 * pair is appended, so two different originals do not end up with the same name. Routing never
 * parses this string back: callers keep a table from exposed name to (server, upstream name).
 */
export function exposedName(prefix: string, name: string): string {
  const plain = prefix === "" ? name : `${prefix}${PREFIX_SEPARATOR}${name}`;
  if (EXPOSED_NAME_PATTERN.test(plain)) return plain;
  const suffix = `_${shortHash(`${prefix}\u0000${name}`)}`;
  const cleaned = plain.replace(/[^a-zA-Z0-9_-]/g, "_");
  return cleaned.slice(0, MAX_EXPOSED_NAME_LENGTH - suffix.length) + suffix;
}

/** Server names in the registry: what `voidmcp add` accepts and what a prefix defaults to. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$/;

export function isValidServerName(name: string): boolean {
  return SERVER_NAME_PATTERN.test(name) && !name.includes(PREFIX_SEPARATOR);
}
