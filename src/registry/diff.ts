import { deepEqual } from "../formats/index.js";
import type { ServerSpec } from "./types.js";

export interface ServerDiff {
  /** In `next` order. */
  readonly added: ServerSpec[];
  /** In `prev` order. */
  readonly removed: ServerSpec[];
  /** The `next` version of each server whose spec differs in any way, in `next` order. */
  readonly changed: ServerSpec[];
  /** In `next` order. */
  readonly unchanged: ServerSpec[];
}

/**
 * Pure: what hot reload must do to go from `prev` to `next`. Servers are matched by name and
 * compared structurally (key order does not matter, array order does). Every server of `next`
 * lands in exactly one of added / changed / unchanged, every server only in `prev` in removed.
 */
export function diffServers(prev: readonly ServerSpec[], next: readonly ServerSpec[]): ServerDiff {
  const before = new Map(prev.map((spec) => [spec.name, spec]));
  const nextNames = new Set(next.map((spec) => spec.name));
  const diff: ServerDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const spec of next) {
    const old = before.get(spec.name);
    if (old === undefined) diff.added.push(spec);
    else if (deepEqual(old, spec)) diff.unchanged.push(spec);
    else diff.changed.push(spec);
  }
  for (const spec of prev) {
    if (!nextNames.has(spec.name)) diff.removed.push(spec);
  }
  return diff;
}
