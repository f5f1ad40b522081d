import { VoidError } from "../core/index.js";
import {
  kindOf,
  lineColumnAt,
  parseToml,
  TomlSyntaxError,
  type TomlTable,
  type TomlValue,
} from "../formats/index.js";
import { type ClientConfig, collectEntries, type ImportOptions } from "./import.js";

const HINT = "expected Codex CLI's config.toml";

function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses TOML for a client file. Throws VoidError("registry_invalid") with `file:line:col` for
 * text that is not TOML.
 */
export function parseTomlFile(text: string, path: string): ReturnType<typeof parseToml> {
  try {
    return parseToml(text);
  } catch (error) {
    if (!(error instanceof TomlSyntaxError)) throw error;
    const { line, column } = lineColumnAt(text, error.offset);
    throw new VoidError("registry_invalid", `${path}:${line}:${column}: invalid TOML: ${error.message}`, {
      hint: HINT,
      cause: error,
    });
  }
}

/**
 * One `[mcp_servers.<name>]` table of Codex in the `mcpServers` shape, keeping key order and
 * the keys voidmcp has no use for (such as `startup_timeout_sec`):
 * - `bearer_token_env_var = "X"` becomes the header `Authorization: Bearer ${X}`,
 *   `http_headers` become `headers`, `env_http_headers = { H = "X" }` the header `H: ${X}`;
 * - `tool_timeout_sec` becomes `timeoutMs`; `enabled_tools` / `disabled_tools` become
 *   `tools.allow` / `tools.deny`.
 * Anything that is not a table is passed on for collectEntries to report.
 */
export function fromCodexEntry(raw: TomlValue): unknown {
  if (!isTable(raw)) return raw;
  const out: Record<string, unknown> = {};
  const headers: Record<string, unknown> = {};
  const tools: Record<string, unknown> = {};
  const HEADER_KEYS = ["bearer_token_env_var", "http_headers", "env_http_headers"];
  const TOOL_KEYS = ["enabled_tools", "disabled_tools"];
  for (const [key, value] of Object.entries(raw)) {
    if (HEADER_KEYS.includes(key)) {
      if (key === "bearer_token_env_var" && typeof value === "string")
        headers.Authorization = `Bearer \${${value}}`;
      else if (key === "http_headers" && isTable(value)) Object.assign(headers, value);
      else if (key === "env_http_headers" && isTable(value)) {
        for (const [name, variable] of Object.entries(value)) {
          headers[name] = typeof variable === "string" ? `\${${variable}}` : variable;
        }
      } else out[key] = value;
      if (!("headers" in out) && Object.keys(headers).length > 0) out.headers = headers;
    } else if (TOOL_KEYS.includes(key)) {
      tools[key === "enabled_tools" ? "allow" : "deny"] = value;
      out.tools ??= tools;
    } else if (key === "tool_timeout_sec" && typeof value === "number") {
      out.timeoutMs = Math.round(value * 1000);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Pure: the MCP servers of a Codex CLI config.toml (`[mcp_servers.<name>]` tables), ready to merge
 * into the registry, with the same rules as parseClientConfig (names sanitised, unusable entries
 * skipped with a reason). A file without `mcp_servers` has no servers. Throws
 * VoidError("registry_invalid") for text that is not TOML or an `mcp_servers` that is not a table.
 */
export function parseCodexConfig(text: string, path: string, options: ImportOptions = {}): ClientConfig {
  const { value } = parseTomlFile(text, path);
  const servers = value.mcp_servers;
  if (servers === undefined) return { entries: [], skipped: [] };
  const converted = isTable(servers)
    ? Object.fromEntries(Object.entries(servers).map(([name, entry]) => [name, fromCodexEntry(entry)]))
    : servers;
  return collectEntries([{ path: ["mcp_servers"], servers: converted }], {
    ...options,
    notAnObject: (source) =>
      new VoidError(
        "registry_invalid",
        `${path}: mcp_servers: expected a table of named servers, got ${kindOf(source.servers)}`,
        { hint: HINT },
      ),
  });
}
