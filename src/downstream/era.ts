/**
 * Protocol eras, as the downstream fronts see a client. Every revision up to 2025-11-25 opens
 * with `initialize` and keeps a session (`legacy`); 2026-07-28 has no handshake and carries the
 * protocol version, client info and capabilities in every request's `_meta` (`modern`).
 */
export type Era = "legacy" | "modern";

/** The modern revisions voidmcp serves, newest first (what `server/discover` advertises). */
export const MODERN_VERSIONS: readonly string[] = ["2026-07-28"];

export const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
export const CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo";
export const CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
export const LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel";

/** What a client's first message says about its era. */
export type OpeningEra =
  | { readonly era: "legacy"; readonly reason: "initialize" | "no-claim" }
  | { readonly era: "modern"; readonly version: string }
  | { readonly era: "unsupported"; readonly requested: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The era of a client's first message (pure), by the body alone as on stdio: a message whose
 * `params._meta` claims a protocol version is modern (if voidmcp serves that revision; else
 * `unsupported`, answered with -32022 and the supported list), anything else is legacy. An
 * `initialize` is legacy unless it carries a modern claim: the claim, not the method, decides.
 */
export function openingEra(message: unknown): OpeningEra {
  const body = record(message);
  const params = record(body?.params);
  const claim = record(params?._meta)?.[PROTOCOL_VERSION_KEY];
  if (claim === undefined) {
    return { era: "legacy", reason: body?.method === "initialize" ? "initialize" : "no-claim" };
  }
  if (typeof claim === "string" && MODERN_VERSIONS.includes(claim)) return { era: "modern", version: claim };
  return { era: "unsupported", requested: typeof claim === "string" ? claim : String(claim) };
}
