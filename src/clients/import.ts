import { isValidServerName, VoidError } from "../core/index.js";
import {
  formatJsonPath,
  type JsonPath,
  kindOf,
  lineColumnAt,
  locateJsonPath,
  parseJsonText,
} from "../formats/index.js";
import {
  entryProblems,
  type RawServerEntry,
  type RegistryDocument,
  type SelfFacts,
  sanitiseServerName,
  selfEntryReason,
} from "../registry/index.js";
import { isNotImportable } from "./client-entries.js";
import { sameServer } from "./same-server.js";

/** Where an imported server is in the client's file: the key `key` of the object at `path`. */
export interface ServerOrigin {
  readonly path: readonly string[];
  readonly key: string;
}

export interface ImportedEntry {
  /** A valid server name. */
  readonly name: string;
  readonly entry: RawServerEntry;
  readonly origin: ServerOrigin;
  /** The name in the client's file, when it had to be changed to be valid. */
  readonly renamedFrom?: string;
  /** What was changed on the way in, when something was (for example a `cmd /c` wrapper). */
  readonly note?: string;
}

export interface SkippedEntry {
  /** The name as written in the client's file. */
  readonly name: string;
  readonly reason: string;
}

export interface ClientConfig {
  /** In file order: top-level servers first, then Claude Code's per-project ones. */
  readonly entries: ImportedEntry[];
  readonly skipped: SkippedEntry[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One object of named servers in a client's file. */
export interface ServerSource {
  readonly path: readonly string[];
  readonly servers: unknown;
}

export interface ImportOptions {
  /** The platform the servers will run on; decides what happens to `cmd /c` wrappers. */
  readonly platform?: NodeJS.Platform;
  /** A file without any server list has no servers, instead of being an error. */
  readonly allowNoServers?: boolean;
  /** How this machine's voidmcp is reached (its HTTP ports and token), to skip entries that are voidmcp. */
  readonly self?: SelfFacts;
}

const CLIENTS = "Claude Desktop, Claude Code, Cursor, VS Code, Windsurf or Gemini CLI";

/** Where the servers sit in each client's file, in the order they are read. */
function findSources(root: JsonObject): ServerSource[] {
  const sources: ServerSource[] = [];
  // Claude Desktop, Claude Code (user scope), Cursor, Windsurf, Gemini CLI, Cline.
  if ("mcpServers" in root) sources.push({ path: ["mcpServers"], servers: root.mcpServers });
  // VS Code: .vscode/mcp.json, and the "mcp" section of settings.json.
  if ("servers" in root) sources.push({ path: ["servers"], servers: root.servers });
  if (isObject(root.mcp) && "servers" in root.mcp)
    sources.push({ path: ["mcp", "servers"], servers: root.mcp.servers });
  // Claude Code (~/.claude.json): local-scope servers per project directory.
  if (isObject(root.projects)) {
    for (const [dir, project] of Object.entries(root.projects)) {
      if (isObject(project) && "mcpServers" in project) {
        sources.push({ path: ["projects", dir, "mcpServers"], servers: project.mcpServers });
      }
    }
  }
  return sources;
}

/** `${env:NAME}` (VS Code, Cursor) is voidmcp's `${NAME}`; other `${...}` forms are kept as written. */
function fromEnvReferences(value: unknown): unknown {
  if (typeof value === "string")
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => `\${${name}}`);
  if (Array.isArray(value)) return value.map(fromEnvReferences);
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fromEnvReferences(inner)]));
  }
  return value;
}

const URL_KEYS = ["httpUrl", "url", "serverUrl"] as const;
const EXPANDED_KEYS = new Set(["command", "args", "env", "cwd", "url", "headers"]);
const TYPE_ALIASES: Readonly<Record<string, string>> = { streamableHttp: "http", streamable_http: "http" };

/**
 * One client entry in voidmcp's shape, keeping key order and unknown keys. Gemini's `httpUrl`
 * (preferred over `url`, as Gemini does) becomes `url` with `type: "http"`; Windsurf's `serverUrl`
 * becomes `url`; Gemini's includeTools/excludeTools become tools.allow/deny.
 */
