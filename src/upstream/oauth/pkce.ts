import { createHash, randomBytes } from "node:crypto";

/** RFC 7636: a 43-character verifier from 32 random bytes, and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256(verifier) };
}

export function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** An unguessable `state` for one authorization request. */
export function newState(): string {
  return randomBytes(24).toString("base64url");
}

/** The authorization request URL: the endpoint's own query parameters are kept. */
export function authorizationUrl(
  endpoint: string,
  params: {
    readonly clientId: string;
    readonly redirectUri: string;
    readonly challenge: string;
    readonly state: string;
    readonly scope?: string;
    readonly resource?: string;
  },
): string {
  const url = new URL(endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", params.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("code_challenge", params.challenge);
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", params.state);
  if (params.scope !== undefined) url.searchParams.set("scope", params.scope);
  if (params.resource !== undefined) url.searchParams.set("resource", params.resource);
  return url.href;
}
