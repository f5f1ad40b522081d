import { DEFAULT_HTTP_PORT, loadToken } from "../../gateway/index.js";
import type { SelfFacts } from "../../registry/index.js";

/**
 * How this machine's voidmcp is reached, for recognising entries that are voidmcp itself: the
 * default HTTP port, and the token of the registry at `registryPath` (when it has one; none is
 * created here).
 */
export async function selfFacts(
  registryPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SelfFacts> {
  let token: string | undefined;
  try {
    token = (await loadToken(registryPath, env, { create: false }))?.value;
  } catch {
    // An unreadable token file: only the port is known.
  }
  return { ports: [DEFAULT_HTTP_PORT], ...(token === undefined ? {} : { token }) };
}
