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
 * - Windsurf: `~/.codeium/windsurf/mcp_config.json` on every platform.
 * - Gemini CLI: `~/.gemini/settings.json` (`$GEMINI_CLI_HOME/.gemini/…` when that is set).
 * - opencode: `$XDG_CONFIG_HOME/opencode/opencode.json` on every platform (it follows XDG even on
 *   macOS and Windows).
 * - Zed: `$XDG_CONFIG_HOME/zed/settings.json` (Linux), `~/.config/zed/settings.json` (macOS),
 *   `%APPDATA%\Zed\settings.json` (Windows).
 * - Copilot CLI: `$COPILOT_HOME/mcp-config.json`, default `~/.copilot/mcp-config.json`.
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
    case "windsurf":
      return path.join(home, ".codeium", "windsurf", "mcp_config.json");
    case "gemini":
      return path.join(set(env.GEMINI_CLI_HOME) ?? home, ".gemini", "settings.json");
    case "opencode":
      return path.join(configHome, "opencode", "opencode.json");
    case "zed":
      if (windows) return path.join(appData, "Zed", "settings.json");
      return path.join(
        context.platform === "darwin" ? path.join(home, ".config") : configHome,
        "zed",
        "settings.json",
      );
    case "copilot":
      return path.join(set(env.COPILOT_HOME) ?? path.join(home, ".copilot"), "mcp-config.json");
    default: {
      const exhaustive: never = client;
      return exhaustive;
    }
  }
}

/**
 * Pure: the project-level config file of `client` in the project directory `dir`, or undefined
 * for a client that has none (Claude Desktop, Windsurf, Codex, Copilot CLI read only user-level
 * files for MCP servers): Claude Code `.mcp.json`, Cursor `.cursor/mcp.json`, VS Code
 * `.vscode/mcp.json`, Gemini CLI `.gemini/settings.json`, opencode `opencode.json`, Zed
 * `.zed/settings.json`.
 */
export function projectConfigPath(
  client: ClientName,
  dir: string,
  platform: NodeJS.Platform,
): string | undefined {
  const path = platform === "win32" ? win32 : posix;
  switch (client) {
    case "claude-code":
      return path.join(dir, ".mcp.json");
    case "cursor":
      return path.join(dir, ".cursor", "mcp.json");
    case "vscode":
      return path.join(dir, ".vscode", "mcp.json");
    case "gemini":
      return path.join(dir, ".gemini", "settings.json");
    case "opencode":
      return path.join(dir, "opencode.json");
    case "zed":
      return path.join(dir, ".zed", "settings.json");
    case "claude-desktop":
    case "codex":
    case "windsurf":
    case "copilot":
      return undefined;
    default: {
      const exhaustive: never = client;
      return exhaustive;
    }
  }
}
