import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeError } from "../core/index.js";
import { emptyRegistry, loadRegistry } from "./load.js";
import { resolveRegistryPath } from "./resolve-path.js";
import { rejectedVoidError } from "./test-helpers.js";
import { DEFAULT_POLICY } from "./types.js";

describe("loadRegistry", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "voidmcp-load-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("never shows the content of whatever file a symbolic link points at", async () => {
    const key = join(dir, "id_ed25519");
    await writeFile(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n");
    const path = join(dir, "servers.json");
    await symlink(key, path);
    const shown = describeError(await rejectedVoidError(loadRegistry(path)));
    expect(shown).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:1: invalid JSON: expected a value`),
    );
    for (const word of ["BEGIN", "OPENSSH", "PRIVATE", "b3Bl", "---"]) expect(shown).not.toContain(word);
  });

  it.each([
    ['{"mcpServers": {"a": {"url": "https://x", "headers": {"Authorization": Bearer sk-abcdef123}}}}'],
    ['{"mcpServers": {"a": {"command": "x", "env": {"TOKEN": "sk-abcdef123" "B": "1"}}}}'],
    ['{"mcpServers": {"a": {"command": "x", "env": {"TOKEN": "sk-abcdef123'],
  ])("keeps a secret in broken text out of the message: %s", async (text) => {
    const path = join(dir, "servers.json");
    await writeFile(path, text);
    const shown = describeError(await rejectedVoidError(loadRegistry(path)));
    expect(shown).toContain(`${path}:1:`);
    for (const word of ["sk-", "abcdef", "Bearer"]) expect(shown).not.toContain(word);
  });

  it("reads a missing file as an empty registry that does not exist", async () => {
    const path = join(dir, "nope", "servers.json");
    expect(await loadRegistry(path)).toEqual({
      path,
      exists: false,
      version: 1,
      settings: {
        expose: "auto",
        nameBudget: 50,
        profiles: {},
        firstListWaitMs: 5000,
        callTimeoutMs: 60000,
        restart: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30000 },
        healthCheckMs: 30000,
        codeMode: {},
        policy: DEFAULT_POLICY,
      },
      servers: [],
    });
  });

  it("agrees with emptyRegistry", async () => {
    const path = join(dir, "servers.json");
    expect(await loadRegistry(path)).toEqual(emptyRegistry(path));
    expect(emptyRegistry(path, true).exists).toBe(true);
  });

  it("reads a file and reports its absolute path", async () => {
    const path = join(dir, "servers.json");
    await writeFile(path, '{"mcpServers": {"a": {"command": "x"}}}');
    const registry = await loadRegistry(relative(process.cwd(), path));
    expect(registry.path).toBe(path);
    expect(registry.exists).toBe(true);
    expect(registry.servers.map((s) => s.name)).toEqual(["a"]);
  });

  it("reports an invalid file with its absolute path and line:col", async () => {
    const path = join(dir, "servers.json");
    await writeFile(path, '{\n  "mcpServers": {"a": {"command": 1}}\n}\n');
    const error = await rejectedVoidError(loadRegistry(path));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(`${path}:2:35: mcpServers.a.command: expected a non-empty string, got number`);
  });

  it("reports a directory as unreadable, with the OS reason and a hint", async () => {
    const path = join(dir, "servers.json");
    await mkdir(path);
    const error = await rejectedVoidError(loadRegistry(path));
    expect(error.code).toBe("registry_io");
    expect(error.message).toBe(`cannot read registry ${path}: it is a directory (EISDIR)`);
    expect(error.hint).toBe("point --config or VOIDMCP_CONFIG at a file");
  });

  it("reports a path through a file as unreadable", async () => {
    await writeFile(join(dir, "file"), "");
    const path = join(dir, "file", "servers.json");
    const error = await rejectedVoidError(loadRegistry(path));
    expect(error.code).toBe("registry_io");
    expect(error.message).toBe(`cannot read registry ${path}: a parent of it is not a directory (ENOTDIR)`);
  });
});

describe("resolveRegistryPath", () => {
  const home = "/home/me";
  const cwd = "/work/project";
  it.each([
    ["the default", undefined, {}, "/home/me/.config/voidmcp/servers.json"],
    ["XDG_CONFIG_HOME", undefined, { XDG_CONFIG_HOME: "/xdg" }, "/xdg/voidmcp/servers.json"],
    [
      "a relative XDG_CONFIG_HOME is ignored",
      undefined,
      { XDG_CONFIG_HOME: "rel" },
      "/home/me/.config/voidmcp/servers.json",
    ],
    [
      "an empty XDG_CONFIG_HOME is ignored",
      undefined,
      { XDG_CONFIG_HOME: "" },
      "/home/me/.config/voidmcp/servers.json",
    ],
    [
      "VOIDMCP_CONFIG over XDG",
      undefined,
      { VOIDMCP_CONFIG: "/etc/v.json", XDG_CONFIG_HOME: "/xdg" },
      "/etc/v.json",
    ],
    ["a relative VOIDMCP_CONFIG", undefined, { VOIDMCP_CONFIG: "conf/v.json" }, "/work/project/conf/v.json"],
    ["VOIDMCP_CONFIG with ~/", undefined, { VOIDMCP_CONFIG: "~/v.json" }, "/home/me/v.json"],
    [
      "an empty VOIDMCP_CONFIG is ignored",
      undefined,
      { VOIDMCP_CONFIG: "" },
      "/home/me/.config/voidmcp/servers.json",
    ],
    [
      "the flag over everything",
      "/a/b.json",
      { VOIDMCP_CONFIG: "/etc/v.json", XDG_CONFIG_HOME: "/xdg" },
      "/a/b.json",
    ],
    ["a relative flag", "./b.json", {}, "/work/project/b.json"],
    ["a flag with ..", "../b.json", {}, "/work/b.json"],
    ["a flag with ~/", "~/.voidmcp.json", {}, "/home/me/.voidmcp.json"],
    ["a flag of just ~", "~", {}, "/home/me"],
    ["~user is not expanded", "~bob/x.json", {}, "/work/project/~bob/x.json"],
    ["an empty flag is ignored", "", { VOIDMCP_CONFIG: "/etc/v.json" }, "/etc/v.json"],
  ])("%s", (_, flag, env, expected) => {
    expect(resolveRegistryPath({ flag, env, home, cwd })).toBe(expected);
  });
});
