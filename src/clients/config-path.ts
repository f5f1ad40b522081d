import { posix, win32 } from "node:path";
import type { ClientName } from "./clients.js";

export interface PathContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  readonly home: string;
}

function set(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Pure: the user-level config file of `client` on `platform`:
 * - Claude Code: `~/.claude.json` (user-scope servers; per-project ones sit in the same file).
 * - Claude Desktop: `~/Library/Application Support/Claude/claude_desktop_config.json` (macOS),
 *   `%APPDATA%\Claude\claude_desktop_config.json` (Windows), `$XDG_CONFIG_HOME/Claude/…` (Linux,
 *   where only unofficial builds exist).
 * - Cursor: `~/.cursor/mcp.json`.
 * - VS Code: `mcp.json` in the user directory: `~/Library/Application Support/Code/User`,
 *   `%APPDATA%\Code\User`, `$XDG_CONFIG_HOME/Code/User`.
 * - Codex CLI: `$CODEX_HOME/config.toml`, default `~/.codex/config.toml`.
 * XDG_CONFIG_HOME defaults to `~/.config` (and a relative one is ignored); APPDATA to
 * `~\AppData\Roaming`.
 */
export function clientConfigPath(client: ClientName, context: PathContext): string {
  const windows = context.platform === "win32";
  const path = windows ? win32 : posix;
  const { home, env } = context;
  const appData = set(env.APPDATA) ?? path.join(home, "AppData", "Roaming");
  const xdg = set(env.XDG_CONFIG_HOME);
  const configHome = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, ".config");
  const appDir = (name: string): string => {
    if (windows) return path.join(appData, name);
    if (context.platform === "darwin") return path.join(home, "Library", "Application Support", name);
    return path.join(configHome, name);
  };
  switch (client) {
    case "claude-code":
      return path.join(home, ".claude.json");
    case "claude-desktop":
      return path.join(appDir("Claude"), "claude_desktop_config.json");
    case "cursor":
      return path.join(home, ".cursor", "mcp.json");
    case "vscode":
      return path.join(appDir("Code"), "User", "mcp.json");
    case "codex":
      return path.join(set(env.CODEX_HOME) ?? path.join(home, ".codex"), "config.toml");
    default: {
      const exhaustive: never = client;
      return exhaustive;
    }
  }
}
