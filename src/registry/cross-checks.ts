import { DEFAULT_NAME_BUDGET, fitsNameRules, joinedName } from "../core/index.js";
import type { JsonPath } from "../formats/index.js";
import type { RegistryFields } from "./schema.js";

/** Something wrong that only the whole file shows, at the JSON path of the value to fix. */
export interface CrossIssue {
  readonly path: JsonPath;
  readonly message: string;
}

/** What an override's name may hold on its own: every client's characters, nothing else. */
const OVERRIDE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Pure: the checks of a schema-valid file that need more than one field (a rejected edit, like a
 * type error). Profiles may name only registered servers, in `servers` and on the server side of
 * a tool pattern (a `*` there may match any). An override's name, under its server's prefix,
 * must satisfy the exposed-name rules within `nameBudget` as it is (it is never shortened, the
 * user chose it), and no two overrides may give the same exposed name. Whether an override
 * collides with a tool's own name is known only once the servers list their tools; that is
 * reported at run time like any collision.
 */
export function crossIssues(file: RegistryFields): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const servers = Object.keys(file.mcpServers ?? {});
  const registered = new Set(servers);
  const known = servers.length === 0 ? "no server is registered" : `registered: ${servers.join(", ")}`;

  for (const [profile, spec] of Object.entries(file.profiles ?? {})) {
    spec.servers?.forEach((server, index) => {
      if (!registered.has(server)) {
        issues.push({
          path: ["profiles", profile, "servers", index],
          message: `unknown server "${server}" (${known})`,
        });
      }
    });
    for (const list of ["allow", "deny"] as const) {
      spec.tools?.[list]?.forEach((pattern, index) => {
        const server = pattern.slice(0, pattern.indexOf("."));
        if (!server.includes("*") && !registered.has(server)) {
          issues.push({
            path: ["profiles", profile, "tools", list, index],
            message: `"${pattern}" names server "${server}", which is not registered (${known})`,
          });
        }
      });
    }
  }

  const budget = file.nameBudget ?? DEFAULT_NAME_BUDGET;
  const givenBy = new Map<string, string>();
  for (const [server, entry] of Object.entries(file.mcpServers ?? {})) {
    const prefix = entry.prefix ?? server;
    for (const [tool, override] of Object.entries(entry.overrides ?? {})) {
      if (override.name === undefined) continue;
      const path = ["mcpServers", server, "overrides", tool, "name"];
      const problem = overrideNameProblem(prefix, override.name, budget);
      if (problem !== undefined) {
        issues.push({ path, message: problem });
        continue;
      }
      const exposed = joinedName(prefix, override.name);
      const where = `mcpServers.${server}.overrides.${tool}`;
      const earlier = givenBy.get(exposed);
      if (earlier !== undefined) {
        issues.push({ path, message: `gives the name "${exposed}", which ${earlier} already gives` });
      } else {
        givenBy.set(exposed, where);
      }
    }
  }
  return issues;
}

/** Why `name` cannot be the override of a tool of a server with `prefix`, or undefined when it can. */
export function overrideNameProblem(prefix: string, name: string, budget: number): string | undefined {
  if (!OVERRIDE_NAME.test(name)) {
    return `${JSON.stringify(name)} is not a tool name: expected letters, digits, "_" and "-" only`;
  }
  const exposed = joinedName(prefix, name);
  if (fitsNameRules(exposed, budget)) return undefined;
  if (!/^[A-Za-z]/.test(exposed)) {
    return `clients would see "${exposed}", which does not start with a letter; start the name (or the server's prefix) with one`;
  }
  return `clients would see "${exposed}" (${exposed.length} characters), longer than nameBudget allows (${budget}); choose a shorter name`;
}
