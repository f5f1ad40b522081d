import { describe, expect, it } from "vitest";
import type { ClientName } from "./clients.js";
import { clientConfigPath, type PathContext } from "./config-path.js";

const linux: PathContext = { platform: "linux", env: {}, home: "/home/me" };
const mac: PathContext = { platform: "darwin", env: {}, home: "/Users/me" };
const windows: PathContext = {
  platform: "win32",
  env: { APPDATA: "C:\\Users\\me\\AppData\\Roaming" },
  home: "C:\\Users\\me",
};

describe("clientConfigPath", () => {
  const cases: Array<[ClientName, PathContext, string]> = [
    ["claude-code", linux, "/home/me/.claude.json"],
    ["claude-code", mac, "/Users/me/.claude.json"],
    ["claude-code", windows, "C:\\Users\\me\\.claude.json"],
    ["claude-desktop", mac, "/Users/me/Library/Application Support/Claude/claude_desktop_config.json"],
    ["claude-desktop", windows, "C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json"],
    ["claude-desktop", linux, "/home/me/.config/Claude/claude_desktop_config.json"],
    [
      "claude-desktop",
      { ...linux, env: { XDG_CONFIG_HOME: "/xdg" } },
      "/xdg/Claude/claude_desktop_config.json",
    ],
    [
      "claude-desktop",
      { ...linux, env: { XDG_CONFIG_HOME: "rel" } },
      "/home/me/.config/Claude/claude_desktop_config.json",
    ],
    [
      "claude-desktop",
      { ...windows, env: {} },
      "C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
    ],
    ["cursor", linux, "/home/me/.cursor/mcp.json"],
    ["cursor", windows, "C:\\Users\\me\\.cursor\\mcp.json"],
    ["vscode", linux, "/home/me/.config/Code/User/mcp.json"],
    ["vscode", mac, "/Users/me/Library/Application Support/Code/User/mcp.json"],
    ["vscode", windows, "C:\\Users\\me\\AppData\\Roaming\\Code\\User\\mcp.json"],
    ["codex", linux, "/home/me/.codex/config.toml"],
    ["codex", { ...linux, env: { CODEX_HOME: "/opt/codex" } }, "/opt/codex/config.toml"],
    ["codex", { ...linux, env: { CODEX_HOME: "" } }, "/home/me/.codex/config.toml"],
    ["codex", windows, "C:\\Users\\me\\.codex\\config.toml"],
  ];
  it.each(cases.map(([c, ctx, p]) => [c, ctx.platform, ctx, p] as const))(
    "%s on %s",
    (client, _, context, path) => {
      expect(clientConfigPath(client, context)).toBe(path);
    },
  );
});
