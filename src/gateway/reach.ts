import type { ProfileSpec } from "../registry/index.js";
import { globMatches } from "./policy.js";

/**
 * What one client may reach: the whole gateway, or one profile of it. A tool or server outside
 * it is, for that client, as absent as one that does not exist: not listed, not found by
 * `search`, and refused as unknown when called (directly or from a script).
 */
export interface Reach {
  /** The profile's name; undefined for the whole gateway. */
  readonly profile: string | undefined;
  /** Why nothing is reachable, when the profile is not in the registry (any more). */
  readonly missing: string | undefined;
  server(name: string): boolean;
  tool(server: string, upstreamName: string): boolean;
}

export const WHOLE_GATEWAY: Reach = {
  profile: undefined,
  missing: undefined,
  server: () => true,
  tool: () => true,
};

/**
 * Pure: whether `profile` lets the tool `server`.`tool` (its upstream name) through: its server
 * is in `servers` (when set), some `allow` pattern matches (when set) and no `deny` pattern does.
 */
export function profileAdmits(profile: ProfileSpec, server: string, tool: string): boolean {
  if (profile.servers && !profile.servers.includes(server)) return false;
  const matches = (p: { server: string; tool: string }) =>
    globMatches(p.server, server) && globMatches(p.tool, tool);
  if (profile.allow && !profile.allow.some(matches)) return false;
  return !profile.deny?.some(matches);
}

/**
 * The reach of the profile `name` in the live `profiles` (read at each use, so a registry edit
 * applies at once); `undefined` is the whole gateway. A profile that is not there reaches
 * nothing and says why: never the whole gateway by mistake, never silently empty.
 */
export function reachOf(name: string | undefined, profiles: Readonly<Record<string, ProfileSpec>>): Reach {
  if (name === undefined) return WHOLE_GATEWAY;
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (profile === undefined) {
    return {
      profile: name,
      missing: unknownProfileMessage(name, Object.keys(profiles)),
      server: () => false,
      tool: () => false,
    };
  }
  return {
    profile: name,
    missing: undefined,
    server: (server) => !profile.servers || profile.servers.includes(server),
    tool: (server, tool) => profileAdmits(profile, server, tool),
  };
}

/** `no profile "x" in the registry; known: a, b`: the one wording for the CLI, HTTP and list_servers. */
export function unknownProfileMessage(name: string, known: readonly string[]): string {
  return `no profile "${name}" in the registry; ${known.length === 0 ? "it defines no profiles" : `known: ${known.join(", ")}`}`;
}
