import type { CredentialData } from "../../secrets/index.js";

/**
 * What voidmcp keeps per server after `voidmcp auth <server>`, and under which keys of the
 * credential store (never in the registry file):
 *
 * - `oauth:<server>:client`: the registered client (`StoredClient`): the authorization server's
 *   issuer it was registered with, its client id (and secret, when the server issued one), how it
 *   came to be (dynamic registration, pre-registered, client metadata document), the loopback
 *   redirect port chosen once for this server, and the endpoints the gateway needs to refresh.
 * - `oauth:<server>:tokens`: the tokens (`StoredTokens`) bound to that issuer and client.
 *
 * Both are JSON strings. A client stored for another issuer than the one discovery finds now is
 * not used: the server is registered again (and its tokens are replaced).
 */

export type RegistrationKind = "dynamic" | "pre-registered" | "metadata-document";

export interface StoredClient {
  readonly issuer: string;
  readonly clientId: string;
  /** Issued by dynamic registration; a pre-registered secret stays in the registry. */
  readonly clientSecret?: string;
  readonly registration: RegistrationKind;
  /** `client_secret_basic`, `client_secret_post` or `none`. */
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly redirectPort: number;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint?: string;
  /** The RFC 8707 resource the tokens are for (sent on every token request). */
  readonly resource?: string;
  /** The server URL this was registered for: a changed URL means a new sign-in. */
  readonly serverUrl: string;
}

export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface StoredTokens {
  readonly issuer: string;
  readonly clientId: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch ms when the access token expires; absent when the server did not say. */
  readonly expiresAt?: number;
  /** Epoch ms when it was issued: with expiresAt, the token's lifetime. */
  readonly obtainedAt: number;
  readonly scope?: string;
}

export const clientKey = (server: string): string => `oauth:${server}:client`;
export const tokensKey = (server: string): string => `oauth:${server}:tokens`;
/** Every key of one server's sign-in, for `--logout`. */
export const serverKeyPrefix = (server: string): string => `oauth:${server}:`;

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The stored client, or undefined when none is stored or the value is not one (then it is ignored). */
export async function readClient(store: CredentialData, server: string): Promise<StoredClient | undefined> {
  const value = parseJson(await store.get(clientKey(server)));
  if (!isObject(value)) return undefined;
  const ok =
    typeof value.issuer === "string" &&
    typeof value.clientId === "string" &&
    typeof value.redirectPort === "number" &&
    typeof value.tokenEndpoint === "string" &&
    typeof value.serverUrl === "string";
  return ok ? (value as unknown as StoredClient) : undefined;
}

export async function readTokens(store: CredentialData, server: string): Promise<StoredTokens | undefined> {
  const text = await store.get(tokensKey(server));
  return tokensFromText(text);
}

export function tokensFromText(text: string | undefined): StoredTokens | undefined {
  const value = parseJson(text);
  if (!isObject(value)) return undefined;
  const ok =
    typeof value.accessToken === "string" &&
    typeof value.issuer === "string" &&
    typeof value.clientId === "string" &&
    typeof value.obtainedAt === "number";
  return ok ? (value as unknown as StoredTokens) : undefined;
}

export async function writeClient(
  store: CredentialData,
  server: string,
  client: StoredClient,
): Promise<void> {
  await store.set(clientKey(server), JSON.stringify(client));
}

export async function writeTokens(
  store: CredentialData,
  server: string,
  tokens: StoredTokens,
): Promise<void> {
  await store.set(tokensKey(server), JSON.stringify(tokens));
}
