/**
 * The MCP clients `voidmcp init` and `voidmcp import` know: how each one's user config file is
 * laid out and what entry makes it start `voidmcp serve`.
 */

export const CLIENT_NAMES = ["claude-code", "claude-desktop", "cursor", "vscode", "codex"] as const;
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
}

export const CLIENTS: Readonly<Record<ClientName, ClientInfo>> = {
  "claude-code": {
    name: "claude-code",
    label: "Claude Code",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "start a new Claude Code session (`claude`); `/mcp` shows voidmcp",
  },
  "claude-desktop": {
    name: "claude-desktop",
    label: "Claude Desktop",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "quit Claude Desktop completely and open it again",
  },
  cursor: {
    name: "cursor",
    label: "Cursor",
    format: "json",
    serversPath: ["mcpServers"],
    afterChange: "Cursor picks it up in Settings → MCP (toggle voidmcp on if it is off)",
  },
  vscode: {
    name: "vscode",
    label: "VS Code",
    format: "json",
    serversPath: ["servers"],
    afterChange: "in VS Code run “MCP: List Servers” and start voidmcp (Copilot Chat in agent mode uses it)",
  },
  codex: {
    name: "codex",
    label: "Codex CLI",
    format: "toml",
    serversPath: ["mcp_servers"],
    afterChange: "start a new Codex session (`codex`); `/mcp` lists voidmcp",
  },
};

/** The key voidmcp's entry has in every client's server list. */
export const ENTRY_NAME = "voidmcp";

/** How to start voidmcp: an absolute program and the arguments before `serve`. */
export interface LaunchCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The entry that makes `client` start `voidmcp serve` (plus `--config PATH` when the registry is
 * not the default one), in the shape that client writes itself: Claude Code and VS Code name the
 * transport (`"type": "stdio"`), the others do not.
 */
export function gatewayEntry(
  client: ClientName,
  launch: LaunchCommand,
  registryPath: string | undefined,
): { readonly [key: string]: string | readonly string[] } {
  const args = [...launch.args, "serve", ...(registryPath === undefined ? [] : ["--config", registryPath])];
  switch (client) {
    case "claude-code":
    case "vscode":
      return { type: "stdio", command: launch.command, args };
    case "claude-desktop":
    case "cursor":
    case "codex":
      return { command: launch.command, args };
    default: {
      const exhaustive: never = client;
      return exhaustive;
    }
  }
}
