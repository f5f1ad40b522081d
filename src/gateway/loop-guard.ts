import { createHash, randomBytes } from "node:crypto";
import { resolve } from "node:path";
import {
  CHAIN_ENV,
  CHAIN_HEADER,
  type ChainMember,
  formatChain,
  formatMember,
  parseChain,
  requestLoop,
  startLoop,
} from "../upstream/index.js";

/** How long a gateway seen in a request's chain is still passed on to upstreams. */
const SEEN_FOR_MS = 10 * 60_000;
const MAX_SEEN = 16;

/** A short, stable tag of a registry file: its path hashed, so no path leaves the machine's gateways. */
export function registryTag(registryPath: string): string {
  return createHash("sha256").update(resolve(registryPath)).digest("hex").slice(0, 12);
}

/**
 * One gateway's defence against being its own upstream (see upstream/chain.ts). It has a random
 * id and its registry's tag; it knows the chain it was started in (VOIDMCP_CHAIN) and remembers
 * the gateways whose requests reached its HTTP front (X-Voidmcp-Chain), because a gateway that
 * calls this one must not also be called by it. What it sends upstream is all of those plus itself.
 */
export class LoopGuard {
  readonly self: ChainMember;
  private readonly inherited: readonly ChainMember[];
  private readonly seen = new Map<string, { readonly member: ChainMember; at: number }>();

  constructor(registryPath: string, env: Readonly<Record<string, string | undefined>>) {
    this.self = { id: randomBytes(8).toString("hex"), tag: registryTag(registryPath) };
    this.inherited = parseChain(env[CHAIN_ENV]);
  }

  /** Why this gateway must not start its upstreams (it was started inside a loop), if so. */
  startRefusal(): string | undefined {
    const why = startLoop(this.inherited, this.self.tag);
    return why === undefined ? undefined : `not starting any server: this voidmcp is in a loop: ${why}`;
  }

  /**
   * For the HTTP front: why a request must be refused (508), or undefined, after which the
   * gateways of its chain are remembered.
   */
  checkRequest(header: string | undefined): string | undefined {
    const chain = parseChain(header);
    const loop = requestLoop(chain, this.self);
    if (loop !== undefined) {
      return `Loop Detected: ${loop} (${CHAIN_HEADER}: ${formatChain(chain)}); a voidmcp registry lists this gateway as one of its own servers: remove that entry`;
    }
    const now = Date.now();
    for (const member of chain) {
      const key = formatMember(member);
      this.seen.delete(key);
      this.seen.set(key, { member, at: now });
    }
    while (this.seen.size > MAX_SEEN) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return undefined;
  }

  /** The chain to send upstream now. */
  chain(): string {
    const now = Date.now();
    for (const [key, { at }] of this.seen) if (now - at > SEEN_FOR_MS) this.seen.delete(key);
    return formatChain([...this.inherited, ...[...this.seen.values()].map((s) => s.member), this.self]);
  }
}
