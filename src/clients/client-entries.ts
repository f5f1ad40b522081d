/**
 * Pure conversions of one server entry from a client's own spelling to the `mcpServers` shape
 * voidmcp's registry uses, for the clients whose entries differ from it in more than the URL key
 * (which convertEntry in import.ts handles for every client). Key order and keys voidmcp has no
 * use for are kept; anything that is not an object is passed on for collectEntries to report.
 */

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A reason instead of an entry: the server cannot be started from outside the client. */
export interface NotImportable {
  readonly notImportable: string;
}

export type EntryConversion = (raw: unknown) => unknown;

/**
 * opencode: `{type: "local", command: ["prog", "arg", …], environment, enabled}` or
 * `{type: "remote", url, headers, enabled}`. The command array becomes command and args,
 * `environment` becomes env, and both types are dropped (voidmcp tells stdio from HTTP by
 * command/url; opencode's remote tries Streamable HTTP first, voidmcp's default).
 */
export function fromOpencodeEntry(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "type" && (value === "local" || value === "remote")) continue;
    if (key === "command" && Array.isArray(value)) {
      const [command, ...args] = value;
      out.command = command;
      if (args.length > 0) out.args = args;
    } else if (key === "environment") {
      out.env = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Zed's `context_servers`: `{command, args, env}` (current), `{command: {path, args, env}}`
 * (before Zed 0.190) or `{url, headers}`; `source: "custom"` marks one the user wrote. A server
 * that an extension provides (`source: "extension"`, or only `settings`) has no command voidmcp
 * could start, so it is not importable.
 */
export function fromZedEntry(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  if (
    raw.source === "extension" ||
    (raw.command === undefined && raw.url === undefined && "settings" in raw)
  ) {
    return {
      notImportable: "it is provided by a Zed extension, which only Zed can start",
    } satisfies NotImportable;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "source" && value === "custom") continue;
    if (key === "command" && isObject(value)) {
      out.command = value.path;
      if (value.args !== undefined) out.args = value.args;
      if (value.env !== undefined) out.env = value.env;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Copilot CLI's `mcp-config.json`: `type: "local"` (or "stdio") for a command, "http" / "sse" for
 * a URL, and `tools` as a list of the tools the agent may use: `["*"]` means all (voidmcp's
 * default, so it is dropped), any other list becomes `tools.allow`.
 */
export function fromCopilotEntry(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "type" && value === "local") continue;
    if (key === "tools" && Array.isArray(value)) {
      if (!value.includes("*")) out.tools = { allow: value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Gemini CLI: `httpUrl` is Streamable HTTP (import.ts turns it into url + type "http"), while a
 * plain `url` without `type` is Gemini's SSE endpoint, so it gets `type: "sse"`.
 */
export function fromGeminiEntry(raw: unknown): unknown {
  if (!isObject(raw) || !("url" in raw) || "httpUrl" in raw || "type" in raw) return raw;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key] = value;
    if (key === "url") out.type = "sse";
  }
  return out;
}

export function isNotImportable(value: unknown): value is NotImportable {
  return isObject(value) && typeof value.notImportable === "string" && Object.keys(value).length === 1;
}
