import { describeError, type Logger, VoidError } from "../../core/index.js";
import { withFileLock } from "../../formats/index.js";
import type { OAuthSettings } from "../../registry/index.js";
import type { OAuthContext } from "./context.js";
import { readClient, readTokens, type StoredTokens, tokensKey, writeTokens } from "./credentials.js";
import { refreshDue } from "./decisions.js";
import { parseBearerChallenge } from "./discovery-urls.js";
import { findNeedsAuth, needsAuthError } from "./needs-auth.js";
import { requestTokens } from "./token-endpoint.js";

/** How long a refresh waits for another process's refresh of the same server. */
const LOCK_WAIT_MS = 30_000;

/**
 * The bearer token of one remote server while the gateway serves: what the SDK transport asks
 * before every request (`token`) and after a 401 (`onUnauthorized`). It never opens a browser.
 *
 * - Before expiry (see refreshDue) and after a 401, the token is refreshed with the refresh token.
 * - At most one refresh is in flight per server in this process (one shared promise), and across
 *   processes refreshes take a lock file and re-read the store first: a token another process
 *   (an IDE's own `voidmcp serve`, or `voidmcp auth`) stored meanwhile is used as it is, so a
 *   rotated refresh token is never used twice.
 * - No tokens, a refresh refused (revoked, expired) or a 401 for a fresh token: the needs-auth
 *   error (needs-auth.ts), which the session turns into state `needs-auth`.
 *
 * A server that never signed in and whose 401 does not point at OAuth (no resource_metadata, no
 * `oauth` in the entry) is left to the classic "check the headers" failure.
 */
export class TokenSource {
  private cached: StoredTokens | undefined;
  private loaded = false;
  private inFlight: Promise<StoredTokens> | undefined;

  private readonly server: string;
  private readonly settings: OAuthSettings | undefined;
  private readonly context: OAuthContext;
  private readonly log: Logger;

  constructor(server: string, settings: OAuthSettings | undefined, context: OAuthContext, log: Logger) {
    this.server = server;
    this.settings = settings;
    this.context = context;
    this.log = log;
  }

  /** Whether a token was sent (so a 401 after a refresh means the sign-in itself is refused). */
  get signedIn(): boolean {
    return this.cached !== undefined;
  }

  /** The access token to send, refreshed first when due; undefined when not signed in. */
  async token(): Promise<string | undefined> {
    if (!this.loaded) {
      this.cached = await readTokens(this.context.store, this.server);
      this.loaded = true;
    }
    const tokens = this.cached;
    if (tokens === undefined) return undefined;
    if (!refreshDue(tokens, Date.now())) return tokens.accessToken;
    return (await this.refresh(tokens, false)).accessToken;
  }

  /** The server answered 401: refresh (or adopt newer stored tokens) before the one retry. */
  async onUnauthorized(ctx: { response: Response }): Promise<void> {
    const used = this.cached;
    if (used === undefined) {
      const stored = await readTokens(this.context.store, this.server);
      if (stored !== undefined) {
        this.cached = stored;
        return;
      }
      const challenge = parseBearerChallenge(ctx.response.headers.get("www-authenticate"));
      const oauthServer =
        challenge.resourceMetadata !== undefined ||
        this.settings !== undefined ||
        (await readClient(this.context.store, this.server)) !== undefined;
      if (oauthServer)
        throw needsAuthError(this.server, "it asks for OAuth sign-in and voidmcp has no token for it");
      return;
    }
    await this.refresh(used, true);
  }

  /** One refresh at a time per server in this process; see the class comment for processes. */
  private refresh(seen: StoredTokens, rejected: boolean): Promise<StoredTokens> {
    this.inFlight ??= this.refreshLocked(seen, rejected).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refreshLocked(seen: StoredTokens, rejected: boolean): Promise<StoredTokens> {
    try {
      return await withFileLock(
        this.context.lockPath(this.server),
        () => this.refreshHoldingLock(seen, rejected),
        {
          waitMs: LOCK_WAIT_MS,
          dirMode: 0o700,
          label: `the sign-in of "${this.server}"`,
        },
      );
    } catch (error) {
      const needsAuth = findNeedsAuth(error);
      if (needsAuth) throw needsAuth;
      if (error instanceof VoidError) throw error;
      throw new VoidError(
        "upstream_unavailable",
        `server "${this.server}": cannot refresh its token: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private async refreshHoldingLock(seen: StoredTokens, rejected: boolean): Promise<StoredTokens> {
    const { store } = this.context;
    const current = await readTokens(store, this.server);
    if (current === undefined) {
      this.cached = undefined;
      throw needsAuthError(this.server, "voidmcp has no token for it (signed out, or never signed in)");
    }
    const newer = current.accessToken !== seen.accessToken;
    if (newer && !refreshDue(current, Date.now())) {
      this.cached = current;
      return current;
    }
    if (current.refreshToken === undefined) {
      throw needsAuthError(
        this.server,
        rejected
          ? "it refused the access token, and there is no refresh token"
          : "the access token expired, and there is no refresh token",
      );
    }
    const client = await readClient(store, this.server);
    if (client === undefined || client.clientId !== current.clientId) {
      throw needsAuthError(this.server, "the client it signed in with is no longer stored");
    }
    const secret =
      client.registration === "pre-registered" ? this.settings?.clientSecret : client.clientSecret;
    try {
      const answer = await requestTokens(
        this.server,
        {
          clientId: client.clientId,
          ...(secret !== undefined ? { clientSecret: secret } : {}),
          authMethod: client.tokenEndpointAuthMethod,
          tokenEndpoint: client.tokenEndpoint,
          ...(client.resource !== undefined ? { resource: client.resource } : {}),
        },
        { grant_type: "refresh_token", refresh_token: current.refreshToken },
      );
      const now = Date.now();
      const next: StoredTokens = {
        issuer: current.issuer,
        clientId: current.clientId,
        accessToken: answer.accessToken,
        // RFC 6749 §6: without a new refresh token, the old one stays valid.
        ...(answer.refreshToken !== undefined || current.refreshToken !== undefined
          ? { refreshToken: answer.refreshToken ?? current.refreshToken }
          : {}),
        ...(answer.expiresInS !== undefined ? { expiresAt: now + answer.expiresInS * 1000 } : {}),
        obtainedAt: now,
        ...((answer.scope ?? current.scope) !== undefined ? { scope: answer.scope ?? current.scope } : {}),
      };
      await writeTokens(store, this.server, next);
      this.cached = next;
      this.log.info("refreshed its access token");
      return next;
    } catch (error) {
      if (error instanceof VoidError && error.details.refused === true) {
        // The grant is dead for every process: forget it, so none of them tries it again.
        await store.delete(tokensKey(this.server));
        this.cached = undefined;
        throw needsAuthError(
          this.server,
          `${error.message.replace(/^server "[^"]*": /, "")}; the sign-in was revoked or has expired`,
        );
      }
      throw error;
    }
  }
}
