import type { OAuthSettings } from "../../registry/index.js";
import type { RegistrationKind, StoredClient, StoredTokens, TokenEndpointAuthMethod } from "./credentials.js";
import type { AuthServer } from "./metadata.js";

/** Pure decisions of sign-in and refresh, each with a table-driven test beside it. */

export type RegistrationPlan =
  | { readonly kind: "reuse"; readonly client: StoredClient }
  | { readonly kind: RegistrationKind }
  | { readonly kind: "impossible"; readonly why: string };

/**
 * How voidmcp gets a client id at this authorization server, in the spec's order: the entry's
 * pre-registered `clientId`; else the client stored from an earlier sign-in to the same issuer
 * and server URL (so a registration and its redirect port are reused); else a client ID metadata
 * document when the entry names one and the server supports them; else dynamic registration.
 */
export function planRegistration(
  settings: OAuthSettings | undefined,
  stored: StoredClient | undefined,
  server: AuthServer,
  serverUrl: string,
): RegistrationPlan {
  if (settings?.clientId !== undefined) return { kind: "pre-registered" };
  if (
    stored !== undefined &&
    stored.issuer === server.issuer &&
    stored.serverUrl === serverUrl &&
    stored.registration !== "pre-registered"
  ) {
    if (stored.registration === "dynamic" || stored.clientId === settings?.clientMetadataUrl) {
      return { kind: "reuse", client: stored };
    }
  }
  if (settings?.clientMetadataUrl !== undefined && server.clientIdMetadataDocumentSupported) {
    return { kind: "metadata-document" };
  }
  if (server.registrationEndpoint !== undefined) return { kind: "dynamic" };
  return {
    kind: "impossible",
    why:
      settings?.clientMetadataUrl !== undefined
        ? "its authorization server supports neither client ID metadata documents nor dynamic client registration"
        : "its authorization server does not offer dynamic client registration",
  };
}

/**
 * The redirect port: a pre-registered client's configured port; else the port stored with this
 * server's client (kept so its registration stays valid); else undefined (pick a free one).
 */
export function plannedPort(
  settings: OAuthSettings | undefined,
  plan: RegistrationPlan,
  stored: StoredClient | undefined,
): number | undefined {
  if (plan.kind === "pre-registered") {
    if (settings?.redirectPort !== undefined) return settings.redirectPort;
    return stored?.registration === "pre-registered" && stored.clientId === settings?.clientId
      ? stored.redirectPort
      : undefined;
  }
  if (plan.kind === "reuse") return plan.client.redirectPort;
  return settings?.redirectPort;
}

/**
 * The scope to ask for: the entry's `scopes`; else the scope of the server's 401 challenge; else
 * every scope the protected resource lists; else none (the server decides).
 */
export function scopeToRequest(
  configured: readonly string[] | undefined,
  challenged: string | undefined,
  supported: readonly string[] | undefined,
): string | undefined {
  if (configured !== undefined && configured.length > 0) return configured.join(" ");
  if (challenged !== undefined && challenged.trim() !== "") return challenged.trim();
  if (supported !== undefined && supported.length > 0) return supported.join(" ");
  return undefined;
}

/**
 * How the client authenticates at the token endpoint: none without a secret; with one, HTTP
 * Basic unless the server lists only client_secret_post (its default, per RFC 8414, is Basic).
 */
export function tokenAuthMethod(
  secret: string | undefined,
  supported: readonly string[] | undefined,
  registered?: TokenEndpointAuthMethod,
): TokenEndpointAuthMethod {
  if (secret === undefined) return "none";
  if (registered !== undefined && registered !== "none") return registered;
  if (supported === undefined || supported.includes("client_secret_basic")) return "client_secret_basic";
  if (supported.includes("client_secret_post")) return "client_secret_post";
  return "client_secret_basic";
}

/** Refresh this long before expiry at most (a call that starts now must not meet an expired token). */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * Whether the access token should be refreshed before it is used: when it has expired or
 * expires within the margin: a minute, or a third of its lifetime for short-lived tokens. A
 * token without an expiry is used until the server refuses it.
 */
export function refreshDue(tokens: StoredTokens, nowMs: number): boolean {
  if (tokens.expiresAt === undefined) return false;
  const lifetime = Math.max(0, tokens.expiresAt - tokens.obtainedAt);
  const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 3);
  return nowMs >= tokens.expiresAt - margin;
}
