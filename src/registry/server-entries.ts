import { isValidServerName, PREFIX_SEPARATOR, SERVER_NAME_PATTERN, VoidError } from "../core/index.js";
import { describeIssues, issuesFromZod } from "./issues.js";
import { type RawServerEntry, type RegistryDocument, serverEntrySchema } from "./schema.js";

/** What a valid server name looks like, for messages. */
const NAME_RULE = `letters, digits, "-" and "_", starting with a letter or digit, at most 48 characters, no "${PREFIX_SEPARATOR}" (${SERVER_NAME_PATTERN.source})`;

/**
 * Pure: what is wrong with one server entry checked on its own, on one line
 * (`url: expected ...; timeoutMs: expected ...`), or undefined when it is a valid entry.
 */
export function entryProblems(entry: unknown): string | undefined {
  const checked = serverEntrySchema.safeParse(entry);
  return checked.success ? undefined : describeIssues(issuesFromZod(checked.error));
}

/**
 * Adds `entry` under `name` at the end of `doc.mcpServers` (creating it when absent).
 * Throws VoidError("usage") for an invalid name or entry, VoidError("conflict") when the name is
 * taken. Changes nothing when it throws.
 */
export function addServerEntry(doc: RegistryDocument, name: string, entry: RawServerEntry): void {
  if (!isValidServerName(name)) {
    throw new VoidError("usage", `"${name}" is not a valid server name`, {
      hint: `use ${NAME_RULE}`,
    });
  }
  if (doc.mcpServers !== undefined && Object.hasOwn(doc.mcpServers, name)) {
    throw new VoidError("conflict", `a server named "${name}" is already registered`, {
      hint: `run \`voidmcp remove ${name}\` first, or choose another name`,
    });
  }
  const problems = entryProblems(entry);
  if (problems !== undefined) {
    throw new VoidError("usage", `invalid definition for server "${name}": ${problems}`, {
      hint: "give either a command (with its arguments) or an http(s) url",
    });
  }
  doc.mcpServers ??= {};
  doc.mcpServers[name] = entry;
}

/**
 * Removes the server `name` from `doc.mcpServers` and returns its entry; the others keep their
 * order. Throws VoidError("not_found") listing the registered names when there is no such server.
 */
export function removeServerEntry(doc: RegistryDocument, name: string): RawServerEntry {
  const servers = doc.mcpServers ?? {};
  const entry = Object.hasOwn(servers, name) ? servers[name] : undefined;
  if (entry === undefined) {
    const known = Object.keys(servers);
    throw new VoidError(
      "not_found",
      `no server named "${name}" is registered; ${known.length === 0 ? "the registry has no servers" : `known: ${known.join(", ")}`}`,
      { hint: "see `voidmcp list` for the registered servers" },
    );
  }
  delete servers[name];
  return entry;
}