function convertEntry(
  raw: unknown,
  platform: NodeJS.Platform,
): { entry: RawServerEntry; note?: string } | { reason: string } {
  if (isNotImportable(raw)) return { reason: raw.notImportable };
  if (!isObject(raw)) return { reason: `expected an object describing the server, got ${kindOf(raw)}` };
  const urlKey = URL_KEYS.find((key) => key in raw);
  const toolKeys = "tools" in raw ? [] : ["includeTools", "excludeTools"].filter((key) => key in raw);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((URL_KEYS as readonly string[]).includes(key)) {
      if (key !== urlKey) continue;
      out.url = fromEnvReferences(value);
      if (key === "httpUrl" && !("type" in raw)) out.type = "http";
    } else if (toolKeys.includes(key)) {
      if (key !== toolKeys[0]) continue;
      const tools: JsonObject = {};
      if ("includeTools" in raw) tools.allow = raw.includeTools;
      if ("excludeTools" in raw) tools.deny = raw.excludeTools;
      out.tools = tools;
    } else if (key === "type" && typeof value === "string") {
      out.type = TYPE_ALIASES[value] ?? value;
    } else {
      out[key] = EXPANDED_KEYS.has(key) ? fromEnvReferences(value) : value;
    }
  }
  if (out.command === undefined && out.url === undefined) {
    return { reason: "has neither command nor url, so there is nothing to start or connect to" };
  }
  const problems = entryProblems(out);
  if (problems !== undefined) return { reason: problems };
  const unwrapped = platform === "win32" ? undefined : unwrapCmd(out as RawServerEntry);
  return unwrapped ?? { entry: out as RawServerEntry };
}

/** Why voidmcp's own entry in a client's config is skipped; also how `doctor` recognises it. */
export const SELF_ENTRY_REASON = "this is voidmcp itself; registering it would make voidmcp its own upstream";

/**
 * Why an entry is voidmcp's own gateway, if it is: as `voidmcp init` writes it (under the name
 * "voidmcp"), as a user might (`voidmcp serve`, `node …/voidmcp/… serve`, a voidmcp binary), or
 * as a client reaches voidmcp over HTTP (a loopback `/mcp` on voidmcp's port or with its token).
 */
function gatewayEntryReason(
  name: string,
  entry: RawServerEntry,
  self: SelfFacts | undefined,
): string | undefined {
  const recognised = selfEntryReason(entry, self);
  if (recognised !== undefined) return recognised;
  const args = entry.args ?? [];
  if (entry.command === undefined || !args.includes("serve")) return undefined;
  if (name === "voidmcp") return "it is voidmcp's own entry";
  const inFolder = [entry.command, args[0] ?? ""].some((part) => /[\\/]voidmcp[\\/]/i.test(part));
  return inFolder ? "its command runs voidmcp" : undefined;
}

const CMD = /^cmd(\.exe)?$/i;

/**
 * Off Windows, `cmd /c <command> <args...>` (how Windows configs start npx and other .cmd
 * scripts) cannot run; the command it wraps is taken instead, with a note. On Windows the
 * wrapper is kept, since that is how such a command starts there.
 */
function unwrapCmd(entry: RawServerEntry): { entry: RawServerEntry; note: string } | undefined {
  const args = entry.args ?? [];
  const inner = args[1];
  if (entry.command === undefined || !CMD.test(entry.command) || !/^\/c$/i.test(args[0] ?? "") || !inner) {
    return undefined;
  }
  const out: RawServerEntry = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === "command") out.command = inner;
    else if (key === "args") out.args = args.slice(2);
    else out[key] = value;
  }
  return {
    entry: out,
    note: `"${entry.command} /c ${inner}" became "${inner}" (cmd exists only on Windows)`,
  };
}

/**
 * Pure: the MCP servers in an existing client config file, ready to merge into the registry.
 * Reads Claude Desktop, Cursor, Claude Code (`mcpServers` and `projects[dir].mcpServers`),
 * VS Code (`servers` or `mcp.servers`, JSON with comments and trailing commas), Windsurf
 * (`serverUrl`) and Gemini CLI (`httpUrl`) files.
 *
 * Invalid names are sanitised (reported through `renamedFrom`); entries that cannot work
 * (no command nor url, wrong types) and names seen before are reported in `skipped`; the first
 * entry of a name wins. `${input:...}` and other client variables are kept as written, except
 * `${env:NAME}` (VS Code, Cursor), which becomes `${NAME}`.
 *
 * Throws VoidError("registry_invalid") when the text is not JSON, or holds no server list at all.
 */
