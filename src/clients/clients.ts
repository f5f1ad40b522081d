/**
 * The MCP clients `voidmcp init` and `voidmcp import` know: how each one's config file is laid
 * out and what entry makes it reach voidmcp (started as `voidmcp serve`, or over HTTP).
 */

export const CLIENT_NAMES = [
  "claude-code",
  "claude-desktop",
  "cursor",
  "vscode",
  "codex",
  "windsurf",
  "gemini",
  "opencode",
  "zed",
  "copilot",
] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export function isClientName(value: string): value is ClientName {
  return (CLIENT_NAMES as readonly string[]).includes(value);
}

/** How a client's file stores servers. */
export type ConfigFormat = "json" | "toml";

export interface ClientInfo {
  readonly name: ClientName;
  /** As people call it. */
  readonly label: string;
  readonly format: ConfigFormat;
  /** Where the named servers sit in the file (JSON keys, or the TOML table path). */
  readonly serversPath: readonly string[];
  /** What to do after the file changed for the client to see it. */
  readonly afterChange: string;
  /** Whether the client's file can name a remote (HTTP) server; Claude Desktop's cannot. */
  readonly remote: boolean;
}

export const CLIENTS: Readonly<Record<ClientName, ClientInfo>> = {
  "claude-code": {
    name: "claude-code",
    label: "Claude Code",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "start a new Claude Code session (`claude`); `/mcp` shows voidmcp",
    remote: true,
  },
  "claude-desktop": {
    name: "claude-desktop",
    label: "Claude Desktop",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "quit Claude Desktop completely and open it again",
    remote: false,
  },
  cursor: {
    name: "cursor",
    label: "Cursor",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "Cursor picks it up in Settings → MCP (toggle voidmcp on if it is off)",
    remote: true,
  },
  vscode: {
    name: "vscode",
    label: "VS Code",
    format: "json",
    serversPath: ["servers"],
    afterChange: "in VS Code run “MCP: List Servers” and start voidmcp (Copilot Chat in agent mode uses it)",
    remote: true,
  },
  codex: {
    name: "codex",
    label: "Codex CLI",
    format: "toml",
    serversPath: ["mcp_servers"],
    afterChange: "start a new Codex session (`codex`); `/mcp` lists voidmcp",
    remote: true,
  },
  windsurf: {
    name: "windsurf",
    label: "Windsurf",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "in Windsurf open Cascade → MCP servers and press Refresh",
    remote: true,
  },
  gemini: {
    name: "gemini",
    label: "Gemini CLI",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange:
      "run `gemini mcp list` (Gemini ignores MCP servers in folders it does not trust: trust the folder with /permissions)",
    remote: true,
  },
  opencode: {
    name: "opencode",
    label: "opencode",
    format: "json",
    serversPath: ["mcp"],
    afterChange: "start opencode again; `opencode mcp list` shows voidmcp",
    remote: true,
  },
  zed: {
    name: "zed",
    label: "Zed",
    format: "json",
    serversPath: ["context_servers"],
    afterChange: "Zed reloads its settings; the Agent panel's settings list voidmcp with a green dot",
    remote: true,
  },
  copilot: {
    name: "copilot",
    label: "Copilot CLI",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "start a new Copilot CLI session (`copilot`); `/mcp show` lists voidmcp",
    remote: true,
  },
};

/** The key voidmcp's entry has in every client's server list. */
export const ENTRY_NAME = "voidmcp";

/** How to start voidmcp: an absolute program and the arguments before `serve`. */
export interface LaunchCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** A JSON value as the entries hold them (TOML can write each of these too). */
export type EntryValue = string | boolean | readonly EntryValue[] | { readonly [key: string]: EntryValue };
export type ClientEntry = { readonly [key: string]: EntryValue };

/**
 * The entry that makes `client` start `voidmcp serve` (plus `--config PATH` when the registry is
 * not the default one), in the shape that client writes itself: Claude Code and VS Code name the
 * transport (`"type": "stdio"`), opencode wants the command as one array and `"type": "local"`,
 * Copilot CLI `"type": "local"` and the tools it may use; the others take command and args.
 */
export function gatewayEntry(
  client: ClientName,
  launch: LaunchCommand,
  registryPath: string | undefined,
  serveArgs: readonly string[] = [],
): ClientEntry {
  const args = [
    ...launch.args,
    "serve",
    ...(registryPath === undefined ? [] : ["--config", registryPath]),
    ...serveArgs,
  ];
  switch (client) {
    case "claude-code":
    case "vscode":
      return { type: "stdio", command: launch.command, args };
    case "opencode":
      return { type: "local", command: [launch.command, ...args], enabled: true };
    case "copilot":
      return { type: "local", command: launch.command, args, tools: ["*"] };
    case "claude-desktop":
    case "cursor":
    case "codex":
    case "windsurf":
    case "gemini":
    case "zed":
      return { command: launch.command, args };
    default: {
      const exhaustive: never = client;
      return exhaustive;
    }
  }
}

/** Where voidmcp's HTTP front is and the bearer token it wants. */
export interface HttpEndpoint {
  /** For example `http://127.0.0.1:8787/mcp`. */
  readonly url: string;
  /** Undefined when the front runs with --no-auth. */
  readonly token: string | undefined;
}

/**
 * The entry that makes `client` reach voidmcp's HTTP front, the token in an Authorization header,
 * each client with its own spelling of a remote server: `serverUrl` (Windsurf), `httpUrl`
 * (Gemini CLI), `type: "remote"` (opencode), `http_headers` (Codex), `type: "http"` (Claude Code,
 * VS Code, Copilot CLI), plain `url` (Cursor, Zed). Undefined for a client whose file has no
 * remote servers (Claude Desktop).
 */
export function httpGatewayEntry(client: ClientName, endpoint: HttpEndpoint): ClientEntry | undefined {
  const { url } = endpoint;
  const headers = endpoint.token === undefined ? undefined : { Authorization: `Bearer ${endpoint.token}` };
  const withHeaders = (entry: ClientEntry, key = "headers"): ClientEntry =>
    headers === undefined ? entry : { ...entry, [key]: headers };
  switch (client) {
    case "claude-code":
    case "vscode":
      return withHeaders({ type: "http", url });
    case "copilot":
      return { ...withHeaders({ type: "http", url }), tools: ["*"] };
    case "cursor":
    case "zed":
      return withHeaders({ url });
    case "windsurf":
      return withHeaders({ serverUrl: url });
    case "gemini":
      return withHeaders({ httpUrl: url });
    case "opencode":
      return { ...withHeaders({ type: "remote", url }), enabled: true };
    case "codex":
      return withHeaders({ url }, "http_headers");
    case "claude-desktop":
      return undefined;
    default: {
      const exhaustive: never = client;
      return exhaustive;
    }
  }
}
