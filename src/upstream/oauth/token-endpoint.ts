import { VoidError } from "../../core/index.js";
import type { TokenEndpointAuthMethod } from "./credentials.js";
import { fetchJson, oauthErrorCode } from "./http.js";
import { parseTokenResponse, type TokenResponse } from "./metadata.js";

/** What a token request needs to know about the client and the server. */
export interface TokenClient {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly authMethod: TokenEndpointAuthMethod;
  readonly tokenEndpoint: string;
  /** RFC 8707: sent with every token request, so tokens are bound to this MCP server. */
  readonly resource?: string;
}

/** OAuth errors that mean the grant or the client is no good any more: only a new sign-in helps. */
const REFUSALS: readonly string[] = ["invalid_grant", "invalid_client", "unauthorized_client"];

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they go into Basic. */
function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
}

/**
 * POSTs a grant to the token endpoint and checks the answer. A refusal (invalid_grant, …) is a
 * VoidError with `details.refused`; a malformed answer names the field; nothing is stored here.
 */
export async function requestTokens(
  server: string,
  client: TokenClient,
  grant: Record<string, string>,
): Promise<TokenResponse> {
  const body = new URLSearchParams(grant);
  if (client.resource !== undefined) body.set("resource", client.resource);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (client.authMethod === "client_secret_basic" && client.clientSecret !== undefined) {
    headers.Authorization = basic(client.clientId, client.clientSecret);
  } else {
    body.set("client_id", client.clientId);
    if (client.authMethod === "client_secret_post" && client.clientSecret !== undefined) {
      body.set("client_secret", client.clientSecret);
    }
  }
  const what = grant.grant_type === "refresh_token" ? "the token refresh" : "the token request";
  const answer = await fetchJson(server, what, client.tokenEndpoint, { method: "POST", headers, body });
  if (answer.status !== 200) {
    const code = oauthErrorCode(answer.json);
    const refused = code !== undefined && REFUSALS.includes(code);
    throw new VoidError(
      refused ? "upstream_unavailable" : "upstream_error",
      `server "${server}": the authorization server refused ${what} (HTTP ${answer.status}${code ? `, ${code}` : ""})`,
      { details: { refused, ...(code ? { oauthError: code } : {}) } },
    );
  }
  return parseTokenResponse({ server, what: `the answer to ${what}` }, answer.json);
}

/** RFC 7009: asks the server to forget a token. Best effort: never throws. */
export async function revokeToken(
  server: string,
  client: TokenClient,
  revocationEndpoint: string,
  token: string,
  hint: "refresh_token" | "access_token",
): Promise<boolean> {
  const body = new URLSearchParams({ token, token_type_hint: hint });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (client.authMethod === "client_secret_basic" && client.clientSecret !== undefined) {
    headers.Authorization = basic(client.clientId, client.clientSecret);
  } else {
    body.set("client_id", client.clientId);
    if (client.clientSecret !== undefined) body.set("client_secret", client.clientSecret);
  }
  try {
    const answer = await fetchJson(server, "the token revocation", revocationEndpoint, {
      method: "POST",
      headers,
      body,
    });
    return answer.status === 200;
  } catch {
    return false;
  }
}
