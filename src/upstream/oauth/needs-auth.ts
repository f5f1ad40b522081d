import { VoidError } from "../../core/index.js";

/** The exact command that fixes a missing, revoked or refused sign-in. */
export function signInCommand(server: string): string {
  return `voidmcp auth ${server}`;
}

/**
 * The one error for "this server needs the person to sign in": state `needs-auth`, shown by
 * list_servers, `voidmcp list` and doctor, and returned at once by the server's calls.
 */
export function needsAuthError(server: string, why: string): VoidError {
  return new VoidError("upstream_unavailable", `server "${server}" needs sign-in: ${why}`, {
    hint: `run \`${signInCommand(server)}\``,
    details: { needsAuth: true },
  });
}

/** The needs-auth error in `error` or its causes (the SDK may wrap what the token source threw). */
export function findNeedsAuth(error: unknown): VoidError | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current instanceof Error; i += 1) {
    if (current instanceof VoidError && current.details.needsAuth === true) return current;
    current = current.cause;
  }
  return undefined;
}
