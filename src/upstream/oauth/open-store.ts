import { homedir } from "node:os";
import { join } from "node:path";
import type { CredentialStore } from "../../secrets/index.js";
import { InterimFileStore } from "./interim-file-store.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** voidmcp's state directory: `$XDG_STATE_HOME/voidmcp`, else `~/.local/state/voidmcp`. */
export function stateDirOf(env: Env): string {
  const state = env.XDG_STATE_HOME?.trim()
    ? env.XDG_STATE_HOME
    : join(env.HOME || homedir(), ".local", "state");
  return join(state, "voidmcp");
}

/**
 * THE one place voidmcp opens its credential store for sign-in (the gateway while serving, and
 * `voidmcp auth`). For now the interim 0600 JSON file in the state directory; when src/secrets/
 * lands, return its store from here instead.
 */
export function openCredentialStore(env: Env): CredentialStore {
  return new InterimFileStore(stateDirOf(env));
}

/** The lock file that serialises refreshes of one server's tokens across voidmcp processes. */
export function refreshLockPath(env: Env, server: string): string {
  return join(stateDirOf(env), "locks", `oauth-${server}.lock`);
}
