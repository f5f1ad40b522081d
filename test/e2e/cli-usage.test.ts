/**
 * The built CLI's surface as a user meets it first: version, help for the CLI and for every
 * command, and what a mistyped command or option does.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesOf, expectFailure, jsonOf, registryText, type Sandbox, sandbox } from "./cli-support.js";

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** Every command with the usage line its --help must show. */
const COMMANDS = [
  {
    name: "serve",
    usage: "serve [--profile NAME] [--http [--port N] [--host H] [--no-auth] [--stdio]] [options]",
  },
  { name: "add", usage: "add <name> <url | command [args...]> [options]" },
  { name: "remove", usage: "remove <name>" },
  { name: "list", usage: "list [options]" },
  { name: "tools", usage: "tools [server] [options]" },
  { name: "call", usage: "call <server> <tool> [json | key=value ...] [options]" },
  { name: "run", usage: "run <file.ts | -> [options]" },
  { name: "doctor", usage: "doctor [options]" },
  { name: "token", usage: "token [--regenerate] [options]" },
  { name: "secret", usage: "secret <set NAME | list | remove NAME> [options]" },
  { name: "auth", usage: "auth [<server>] [--no-browser] [--logout] [--timeout MS] [options]" },
  { name: "import", usage: "import <client | file> [options]" },
  { name: "init", usage: "init <client> [options]" },
  { name: "log", usage: "log [options]" },
] as const;

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => {
  await box.cleanup();
});

describe("voidmcp --version", () => {
  it.each([["--version"], ["-V"], ["version"]])(
    "%s prints the package.json version and the commit",
    async (flag) => {
      const result = await box.run([flag]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      // From a git checkout the commit comes from git (-dirty with uncommitted changes).
      expect(result.stdout).toMatch(
        new RegExp(
          `^${PACKAGE_VERSION.replace(/\./g, "\\.")} \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)\n$`,
        ),
      );
    },
  );
});

describe("voidmcp --help", () => {
  it("lists every command with its summary and exits 0", async () => {
    const result = await box.run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`voidmcp ${PACKAGE_VERSION}`);
    expect(result.stdout).toContain("Usage: voidmcp <command> [options]");
    const listed = [...result.stdout.matchAll(/^ {2}([a-z]+) {2,}\S/gm)].map((m) => m[1]);
    expect(listed).toEqual(COMMANDS.map((c) => c.name));
  });

  it("is also what -h and a bare `voidmcp` print", async () => {
    const help = await box.run(["--help"]);
    expect(await box.run(["-h"])).toEqual(help);
    expect(await box.run([])).toEqual(help);
  });

  it.each(COMMANDS)(
    "`$name --help` shows its usage line and options and exits 0",
    async ({ name, usage }) => {
      const result = await box.run([name, "--help"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(`Usage: voidmcp ${usage}\n`)).toBe(true);
      expect(result.stdout).toMatch(/^Options:$/m);
      expect(result.stdout).toMatch(/^ +--config PATH +registry file/m);
      expect(result.stdout).toMatch(/^ +-h, --help +show this help$/m);
      // Asking for help does nothing else.
      expect(await bytesOf(box.registry)).toBeUndefined();
    },
  );

  it("shows a command's help for `-h`, for `help <command>`, and even after other arguments", async () => {
    const usage = "Usage: voidmcp add <name> <url | command [args...]> [options]\n";
    for (const args of [
      ["add", "-h"],
      ["help", "add"],
      ["add", "x", "node", "--help"],
    ]) {
      const result = await box.run(args);
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(usage)).toBe(true);
    }
    expect(await bytesOf(box.registry)).toBeUndefined();
  });
});

describe("usage errors", () => {
  it("an unknown command exits 2 with one line on stderr and nothing on stdout", async () => {
    const line = expectFailure(await box.run(["bogus"]), 2, 'unknown command "bogus"');
    expect(line).toContain("see voidmcp --help");
  });

  it("a near miss suggests the command", async () => {
    expectFailure(
      await box.run(["remve", "x"]),
      2,
      /unknown command "remve" \(did you mean `voidmcp remove`\?/,
    );
  });

  it.each([
    [["list", "--bogus"], "unknown option --bogus"],
    [["tools", "-x"], "unknown option -x"],
    [["add", "--nope", "name", "node"], "unknown option --nope"],
    [["call", "fx", "echo", "--verbose"], "unknown option --verbose"],
    [["--bogus"], 'unknown command "--bogus"'],
  ])("%j exits 2: %s", async (args, message) => {
    expectFailure(await box.run(args), 2, message);
    expect(await bytesOf(box.registry)).toBeUndefined();
  });

  it.each([
    [["add", "x", "node", "--cwd"], "option --cwd needs a value (DIR)"],
    [["list", "--json=yes"], "option --json takes no value"],
    [["list", "--timeout", "soon"], '--timeout must be a positive number of milliseconds, not "soon"'],
    [["add", "x"], "add needs a name and a URL or command"],
    [["remove"], "remove needs the name of a server"],
    [["call", "fx"], "call needs a server and a tool"],
    [["import"], "import needs a client or the path of a config file"],
    [["remove", "a", "b"], "unexpected arguments: b"],
    [["serve", "extra"], "unexpected arguments: extra"],
    [["list", "fx"], "unexpected arguments: fx"],
    [["tools", "fx", "echo"], "unexpected arguments: echo"],
  ])("%j exits 2: %s", async (args, message) => {
    expectFailure(await box.run(args), 2, message);
  });
});

describe("options before the command", () => {
  it("`voidmcp --config FILE --json list` reads as `voidmcp list --config FILE --json`", async () => {
    const other = await box.write("other.json", { mcpServers: { off: { command: "x", enabled: false } } });
    const report = jsonOf(await box.run(["--config", other, "--json", "list"])) as {
      registryPath: string;
      servers: Array<{ name: string; state: string }>;
    };
    expect(report.registryPath).toBe(other);
    expect(report.servers).toEqual([expect.objectContaining({ name: "off", state: "disabled" })]);
  });

  it("`voidmcp --config=FILE add ...` edits that file", async () => {
    const result = await box.run([`--config=${box.dir}/front.json`, "add", "x", "node"]);
    expect(result.code).toBe(0);
    expect(await bytesOf(`${box.dir}/front.json`)).toEqual(
      Buffer.from(registryText({ version: 1, mcpServers: { x: { command: "node" } } })),
    );
  });
});
