// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write ${VAR} references as the user types them.
/**
 * The commands that edit or read the registry file without starting servers: add, remove,
 * import, where the registry is found, and what a broken registry does. Real files in real
 * temporary directories; the CLI is the built one, run as a child process.
 */
import { chmod, mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  bytesOf,
  expectFailure,
  jsonOf,
  modeOf,
  registryText,
  type Sandbox,
  sandbox,
} from "./cli-support.js";

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

/** The registry as the CLI left it, parsed. */
async function registryOf(path = box.registry): Promise<unknown> {
  const bytes = await bytesOf(path);
  expect(bytes, `${path} should exist`).toBeDefined();
  return JSON.parse((bytes as Buffer).toString("utf8")) as unknown;
}

/** A registry written by hand: compact, so that any rewrite by the CLI would show. */
const HAND_WRITTEN = `{"version": 1,
  "mcpServers": {
    "fx": {"command": "node", "args": ["fx.js"]},
    "web": {"url": "https://example.com/mcp"}
  }}`;

describe("add", () => {
  it("creates the file, its parent directories (0700) and mode 0600, with the server's args as given", async () => {
    const path = join(box.dir, "deep", "er", "servers.json");
    const result = await box.run(["add", "files", "npx", "-y", "pkg", "--flag"], {
      env: { VOIDMCP_CONFIG: path },
    });
    expect(result).toEqual({
      code: 0,
      stdout: `Added "files" (stdio: npx -y pkg --flag) to ${path}\n`,
      stderr: `Created ${path} (mode 0600).\n`,
    });
    expect((await bytesOf(path))?.toString()).toBe(
      registryText({ version: 1, mcpServers: { files: { command: "npx", args: ["-y", "pkg", "--flag"] } } }),
    );
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(box.dir, "deep", "er"))).toBe(0o700);
    expect(await modeOf(join(box.dir, "deep"))).toBe(0o700);
  });

  it("passes everything after -- to the server untouched, options before it included", async () => {
    const dir = join(box.dir, "tool");
    const result = await box.run([
      "add",
      "local",
      "--env",
      "LOG=1",
      "--env=MODE=a=b",
      "--cwd",
      dir,
      "--",
      "node",
      "server.js",
      "--verbose",
      "--json",
      "--env",
      "X=1",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Added "local" (stdio: node server.js --verbose --json --env X=1) to ${box.registry}\n`,
    );
    expect(await registryOf()).toEqual({
      version: 1,
      mcpServers: {
        local: {
          command: "node",
          args: ["server.js", "--verbose", "--json", "--env", "X=1"],
          env: { LOG: "1", MODE: "a=b" },
          cwd: dir,
        },
      },
    });
  });

  it("stores a relative --cwd as an absolute path, resolved where add was run", async () => {
    const result = await box.run(["add", "rel", "--cwd", "tool/sub", "node", "server.js"], { cwd: box.dir });
    expect(result.code).toBe(0);
    const doc = (await registryOf()) as { mcpServers: Record<string, { cwd?: string }> };
    expect(doc.mcpServers.rel?.cwd).toBe(join(box.dir, "tool", "sub"));
  });

  it("takes its own options after the positionals and passes unknown ones to the server (--json output)", async () => {
    const result = await box.run([
      "add",
      "srv",
      "node",
      "server.js",
      "--port",
      "3",
      "-v",
      "--env",
      "A=1",
      "--cwd=/srv",
      "--json",
    ]);
    const entry = { command: "node", args: ["server.js", "--port", "3", "-v"], env: { A: "1" }, cwd: "/srv" };
    expect(jsonOf(result)).toEqual({ added: "srv", entry, registry: box.registry, created: true });
    expect(await registryOf()).toEqual({ version: 1, mcpServers: { srv: entry } });
  });

  it("registers a URL server with headers (kept literally, ${VAR} included) and --type sse", async () => {
    const result = await box.run([
      "add",
      "--type",
      "sse",
      "--header",
      "Authorization: Bearer ${GITHUB_TOKEN}",
      "gh",
      "https://example.com/sse",
      "--header",
      "X-Trace:  a:b ",
    ]);
    expect(result.stdout).toBe(`Added "gh" (sse: https://example.com/sse) to ${box.registry}\n`);
    expect(result.code).toBe(0);
    expect(await registryOf()).toEqual({
      version: 1,
      mcpServers: {
        gh: {
          type: "sse",
          url: "https://example.com/sse",
          headers: { Authorization: "Bearer ${GITHUB_TOKEN}", "X-Trace": "a:b" },
        },
      },
    });
  });

  it("writes --disabled and an empty --prefix", async () => {
    expect((await box.run(["add", "quiet", "https://example.com/mcp", "--disabled", "--prefix="])).code).toBe(
      0,
    );
    expect(await registryOf()).toEqual({
      version: 1,
      mcpServers: { quiet: { url: "https://example.com/mcp", prefix: "", enabled: false } },
    });
  });

  it("keeps unknown top-level keys, unknown entry keys, key order and an existing file's mode", async () => {
    const before = {
      $comment: "mine",
      version: 1,
      codeMode: { timeoutMs: 5000, custom: [1, 2] },
      mcpServers: {
        zeta: { note: "first", command: "z", args: ["1"] },
        alpha: { url: "https://a.example/mcp", extra: { deep: true } },
      },
      zzz: "last",
    };
    await box.write("servers.json", before);
    await chmod(box.registry, 0o640);
    const result = await box.run(["add", "mid", "node", "m.js"]);
    expect(result).toEqual({
      code: 0,
      stdout: `Added "mid" (stdio: node m.js) to ${box.registry}\n`,
      stderr: "",
    });
    const after = {
      ...before,
      mcpServers: { ...before.mcpServers, mid: { command: "node", args: ["m.js"] } },
    };
    // Exact text: same key order everywhere, the new server last.
    expect((await bytesOf(box.registry))?.toString()).toBe(registryText(after));
    expect(await modeOf(box.registry)).toBe(0o640);
  });

  it("refuses a name that is taken: exit 1, a hint, and the file's bytes unchanged", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const before = await bytesOf(box.registry);
    const line = expectFailure(
      await box.run(["add", "web", "https://other.example/mcp"]),
      1,
      'a server named "web" is already registered',
    );
    expect(line).toContain("(run `voidmcp remove web` first, or choose another name)");
    expect(await bytesOf(box.registry)).toEqual(before);
  });

  it.each(["bad name", "a__b", "-dash", "x".repeat(49), "dot.ted"])(
    "refuses the invalid name %j with exit 2 and writes nothing",
    async (name) => {
      // After "--", even "-dash" is a name rather than an option.
      expectFailure(
        await box.run(["add", "--", name, "node"]),
        2,
        `${JSON.stringify(name)} is not a valid server name`,
      );
      expect(await bytesOf(box.registry)).toBeUndefined();
    },
  );

  it.each([
    [["add", "x", "node", "--header", "A: b"], "--header and --type apply to remote servers only"],
    [["add", "x", "node", "--type", "sse"], "--header and --type apply to remote servers only"],
    [["add", "x", "https://e.example/mcp", "--env", "A=1"], "--env and --cwd apply to stdio servers only"],
    [["add", "x", "https://e.example/mcp", "--cwd", "/tmp"], "--env and --cwd apply to stdio servers only"],
    [["add", "x", "https://e.example/mcp", "--type", "ws"], '--type must be "http" or "sse", not "ws"'],
    [["add", "x", "https://e.example/mcp", "extra"], "unexpected arguments after the URL: extra"],
    [["add", "x", "node", "--env", "NOVALUE"], 'invalid --env "NOVALUE" (write it as NAME=VALUE)'],
    [["add", "x", "https://e.example/mcp", "--header", "NoColon"], 'invalid --header "NoColon"'],
    [["add", "x", "https://e.example/mcp", "--prefix", "a b"], 'invalid definition for server "x": prefix'],
  ])("%j is a usage error (exit 2) that writes nothing: %s", async (args, message) => {
    expectFailure(await box.run(args), 2, message);
    expect(await bytesOf(box.registry)).toBeUndefined();
  });
});

