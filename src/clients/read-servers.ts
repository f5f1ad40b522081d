import { VoidError } from "../core/index.js";
import { formatJsonPath, kindOf, lineColumnAt, locateJsonPath, parseJsonText } from "../formats/index.js";
import {
  type EntryConversion,
  fromCopilotEntry,
  fromGeminiEntry,
  fromOpencodeEntry,
  fromZedEntry,
} from "./client-entries.js";
import { CLIENTS, type ClientName } from "./clients.js";
import { parseCodexConfig } from "./codex-import.js";
import { type ClientConfig, collectEntries, type ImportOptions, parseClientConfig } from "./import.js";

/**
 * Clients whose file holds much besides MCP servers (a whole settings file), read only at their
 * server list and through their own entry spelling. A file without that list has no servers.
 */
const OWN_LAYOUT: Partial<Record<ClientName, EntryConversion>> = {
  gemini: fromGeminiEntry,
  opencode: fromOpencodeEntry,
  zed: fromZedEntry,
  copilot: fromCopilotEntry,
  windsurf: (raw) => raw,
};

/**
 * Pure: the servers in `client`'s config file text, ready to merge into the registry (Codex's
 * TOML or the others' JSON with comments). Blank text has none. Throws VoidError("registry_invalid")
 * for text that is not JSON / TOML or a server list of the wrong type.
 */
export function readClientServers(
  client: ClientName,
  text: string,
  path: string,
  options: ImportOptions = {},
): ClientConfig {
  if (text.trim() === "" || (text.charCodeAt(0) === 0xfeff && text.slice(1).trim() === "")) {
    return { entries: [], skipped: [] };
  }
  if (CLIENTS[client].format === "toml") return parseCodexConfig(text, path, options);
  const convert = OWN_LAYOUT[client];
  return convert === undefined
    ? parseClientConfig(text, path, options)
    : parseServerList(client, convert, text, path, options);
}

function parseServerList(
  client: ClientName,
  convert: EntryConversion,
  text: string,
  path: string,
  options: ImportOptions,
): ClientConfig {
  const info = CLIENTS[client];
  const hint = `expected ${info.label}'s config file`;
  const root = parseJsonText(text, path, { hint, comments: true, trailingCommas: true });
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new VoidError(
      "registry_invalid",
      `${path}:1:1: expected a JSON object at the top level, got ${kindOf(root)}`,
      { hint },
    );
  }
  let servers: unknown = root;
  for (const key of info.serversPath) {
    servers =
      typeof servers === "object" && servers !== null ? (servers as Record<string, unknown>)[key] : undefined;
  }
  if (servers === undefined) return { entries: [], skipped: [] };
  const converted =
    typeof servers === "object" && servers !== null && !Array.isArray(servers)
      ? Object.fromEntries(Object.entries(servers).map(([name, entry]) => [name, convert(entry)]))
      : servers;
  return collectEntries([{ path: info.serversPath, servers: converted }], {
    ...options,
    notAnObject: (source) => {
      const { line, column } = lineColumnAt(text, locateJsonPath(text, source.path));
      return new VoidError(
        "registry_invalid",
        `${path}:${line}:${column}: ${formatJsonPath(source.path)}: expected an object of named servers, got ${kindOf(servers)}`,
        { hint },
      );
    },
  });
}
