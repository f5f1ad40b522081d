import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * voidmcp's own `requestState` for a modern (2026-07-28) client: the continuation of a call that
 * is waiting for the client's input. The client must echo it unchanged; it is attacker-controlled
 * input when it comes back, so it is signed (HMAC-SHA256 with a key that lives and dies with the
 * process) and names what it is good for: one round of one continuation, one method with one
 * set of parameters, one client, until a deadline. It carries no secret (it is signed, not
 * encrypted): only ids, a digest and a time.
 *
 * Wire form: `base64url(JSON claims) "." base64url(HMAC(key, first part))`.
 */
export interface StateClaims {
  /** The continuation (the waiting call) this state resumes. */
  readonly continuation: string;
  /** Which input round it answers: a state is good for one retry only. */
  readonly round: number;
  readonly method: string;
  /** `paramsDigest` of the request that started the call. */
  readonly params: string;
  /** Who may present it (see `principalDigest`). */
  readonly principal: string;
  /** Epoch ms after which it is refused. */
  readonly expiresAt: number;
}

/** Why a presented state was refused. */
export type StateRejection = "malformed" | "forged" | "expired" | "other-request" | "other-client";

export type StateCheck =
  | { readonly ok: true; readonly claims: StateClaims }
  | { readonly ok: false; readonly reason: StateRejection };

/** What the retry that presents a state must match. */
export interface StateExpectation {
  readonly method: string;
  readonly params: string;
  readonly principal: string;
}

export const STATE_KEY_BYTES = 32;

/** A fresh signing key: one per process, so a state never outlives the calls it refers to. */
export function newStateKey(): Buffer {
  return randomBytes(STATE_KEY_BYTES);
}

/**
 * The digest that binds a state to its request (pure): the params as the client sent them,
 * without the parts that differ between rounds by design (`_meta`, `inputResponses`,
 * `requestState`), keys sorted so that key order does not matter.
 */
export function paramsDigest(params: Readonly<Record<string, unknown>> | undefined): string {
  const salient: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (key === "_meta" || key === "inputResponses" || key === "requestState") continue;
    salient[key] = value;
  }
  return createHash("sha256").update(canonicalJson(salient)).digest("base64url");
}

/** A short, stable name for a client identity (pure); the identity itself stays out of the state. */
export function principalDigest(principal: string): string {
  return createHash("sha256").update(principal).digest("base64url").slice(0, 22);
}

/** JSON with object keys sorted at every depth (pure). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

export function signState(claims: StateClaims, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(key, body).toString("base64url")}`;
}

function isClaims(value: unknown): value is StateClaims {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.continuation === "string" &&
    typeof v.round === "number" &&
    typeof v.method === "string" &&
    typeof v.params === "string" &&
    typeof v.principal === "string" &&
    typeof v.expiresAt === "number"
  );
}

/**
 * Checks a presented state (pure but for the HMAC): its signature first (nothing in an unsigned
 * state is believed), then its deadline, then that it belongs to this request and this client.
 * Whether its continuation still waits, and for this round, is the caller's to check.
 */
export function verifyState(state: string, key: Buffer, expected: StateExpectation, now: number): StateCheck {
  const parts = state.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
  const [body, signature] = parts as [string, string];
  // Compared as text, not as decoded bytes: base64url's last character carries unused bits, so
  // several strings decode to the same MAC; only the one encoding voidmcp issued is accepted.
  const given = Buffer.from(signature, "utf8");
  const wanted = Buffer.from(mac(key, body).toString("base64url"), "utf8");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
    return { ok: false, reason: "forged" };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!isClaims(claims)) return { ok: false, reason: "malformed" };
  if (now > claims.expiresAt) return { ok: false, reason: "expired" };
  if (claims.method !== expected.method || claims.params !== expected.params) {
    return { ok: false, reason: "other-request" };
  }
  if (claims.principal !== expected.principal) return { ok: false, reason: "other-client" };
  return { ok: true, claims };
}

/** What the client is told when its state is refused (pure). */
export function stateRejectionMessage(reason: StateRejection | "replayed" | "unknown"): string {
  const restart = "call again without requestState and inputResponses to start over";
  switch (reason) {
    case "malformed":
      return `Invalid requestState: it is not a state voidmcp issued; ${restart}`;
    case "forged":
      return `Invalid requestState: its signature does not match (altered, or issued by another voidmcp process); ${restart}`;
    case "expired":
      return `Invalid requestState: it expired; ${restart}`;
    case "other-request":
      return `Invalid requestState: it was issued for another request (method or parameters differ); ${restart}`;
    case "other-client":
      return `Invalid requestState: it was issued to another client; ${restart}`;
    case "replayed":
      return `Invalid requestState: it was already used (a requestState answers one round only); ${restart}`;
    case "unknown":
      return `Invalid or expired requestState: the call it continues is no longer waiting (it ended, expired or was cancelled); ${restart}`;
    default: {
      const exhaustive: never = reason;
      return exhaustive;
    }
  }
}
