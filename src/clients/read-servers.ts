import { CLIENTS, type ClientName } from "./clients.js";
import { parseCodexConfig } from "./codex-import.js";
import { type ClientConfig, type ImportOptions, parseClientConfig } from "./import.js";

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
  return CLIENTS[client].format === "toml"
    ? parseCodexConfig(text, path, options)
    : parseClientConfig(text, path, options);
}
