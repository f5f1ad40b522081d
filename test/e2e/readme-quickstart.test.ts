/**
 * The README's per-client quick start, run as written: for each `#### <client>` section of
 * "3. Point your client at voidmcp", the commands of its `sh` block run in a fresh home that
 * already has a client config with one server, and the client's file must then hold exactly the
 * `json` / `toml` block shown (with the README's example executable path standing for the
 * voidmcp under test), while the server moved into voidmcp's registry. If the README and the
 * CLI drift apart, this fails.
 */
import { mkdir, readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, sandbox } from "./cli-support.js";
import { CLI } from "./harness.js";

const README = await readFile(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
/** The path the README's examples give for the installed executable. */
const EXAMPLE = "/home/me/.local/bin/voidmcp";

interface Section {
  readonly title: string;
  readonly commands: string[][];
  readonly language: "json" | "toml";
  readonly config: string;
}

function quickStartSections(): Section[] {
  const start = README.indexOf("### 3. Point your client at voidmcp");
  const end = README.indexOf("\n## ", start);
  if (start === -1 || end === -1) throw new Error("README: no '### 3. Point your client at voidmcp' section");
  return (
    README.slice(start, end)
      .split("\n#### ")
      .slice(1)
      // Sections without commands (Continue's YAML to paste, the client suite) have nothing to run.
      .filter((part) => part.includes("```sh\n"))
      .map((part) => {
        const title = part.slice(0, part.indexOf("\n"));
        const sh = /```sh\n([\s\S]*?)```/.exec(part)?.[1] ?? "";
        const config = /```(json|toml)\n([\s\S]*?)```/.exec(part);
        if (config === null) throw new Error(`README: no json or toml block under "${title}"`);
        const commands = sh
          .split("\n")
          .map((line) => line.replace(/\s+#.*$/, "").trim())
          .filter((line) => line !== "")
          .map((line) => line.split(/\s+/));
        return { title, commands, language: config[1] as "json" | "toml", config: config[2] as string };
      })
  );
}

/** Where each client's user file is on Linux (HOME-relative), and a file with one server in it. */
const CLIENT_FILES: Readonly<Record<string, { file: string; seed: string }>> = {
  "claude-code": {
    file: ".claude.json",
    seed: '{\n  "mcpServers": {\n    "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "env": {} }\n  }\n}\n',
  },
  "claude-desktop": {
    file: ".config/Claude/claude_desktop_config.json",
    seed: '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }\n',
  },
  cursor: {
    file: ".cursor/mcp.json",
    seed: '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }\n',
  },
  vscode: {
    file: ".config/Code/User/mcp.json",
    seed: '{\n  // mine\n  "servers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } }\n}\n',
  },
  codex: {
    file: ".codex/config.toml",
    seed: '[mcp_servers.memory]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-memory"]\n',
  },
  windsurf: {
    file: ".codeium/windsurf/mcp_config.json",
    seed: '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }\n',
  },
  gemini: {
    file: ".gemini/settings.json",
    seed: '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }\n',
  },
  opencode: {
    file: ".config/opencode/opencode.json",
    seed: '{ "mcp": { "memory": { "type": "local", "command": ["npx", "-y", "@modelcontextprotocol/server-memory"], "enabled": true } } }\n',
  },
  zed: {
    file: ".config/zed/settings.json",
    seed: '// Zed settings\n{\n  "context_servers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } },\n}\n',
  },
  copilot: {
    file: ".copilot/mcp-config.json",
    seed: '{ "mcpServers": { "memory": { "type": "local", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "tools": ["*"] } } }\n',
  },
};

const sections = quickStartSections();

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe("README quick start, per client", () => {
  it("documents the clients init knows", () => {
    expect(sections.map((s) => s.title)).toEqual([
      "Claude Code",
      "Claude Desktop",
      "Cursor",
      "VS Code",
      "Codex CLI",
      "Windsurf",
      "Gemini CLI",
      "opencode",
      "Zed",
      "Copilot CLI",
    ]);
  });

  it.each(sections.map((s) => [s.title, s] as const))("%s", async (_, section) => {
    const client = section.commands[0]?.[2] as string;
    const target = CLIENT_FILES[client];
    expect(target, `a known client in "${section.commands[0]?.join(" ")}"`).toBeDefined();
    const file = join(box.home, target?.file as string);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, target?.seed as string);

    for (const command of section.commands) {
      expect(command[0]).toBe("voidmcp");
      // The default registry, as a user has it: no VOIDMCP_CONFIG.
      const result = await box.run(command.slice(1), { env: { VOIDMCP_CONFIG: "" } });
      expect(result.code, `${command.join(" ")}: ${result.stderr}`).toBe(0);
    }

    const cli = await realpath(CLI);
    const written = await readFile(file, "utf8");
    if (section.language === "toml") {
      const normalised = written.replace(
        `command = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(cli)}, `,
        `command = ${JSON.stringify(EXAMPLE)}\nargs = [`,
      );
      expect(normalised).toBe(section.config);
    } else {
      // Comments and trailing commas (Zed's settings) taken out to read it as JSON.
      const value = JSON.parse(written.replace(/^\s*\/\/.*$/gm, "").replace(/,(\s*[}\]])/g, "$1")) as Record<
        string,
        Record<string, unknown>
      >;
      const servers = Object.values(value).find((v) => typeof v === "object" && "voidmcp" in v) as Record<
        string,
        { command: string | string[]; args?: string[] }
      >;
      const entry = servers.voidmcp as { command: string | string[]; args?: string[] };
      if (Array.isArray(entry.command)) {
        // opencode: the command and its arguments in one array.
        expect(entry.command.slice(0, 2)).toEqual([process.execPath, cli]);
        servers.voidmcp = { ...entry, command: [EXAMPLE, ...entry.command.slice(2)] };
      } else {
        expect([entry.command, entry.args?.[0]]).toEqual([process.execPath, cli]);
        servers.voidmcp = { ...entry, command: EXAMPLE, args: entry.args?.slice(1) ?? [] };
      }
      expect(value).toEqual(JSON.parse(section.config));
    }
    const registry = JSON.parse(await readFile(join(box.home, ".config", "voidmcp", "servers.json"), "utf8"));
    expect(Object.keys(registry.mcpServers)).toEqual(["memory"]);
  });
});
