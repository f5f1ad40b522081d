import { describe, expect, it } from "vitest";
import type { ClientName } from "./clients.js";
import { clientConfigPath, type PathContext, projectConfigPath } from "./config-path.js";

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
    ["windsurf", linux, "/home/me/.codeium/windsurf/mcp_config.json"],
    ["windsurf", mac, "/Users/me/.codeium/windsurf/mcp_config.json"],
    ["windsurf", windows, "C:\\Users\\me\\.codeium\\windsurf\\mcp_config.json"],
    ["gemini", linux, "/home/me/.gemini/settings.json"],
    ["gemini", windows, "C:\\Users\\me\\.gemini\\settings.json"],
    ["gemini", { ...linux, env: { GEMINI_CLI_HOME: "/g" } }, "/g/.gemini/settings.json"],
    ["opencode", linux, "/home/me/.config/opencode/opencode.json"],
    ["opencode", mac, "/Users/me/.config/opencode/opencode.json"],
    ["opencode", { ...linux, env: { XDG_CONFIG_HOME: "/xdg" } }, "/xdg/opencode/opencode.json"],
    ["opencode", windows, "C:\\Users\\me\\.config\\opencode\\opencode.json"],
    ["zed", linux, "/home/me/.config/zed/settings.json"],
    ["zed", { ...linux, env: { XDG_CONFIG_HOME: "/xdg" } }, "/xdg/zed/settings.json"],
    ["zed", mac, "/Users/me/.config/zed/settings.json"],
    ["zed", { ...mac, env: { XDG_CONFIG_HOME: "/xdg" } }, "/Users/me/.config/zed/settings.json"],
    ["zed", windows, "C:\\Users\\me\\AppData\\Roaming\\Zed\\settings.json"],
    ["copilot", linux, "/home/me/.copilot/mcp-config.json"],
    ["copilot", { ...linux, env: { COPILOT_HOME: "/c" } }, "/c/mcp-config.json"],
    ["copilot", windows, "C:\\Users\\me\\.copilot\\mcp-config.json"],
  ];
  it.each(cases.map(([c, ctx, p]) => [c, ctx.platform, ctx, p] as const))(
    "%s on %s",
    (client, _, context, path) => {
      expect(clientConfigPath(client, context)).toBe(path);
    },
  );
});

describe("projectConfigPath", () => {
  it.each<[ClientName, string | undefined]>([
    ["claude-code", "/p/.mcp.json"],
    ["cursor", "/p/.cursor/mcp.json"],
    ["vscode", "/p/.vscode/mcp.json"],
    ["gemini", "/p/.gemini/settings.json"],
    ["opencode", "/p/opencode.json"],
    ["zed", "/p/.zed/settings.json"],
    ["claude-desktop", undefined],
    ["codex", undefined],
    ["windsurf", undefined],
    ["copilot", undefined],
  ])("%s", (client, path) => {
    expect(projectConfigPath(client, "/p", "linux")).toBe(path);
  });

  it("uses the platform's separators", () => {
    expect(projectConfigPath("zed", "C:\\p", "win32")).toBe("C:\\p\\.zed\\settings.json");
  });
});
