import { homedir } from "node:os";
import { join } from "node:path";

/**
 * voidmcp's state directory: `$XDG_STATE_HOME/voidmcp`, else `~/.local/state/voidmcp`. What the
 * gateway keeps between runs lives here (the audit log, the credential file), never beside the
 * registry, which users copy and share.
 */
export function stateDirectory(env: Readonly<Record<string, string | undefined>>): string {
  const state = env.XDG_STATE_HOME?.trim()
    ? env.XDG_STATE_HOME
    : join(env.HOME || homedir(), ".local", "state");
  return join(state, "voidmcp");
}