export function parseClientConfig(text: string, path: string, options: ImportOptions = {}): ClientConfig {
  const hint = `expected the MCP config of ${CLIENTS}`;
  const root = parseJsonText(text, path, { hint, comments: true, trailingCommas: true });
  if (!isObject(root)) {
    throw new VoidError(
      "registry_invalid",
      `${path}:1:1: expected a JSON object at the top level, got ${kindOf(root)}`,
      {
        hint,
      },
    );
  }
  const sources = findSources(root);
  if (sources.length === 0 && !isObject(root.projects) && options.allowNoServers !== true) {
    throw new VoidError("registry_invalid", `${path}: found no "mcpServers" or "servers" object`, { hint });
  }
  return collectEntries(sources, {
    ...options,
    notAnObject: (source) => {
      const { line, column } = lineColumnAt(text, locateJsonPath(text, source.path));
      return new VoidError(
        "registry_invalid",
        `${path}:${line}:${column}: ${formatJsonPath(source.path)}: expected an object of named servers, got ${kindOf(source.servers)}`,
        { hint },
      );
    },
  });
}

export interface CollectOptions extends ImportOptions {
  /** The error for a source whose servers are not an object. */
  readonly notAnObject: (source: ServerSource) => VoidError;
}

/**
 * Pure: the servers of every source, in order, as registry entries (the common part of reading
 * any client's file; see parseClientConfig for the rules). Entries must already be in the
 * `mcpServers` shape, apart from the client spellings convertEntry knows.
 */
export function collectEntries(sources: readonly ServerSource[], options: CollectOptions): ClientConfig {
  const platform = options.platform ?? process.platform;
  const entries: ImportedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const firstSeenIn = new Map<string, JsonPath>();
  for (const source of sources) {
    const label = formatJsonPath(source.path);
    if (!isObject(source.servers)) throw options.notAnObject(source);
    // Servers of a project are marked as such, so the user can tell them from user-wide ones.
    const where = source.path[0] === "projects" ? ` (in ${label})` : "";
    for (const [original, raw] of Object.entries(source.servers)) {
      const name = sanitiseServerName(original);
      if (name === undefined) {
        skipped.push({ name: original, reason: `no valid server name can be made from this name${where}` });
        continue;
      }
      const seen = firstSeenIn.get(name);
      if (seen !== undefined) {
        skipped.push({
          name: original,
          reason: `duplicate: a server named "${name}" was already taken from ${formatJsonPath(seen)}${where}`,
        });
        continue;
      }
      const converted = convertEntry(raw, platform);
      if ("reason" in converted) {
        skipped.push({ name: original, reason: `${converted.reason}${where}` });
        continue;
      }
      const self = gatewayEntryReason(name, converted.entry, options.self);
      if (self !== undefined) {
        skipped.push({ name: original, reason: `${SELF_ENTRY_REASON} (${self})${where}` });
        continue;
      }
      firstSeenIn.set(name, source.path);
      const origin: ServerOrigin = { path: source.path, key: original };
      entries.push({
        name,
        entry: converted.entry,
        origin,
        ...(name === original ? {} : { renamedFrom: original }),
        ...(converted.note === undefined ? {} : { note: converted.note }),
      });
    }
  }
  return { entries, skipped };
}

export interface MergeOptions {
  /** Replace an existing server of the same name whose entry differs. */
  readonly overwrite: boolean;
}

export interface MergeResult {
  readonly added: string[];
  readonly replaced: string[];
  /** Already registered with an entry that means the same (key order and defaults aside): nothing changed. */
  readonly identical: string[];
  /** Not merged; `doc` is unchanged for these. */
  readonly conflicts: Array<{ name: string; reason: string }>;
}

/**
 * Merges imported entries into `doc.mcpServers` in place (creating it when absent): new names are
 * appended, replaced ones keep their position. An existing name with a different entry is a
 * conflict unless `overwrite`; so is an invalid name (parseClientConfig never returns one). Pure apart from mutating `doc`; meant to run inside
 * editRegistryFile's mutate.
 */
export function mergeEntries(
  doc: RegistryDocument,
  entries: readonly Pick<ImportedEntry, "name" | "entry">[],
  options: MergeOptions,
): MergeResult {
  const result: MergeResult = { added: [], replaced: [], identical: [], conflicts: [] };
  doc.mcpServers ??= {};
  const servers = doc.mcpServers;
  for (const { name, entry } of entries) {
    if (!isValidServerName(name)) {
      result.conflicts.push({ name, reason: `"${name}" is not a valid server name` });
      continue;
    }
    const existing = Object.hasOwn(servers, name) ? servers[name] : undefined;
    if (existing === undefined) {
      servers[name] = entry;
      result.added.push(name);
    } else if (sameServer(existing, entry)) {
      result.identical.push(name);
    } else if (options.overwrite) {
      servers[name] = entry;
      result.replaced.push(name);
    } else {
      result.conflicts.push({
        name,
        reason: `a different server named "${name}" is already registered; import with overwrite to replace it`,
      });
    }
  }
  return result;
}
