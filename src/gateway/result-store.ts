import { randomBytes } from "node:crypto";
import { VoidError } from "../core/index.js";

export const DEFAULT_HANDLE_BYTES = 64 * 1024;
export const DEFAULT_HANDLE_TTL_MS = 30 * 60_000;
/** All handles together keep at most this many bytes; the oldest go first. */
export const DEFAULT_HANDLE_TOTAL_BYTES = 64 * 1024 * 1024;
export const RESULT_URI_PREFIX = "voidmcp://results/";
const PREVIEW_CHARS = 500;

/** What leaves the gateway in place of a large return value. */
export interface ResultHandle {
  readonly handle: string;
  readonly bytes: number;
  readonly preview: string;
  readonly uri: string;
  readonly expiresAt: string;
}

interface Kept {
  readonly owner: string;
  readonly json: string;
  readonly bytes: number;
  readonly expiresAtMs: number;
}

/**
 * Large script results, kept in memory under unguessable handles: readable only by the client
 * (session) that made them, until `ttlMs` after they were kept, with all of them together bounded
 * by `totalBytes` (the oldest are dropped first). Nothing is written to disk.
 */
export class ResultStore {
  private readonly kept = new Map<string, Kept>();
  private total = 0;
  private readonly totalBytes: number;
  private readonly now: () => number;

  constructor(totalBytes = DEFAULT_HANDLE_TOTAL_BYTES, now: () => number = Date.now) {
    this.totalBytes = totalBytes;
    this.now = now;
  }

  keep(owner: string, json: string, ttlMs: number): ResultHandle {
    this.expire();
    const bytes = Buffer.byteLength(json);
    const handle = `r_${randomBytes(12).toString("hex")}`;
    const expiresAtMs = this.now() + ttlMs;
    // Insertion order is age order: drop from the front until the new one fits.
    for (const [key, old] of this.kept) {
      if (this.total + bytes <= this.totalBytes) break;
      this.drop(key, old);
    }
    if (bytes <= this.totalBytes) {
      this.kept.set(handle, { owner, json, bytes, expiresAtMs });
      this.total += bytes;
    }
    return {
      handle,
      bytes,
      preview: json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS)}…` : json,
      uri: `${RESULT_URI_PREFIX}${handle}`,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
  }

  /** The kept JSON text; a handle that is unknown, expired, dropped or another client's is not found. */
  get(owner: string, handle: string): string {
    this.expire();
    const kept = this.kept.get(handle);
    if (!kept || kept.owner !== owner) {
      throw new VoidError("not_found", `no result "${handle}" for this client`, {
        hint: "handles expire (codeMode.handleTtlMs), are dropped oldest first when many are kept, and are readable only by the session that made them",
      });
    }
    return kept.json;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, kept] of this.kept) if (kept.expiresAtMs <= now) this.drop(key, kept);
  }

  private drop(key: string, kept: Kept): void {
    this.kept.delete(key);
    this.total -= kept.bytes;
  }
}
