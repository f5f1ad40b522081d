import { join } from "node:path";
import { stateDirectory } from "../../core/index.js";
import { type CredentialData, openCredentialStore, openedOnFirstUse } from "../../secrets/index.js";

type Env = Readonly<Record<string, string | undefined>>;

/** What an upstream connection needs for OAuth: where credentials live, how refreshes are serialised. */
export interface OAuthContext {
  readonly store: CredentialData;
  /** The lock file serialising refreshes (and sign-ins) of one server across voidmcp processes. */
  lockPath(server: string): string;
}

/**
 * The context for this environment: the credential store VOIDMCP_CREDENTIAL_STORE chooses (opened
 * on first use; pass `store` to share one already opened), and lock files in the state directory.
 */
export function oauthContext(env: Env, store?: CredentialData): OAuthContext {
  return {
    store: store ?? openedOnFirstUse(() => openCredentialStore({ env })),
    lockPath: (server) => join(stateDirectory(env), "locks", `oauth-${server}.lock`),
  };
}
