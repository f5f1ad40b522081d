import type { CredentialStore } from "../../secrets/index.js";
import { type Env, openCredentialStore, refreshLockPath } from "./open-store.js";

/** What an upstream connection needs for OAuth: where credentials live, how refreshes are serialised. */
export interface OAuthContext {
  readonly store: CredentialStore;
  /** The lock file serialising refreshes (and sign-ins) of one server across voidmcp processes. */
  lockPath(server: string): string;
}

/** The context for this environment (its state directory). */
export function oauthContext(env: Env): OAuthContext {
  return { store: openCredentialStore(env), lockPath: (server) => refreshLockPath(env, server) };
}
