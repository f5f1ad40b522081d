/**
 * The chain of voidmcp gateways a request passes through, so that a gateway that is (directly or
 * through others) its own upstream notices instead of running away. Every gateway has a random
 * instance id and a tag of its registry file; an entry of the chain is `<id>:<tag>`. A gateway
 * sends the chain it is part of to its upstreams: as the X-Voidmcp-Chain header over HTTP, as the
 * VOIDMCP_CHAIN variable to a stdio child. A gateway whose own id or registry tag comes back to it
 * is in a loop.
 */

export const CHAIN_HEADER = "X-Voidmcp-Chain";
export const CHAIN_ENV = "VOIDMCP_CHAIN";
/** How many voidmcp gateways may be started inside each other over stdio. */
export const MAX_CHAIN_DEPTH = 4;
/** The HTTP status a gateway answers a request that already passed through it (RFC 5842). */
export const LOOP_STATUS = 508;
/** Entries read from one header or variable; the rest is ignored (nobody chains this deep). */
const MAX_ENTRIES = 32;
const ENTRY = /^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{1,64}$/;

export interface ChainMember {
  readonly id: string;
  readonly tag: string;
}

export function formatMember(member: ChainMember): string {
  return `${member.id}:${member.tag}`;
}

/** Pure: the well-formed entries of a header or variable, in order, without repeats. */
export function parseChain(value: string | undefined): ChainMember[] {
  if (value === undefined) return [];
  const seen = new Set<string>();
  const out: ChainMember[] = [];
  for (const part of value.split(",")) {
    const entry = part.trim();
    if (!ENTRY.test(entry) || seen.has(entry)) continue;
    seen.add(entry);
    const [id = "", tag = ""] = entry.split(":");
    out.push({ id, tag });
    if (out.length === MAX_ENTRIES) break;
  }
  return out;
}

export function formatChain(members: readonly ChainMember[]): string {
  return [...new Set(members.map(formatMember))].join(",");
}

/**
 * Pure: why a request carrying `chain` must be refused by gateway `self`, or undefined. It is a
 * loop when the chain holds this gateway (its requests came back to it) or a gateway of the same
 * registry file (which lists the same servers, so it would reach this one again).
 */
export function requestLoop(chain: readonly ChainMember[], self: ChainMember): string | undefined {
  if (chain.some((m) => m.id === self.id)) return "this request has already passed through this voidmcp";
  if (chain.some((m) => m.tag === self.tag)) {
    return "this request comes from a voidmcp that serves the same registry file";
  }
  return undefined;
}

/**
 * Pure: why a gateway started with `inherited` (its VOIDMCP_CHAIN) must not start its upstreams,
 * or undefined. A voidmcp started over stdio by a voidmcp of the same registry would start
 * itself again without end; other nestings are cut at MAX_CHAIN_DEPTH.
 */
export function startLoop(inherited: readonly ChainMember[], tag: string): string | undefined {
  if (inherited.some((m) => m.tag === tag)) {
    return `it was started by a voidmcp of the same registry (${CHAIN_ENV}), so its servers include itself`;
  }
  if (inherited.length >= MAX_CHAIN_DEPTH) {
    return `it was started inside ${inherited.length} other voidmcp gateways (${CHAIN_ENV}); at most ${MAX_CHAIN_DEPTH - 1} may be nested`;
  }
  return undefined;
}

/** The message of an upstream that turned out to be voidmcp itself (or leads back to it). */
export function selfServerMessage(server: string, why: string): string {
  return `server "${server}" is this voidmcp itself (${why}): remove it from the registry`;
}