describe("add and remove at once", () => {
  it("ten concurrent adds all land in the file, each exit 0", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const names = Array.from({ length: 10 }, (_, i) => `s${i + 1}`);
    const results = await Promise.all(names.map((name, i) => box.run(["add", name, "echo", String(i + 1)])));
    for (const [i, result] of results.entries()) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Added "${names[i]}"`);
    }
    const servers = ((await registryOf()) as { mcpServers: Record<string, unknown> }).mcpServers;
    expect(Object.keys(servers).sort()).toEqual(["fx", "web", ...names].sort());
    for (const [i, name] of names.entries())
      expect(servers[name]).toEqual({ command: "echo", args: [String(i + 1)] });
    expect((await readdir(box.dir)).filter((f) => f.startsWith("servers.json"))).toEqual(["servers.json"]);
  });

  it("keeps comments and inline entries byte for byte through add + remove", async () => {
    const commented = [
      "{",
      '  "version": 1,',
      "  // my servers",
      '  "mcpServers": {',
      '    "fx": { "command": "node", "args": ["fx.js"] }, // inline',
      "    /* the remote one */",
      '    "web": { "url": "https://example.com/mcp" }',
      "  }",
      "}",
      "",
    ].join("\n");
    await box.write("servers.json", commented);
    expect((await box.run(["add", "extra", "echo", "hi"])).code).toBe(0);
    const added = (await bytesOf(box.registry))?.toString();
    expect(added).toBe(
      commented.replace(
        '"web": { "url": "https://example.com/mcp" }\n',
        '"web": { "url": "https://example.com/mcp" },\n    "extra": {\n      "command": "echo",\n      "args": [\n        "hi"\n      ]\n    }\n',
      ),
    );
    expect((await box.run(["remove", "extra"])).code).toBe(0);
    expect((await bytesOf(box.registry))?.toString()).toBe(commented);
  });
});

describe("remove", () => {
  const three = {
    version: 1,
    expose: "code",
    mcpServers: {
      a: { command: "a", custom: true },
      b: { url: "https://b.example/mcp" },
      c: { command: "c", args: ["--x"] },
    },
    trailing: { kept: 1 },
  };

  it("removes one server and keeps the rest, in order, byte for byte", async () => {
    await box.write("servers.json", three);
    const result = await box.run(["remove", "b"]);
    expect(result).toEqual({ code: 0, stdout: `Removed "b" from ${box.registry}\n`, stderr: "" });
    expect((await bytesOf(box.registry))?.toString()).toBe(
      registryText({
        version: 1,
        expose: "code",
        mcpServers: { a: three.mcpServers.a, c: three.mcpServers.c },
        trailing: { kept: 1 },
      }),
    );
  });

  it("--json prints the removed entry", async () => {
    await box.write("servers.json", three);
    expect(jsonOf(await box.run(["remove", "--json", "c"]))).toEqual({
      removed: "c",
      entry: { command: "c", args: ["--x"] },
      registry: box.registry,
    });
    expect(Object.keys((await registryOf()) as { mcpServers: object }).length).toBe(4);
    expect(Object.keys(((await registryOf()) as { mcpServers: object }).mcpServers)).toEqual(["a", "b"]);
  });

  it("an unknown name lists the known ones and leaves the file alone", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const before = await bytesOf(box.registry);
    expectFailure(
      await box.run(["remove", "nope"]),
      1,
      'no server named "nope" is registered; known: fx, web (see `voidmcp list` for the registered servers)',
    );
    expect(await bytesOf(box.registry)).toEqual(before);
  });

  it("with no registry file says so and creates none", async () => {
    expectFailure(await box.run(["remove", "nope"]), 1, "the registry has no servers");
    expect(await bytesOf(box.registry)).toBeUndefined();
  });
});

describe("a broken registry", () => {
  const TRAILING_COMMA = '{\n  "mcpServers": {\n    "a": { "command": "x" },\n  }\n}\n';
  const MISSING_BRACE = '{\n  "mcpServers": {\n    "a": { "command": "x" }\n';
  const ARGS_STRING =
    '{\n  "mcpServers": {\n    "a": {\n      "command": "x",\n      "args": "oops"\n    }\n  }\n}\n';

  it("with a trailing comma: file:line:col and a hint, exit 1, and no command rewrites it", async () => {
    await box.write("servers.json", TRAILING_COMMA);
    const where = `${box.registry}:4:3: invalid JSON:`;
    const listed = expectFailure(await box.run(["list"]), 1, where);
    expect(listed).toContain("JSON does not allow a trailing comma");
    for (const args of [["add", "b", "node"], ["remove", "a"], ["tools"], ["call", "a", "t"]]) {
      expectFailure(await box.run(args), 1, where);
    }
    const client = await box.write("client.json", { mcpServers: { n: { command: "n" } } });
    expectFailure(await box.run(["import", client]), 1, where);
    expect((await bytesOf(box.registry))?.toString()).toBe(TRAILING_COMMA);
  });

  it("with a missing brace: file:line:col, exit 1, the file untouched by add", async () => {
    await box.write("servers.json", MISSING_BRACE);
    expectFailure(await box.run(["list"]), 1, `${box.registry}:3:28: invalid JSON:`);
    const line = expectFailure(await box.run(["add", "b", "node"]), 1, `${box.registry}:3:28: invalid JSON:`);
    expect(line).toContain("voidmcp does not rewrite a registry it cannot read");
    expect((await bytesOf(box.registry))?.toString()).toBe(MISSING_BRACE);
  });

  it("that breaks the schema names the JSON path, line and expectation, untouched by add", async () => {
    await box.write("servers.json", ARGS_STRING);
    const message = `${box.registry}:5:15: mcpServers.a.args: expected an array of strings, got string`;
    expectFailure(await box.run(["list"]), 1, message);
    expectFailure(await box.run(["add", "b", "node"]), 1, message);
    expect((await bytesOf(box.registry))?.toString()).toBe(ARGS_STRING);
  });

  it("that is missing is an empty registry: list says so (exit 0) and creates nothing", async () => {
    const result = await box.run(["list"]);
    expect(result).toEqual({
      code: 0,
      stdout: "",
      stderr: `No servers registered in ${box.registry}.\nAdd one with: voidmcp add <name> <url | command [args...]>\n`,
    });
    expect(jsonOf(await box.run(["list", "--json"]))).toEqual({
      registryPath: box.registry,
      registryExists: false,
      servers: [],
      collisions: [],
    });
    expect(jsonOf(await box.run(["tools", "--json"]))).toEqual([]);
    expect(await bytesOf(box.registry)).toBeUndefined();
  });
});

describe("where the registry is", () => {
  /** Runs `add` with the given environment and returns where `list --json` then finds it. */
  async function addThenLocate(
    env: Record<string, string>,
    extra: string[] = [],
    cwd = box.dir,
  ): Promise<string> {
    expect((await box.run(["add", ...extra, "x", "node", "--disabled"], { env, cwd })).code).toBe(0);
    const report = jsonOf(await box.run(["list", "--json", ...extra], { env, cwd })) as {
      registryPath: string;
      registryExists: boolean;
    };
    expect(report.registryExists).toBe(true);
    expect(await registryOf(report.registryPath)).toEqual({
      version: 1,
      mcpServers: { x: { command: "node", enabled: false } },
    });
    return report.registryPath;
  }

  const noOverrides = { VOIDMCP_CONFIG: "", XDG_CONFIG_HOME: "" };

  it("defaults to ~/.config/voidmcp/servers.json, creating the directories with mode 0700", async () => {
    const expected = join(box.home, ".config", "voidmcp", "servers.json");
    expect(await addThenLocate(noOverrides)).toBe(expected);
    expect(await modeOf(join(box.home, ".config", "voidmcp"))).toBe(0o700);
    expect(await modeOf(expected)).toBe(0o600);
  });

  it("uses $XDG_CONFIG_HOME/voidmcp/servers.json when XDG_CONFIG_HOME is absolute", async () => {
    const xdg = join(box.dir, "xdg");
    expect(await addThenLocate({ ...noOverrides, XDG_CONFIG_HOME: xdg })).toBe(
      join(xdg, "voidmcp", "servers.json"),
    );
    expect(await bytesOf(join(box.home, ".config", "voidmcp", "servers.json"))).toBeUndefined();
  });

  it("ignores a relative XDG_CONFIG_HOME", async () => {
    expect(await addThenLocate({ ...noOverrides, XDG_CONFIG_HOME: "rel" })).toBe(
      join(box.home, ".config", "voidmcp", "servers.json"),
    );
  });

  it("prefers VOIDMCP_CONFIG to XDG_CONFIG_HOME", async () => {
    const path = join(box.dir, "env.json");
    expect(await addThenLocate({ VOIDMCP_CONFIG: path, XDG_CONFIG_HOME: join(box.dir, "xdg") })).toBe(path);
    await expect(stat(join(box.dir, "xdg"))).rejects.toThrow();
  });

  it("prefers --config to VOIDMCP_CONFIG, and resolves a relative --config against the cwd", async () => {
    const work = join(box.dir, "work");
    await mkdir(work);
    const env = { VOIDMCP_CONFIG: join(box.dir, "env.json") };
    expect(await addThenLocate(env, ["--config", "rel.json"], work)).toBe(join(work, "rel.json"));
    expect(await bytesOf(join(box.dir, "env.json"))).toBeUndefined();
  });

  it("expands ~ in --config with $HOME", async () => {
    expect(await addThenLocate(noOverrides, ["--config=~/mine.json"])).toBe(join(box.home, "mine.json"));
  });
});

describe("import", () => {
  const CLAUDE_DESKTOP = {
    mcpServers: {
      files: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] },
      remote: { url: "https://example.com/mcp", headers: { Authorization: "Bearer x" } },
      "my server": { command: "node", args: ["s.js"], env: { A: "1" } },
      broken: { args: ["no command"] },
    },
    globalShortcut: "Ctrl+Space",
  };

  const VSCODE = `// .vscode/mcp.json
{
  /* inputs are VS Code's own */
  "inputs": [{ "type": "promptString", "id": "key" }],
  "servers": {
    "gh": {
      "type": "http",
      "url": "https://api.example.com/mcp",
      "headers": { "Authorization": "Bearer \${env:GH_TOKEN}" }, // a comment
    },
    "local": { "type": "stdio", "command": "node", "args": ["server.js"], },
  },
}
`;

  it("reads a Claude Desktop file into a new registry (0600), renaming and skipping what it must", async () => {
    const source = await box.write("claude_desktop_config.json", CLAUDE_DESKTOP);
    const result = await box.run(["import", source]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Added 3: files, remote, my-server\n");
    expect(result.stderr.split("\n")).toEqual([
      'note: "my server" is registered as "my-server" (server names allow letters, digits, - and _)',
      'skipped "broken": has neither command nor url, so there is nothing to start or connect to',
      "warning: literal secrets were copied into the registry file: remote headers.Authorization; import with --move-secrets (and --overwrite for servers already imported) to keep them in the credential store",
      `Registry: ${box.registry}`,
      "",
    ]);
    expect((await bytesOf(box.registry))?.toString()).toBe(
      registryText({
        version: 1,
        mcpServers: {
          files: CLAUDE_DESKTOP.mcpServers.files,
          remote: CLAUDE_DESKTOP.mcpServers.remote,
          "my-server": CLAUDE_DESKTOP.mcpServers["my server"],
        },
      }),
    );
    expect(await modeOf(box.registry)).toBe(0o600);
  });

  it("reads a VS Code mcp.json with comments, trailing commas, servers and type", async () => {
    await box.write("servers.json", { version: 1, mcpServers: { mine: { command: "m" } } });
    const source = await box.write("mcp.json", VSCODE);
    const result = await box.run(["import", source, "--json"]);
    expect(jsonOf(result)).toEqual({
      source,
      registry: box.registry,
      dryRun: false,
      added: ["gh", "local"],
      replaced: [],
      identical: [],
      conflicts: [],
      skipped: [],
      renamed: [],
      secretsMoved: [],
      literalSecrets: [],
    });
    expect(await registryOf()).toEqual({
      version: 1,
      mcpServers: {
        mine: { command: "m" },
        gh: {
          type: "http",
          url: "https://api.example.com/mcp",
          headers: { Authorization: "Bearer ${GH_TOKEN}" },
        },
        local: { type: "stdio", command: "node", args: ["server.js"] },
      },
    });
  });

  it("reports identical servers as already registered and leaves the file as it is", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const before = await bytesOf(box.registry);
    const source = await box.write("c.json", { mcpServers: { web: { url: "https://example.com/mcp" } } });
    const result = await box.run(["import", source]);
    expect(result.stdout).toBe("Already registered: web\n");
    expect(result.code).toBe(0);
    expect(await bytesOf(box.registry)).toEqual(before);
  });

  it("with nothing but conflicts exits 1 and leaves the file as it is", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const before = await bytesOf(box.registry);
    const source = await box.write("c.json", {
      mcpServers: { web: { url: "https://elsewhere.example/mcp" } },
    });
    const result = await box.run(["import", source]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('conflict: "web"');
    expect(result.code).toBe(1);
    expect(await bytesOf(box.registry)).toEqual(before);
  });

  it("reports conflicts (exit 1), adds the rest, and --overwrite then replaces them in place", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const source = await box.write("c.json", {
      mcpServers: { fx: { command: "uvx", args: ["other"] }, extra: { command: "e" } },
    });
    const first = await box.run(["import", source]);
    expect(first.stdout).toBe("Added 1: extra\n");
    expect(first.stderr).toContain(
      'conflict: "fx": a different server named "fx" is already registered; import with overwrite to replace it\n',
    );
    expect(first.stderr).toContain("use --overwrite to replace them");
    expect(first.code).toBe(1);
    expect(await registryOf()).toEqual({
      version: 1,
      mcpServers: {
        fx: { command: "node", args: ["fx.js"] },
        web: { url: "https://example.com/mcp" },
        extra: { command: "e" },
      },
    });

    const second = await box.run(["import", "--overwrite", source]);
    expect(second.stdout).toBe("Replaced 1: fx\nAlready registered: extra\n");
    expect(second.code).toBe(0);
    // Replaced in place, laid out as it was (inline); the rest of the hand-written file as it was.
    expect((await bytesOf(box.registry))?.toString()).toBe(
      HAND_WRITTEN.replace(
        '"fx": {"command": "node", "args": ["fx.js"]}',
        '"fx": {"command": "uvx", "args": ["other"]}',
      ).replace(
        '"web": {"url": "https://example.com/mcp"}\n',
        '"web": {"url": "https://example.com/mcp"},\n    "extra": {\n      "command": "e"\n    }\n',
      ),
    );
  });

  it("--dry-run reports what would change and writes nothing", async () => {
    await box.write("servers.json", HAND_WRITTEN);
    const before = await bytesOf(box.registry);
    const source = await box.write("c.json", {
      mcpServers: { fx: { command: "other" }, web: { url: "https://example.com/mcp" }, n: { command: "n" } },
    });
    const result = await box.run(["import", source, "--dry-run"]);
    expect(result.stdout).toBe("Would add 1: n\nAlready registered: web\n");
    expect(result.stderr).toContain('conflict: "fx"');
    expect(result.code).toBe(1);
    expect(await bytesOf(box.registry)).toEqual(before);

    const overwrite = await box.run(["import", source, "--dry-run", "--overwrite"]);
    expect(overwrite.stdout).toBe("Would add 1: n\nWould replace 1: fx\nAlready registered: web\n");
    expect(overwrite.code).toBe(0);
    expect(await bytesOf(box.registry)).toEqual(before);
  });

  it("--dry-run does not create a missing registry", async () => {
    const source = await box.write("c.json", CLAUDE_DESKTOP);
    const result = await box.run(["import", source, "--dry-run"]);
    expect(result.stdout).toBe("Would add 3: files, remote, my-server\n");
    expect(result.code).toBe(0);
    expect(await bytesOf(box.registry)).toBeUndefined();
  });

  it("a missing file is a clear error and creates no registry", async () => {
    expectFailure(
      await box.run(["import", "nope.json"]),
      1,
      `cannot read ${join(box.dir, "nope.json")}: no such file`,
    );
    expect(await bytesOf(box.registry)).toBeUndefined();
  });

  it("a file that is not a client config says what was expected", async () => {
    const source = await box.write("other.json", { editor: { fontSize: 12 } });
    expectFailure(
      await box.run(["import", source]),
      1,
      `${source}: found no "mcpServers" or "servers" object`,
    );
    const broken = await box.write("broken.json", '{ "mcpServers": { "a": } }');
    expectFailure(await box.run(["import", broken]), 1, `${broken}:1:24: invalid JSON: expected a value`);
    expect(await bytesOf(box.registry)).toBeUndefined();
  });
});
