import { withFileLock } from "../../formats/index.js";
import type { OAuthContext } from "./context.js";
import { type RegistrationKind, readClient, readTokens, serverKeyPrefix } from "./credentials.js";
import { revokeToken } from "./token-endpoint.js";

/** A server's sign-in as `voidmcp auth` lists it; never a token. */
export interface SignInStatus {
  readonly server: string;
  /** "signed-in": a usable token; "expired": expired but refreshable on next use; "signed-out". */
  readonly state: "signed-in" | "expired" | "signed-out";
  readonly issuer?: string;
  readonly registration?: RegistrationKind;
  readonly redirectPort?: number;
  /** Epoch ms. */
  readonly expiresAt?: number;
  readonly refreshable: boolean;
}

export async function signInStatus(
  server: string,
  context: OAuthContext,
  nowMs: number,
): Promise<SignInStatus> {
  const [client, tokens] = await Promise.all([
    readClient(context.store, server),
    readTokens(context.store, server),
  ]);
  const base = {
    server,
    ...(client
      ? { issuer: client.issuer, registration: client.registration, redirectPort: client.redirectPort }
      : {}),
  };
  if (tokens === undefined) return { ...base, state: "signed-out", refreshable: false };
  const expired = tokens.expiresAt !== undefined && tokens.expiresAt <= nowMs;
  const refreshable = tokens.refreshToken !== undefined;
  return {
    ...base,
    state: expired && !refreshable ? "signed-out" : expired ? "expired" : "signed-in",
    ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
    refreshable,
  };
}

/**
 * `voidmcp auth <server> --logout`: asks the authorization server to revoke the refresh token
 * (best effort, when it offers revocation) and forgets every stored credential of the server:
 * its tokens and its registered client (so the next sign-in starts afresh).
 */
export async function signOut(
  server: string,
  context: OAuthContext,
  clientSecret: string | undefined,
): Promise<{ readonly forgot: number; readonly revoked: boolean }> {
  return withFileLock(
    context.lockPath(server),
    async () => {
      const [client, tokens] = await Promise.all([
        readClient(context.store, server),
        readTokens(context.store, server),
      ]);
      let revoked = false;
      if (client?.revocationEndpoint !== undefined && tokens !== undefined) {
        const secret = client.registration === "pre-registered" ? clientSecret : client.clientSecret;
        const token = tokens.refreshToken ?? tokens.accessToken;
        revoked = await revokeToken(
          server,
          {
            clientId: client.clientId,
            ...(secret !== undefined ? { clientSecret: secret } : {}),
            authMethod: client.tokenEndpointAuthMethod,
            tokenEndpoint: client.tokenEndpoint,
          },
          client.revocationEndpoint,
          token,
          tokens.refreshToken !== undefined ? "refresh_token" : "access_token",
        );
      }
      let forgot = 0;
      for (const key of await context.store.keys(serverKeyPrefix(server))) {
        if (await context.store.delete(key)) forgot += 1;
      }
      return { forgot, revoked };
    },
    { waitMs: 30_000, dirMode: 0o700, label: `the sign-in of "${server}"` },
  );
}
