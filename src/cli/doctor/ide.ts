import type { Check } from "./checks.js";

/**
 * Whether each MCP client on this machine is set up to start voidmcp. Filled in from the client
 * definitions that `voidmcp init` uses.
 */
export async function ideChecks(_env: Readonly<Record<string, string | undefined>>): Promise<Check[]> {
  return [];
}
