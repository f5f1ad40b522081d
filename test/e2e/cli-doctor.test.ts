/** `voidmcp doctor`: what it finds in the registry and the servers, and the fixes it suggests. */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, sandbox } from "./cli-support.js";
import { fixtureEntry } from "./harness.js";

let box: Sandbox;

beforeEach(async () => {
  box = await sandbox();
});

afterEach(async () => {
  await box?.cleanup();
});

describe("voidmcp doctor", () => {
  it("passes a healthy registry and reports each server's start", async () => {
    await box.write("servers.json", { mcpServers: { fx: fixtureEntry() } });
    await chmod(box.registry, 0o600);
    const result = await box.run(["doctor"]);
    expect(result.stdout).toMatch(/Registry:\n {2}ok +\S+servers\.json +valid, 1 server\(s\)/);
    expect(result.stdout).toMatch(/ok +fx +ready in \d+ ms with \d+ tools/);
    expect(result.code).toBe(0);
  });

  it("names each problem with the step that fixes it, and exits 1", async () => {
    await box.write("servers.json", {
      mcpServers: {
        fx: fixtureEntry(),
        missing: { command: "voidmcp-doctor-no-such-command" },
        secret: {
          url: "https://127.0.0.1:1/mcp",
          headers: { Authorization: "Bearer ${DOCTOR_UNSET_TOKEN}" },
        },
      },
    });
    await chmod(box.registry, 0o644);
    const result = await box.run(["doctor"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /WARN +permissions +mode 644: other users can read it, and it holds env\/headers values/,
    );
    expect(result.stdout).toContain(`→ permissions: chmod 600 ${box.registry}`);
    expect(result.stdout).toMatch(/FAIL +missing +command not found: voidmcp-doctor-no-such-command/);
    expect(result.stdout).toContain(
      '→ missing: install "voidmcp-doctor-no-such-command" or write its absolute path',
    );
    expect(result.stdout).toMatch(/FAIL +secret +.*DOCTOR_UNSET_TOKEN/);
    expect(result.stdout).toContain("→ secret: set DOCTOR_UNSET_TOKEN in the environment voidmcp runs in");
    expect(result.stdout).toMatch(/ok +fx +ready/);
    // The registry permissions and "no client starts voidmcp" are the two warnings.
    expect(result.stdout).toMatch(/2 problem\(s\), 2 warning\(s\)\./);
  });

  it("reports a broken registry with its line and column", async () => {
    await box.write("servers.json", '{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}\n');
    const result = await box.run(["doctor", "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      checks: Array<{ area: string; status: string; message: string }>;
    };
    const registry = report.checks.find((c) => c.area === "registry");
    expect(registry?.status).toBe("fail");
    expect(registry?.message).toContain(`${box.registry}:3:`);
  });

  it("looks for voidmcp in the MCP clients' config files", async () => {
    const none = await box.run(["doctor"]);
    expect(none.stdout).toMatch(
      /IDE integration:\n {2}WARN +clients +no MCP client on this machine starts voidmcp/,
    );
    await mkdir(join(box.home, ".cursor"), { recursive: true });
    await writeFile(
      join(box.home, ".cursor", "mcp.json"),
      JSON.stringify({
        mcpServers: {
          voidmcp: { command: "voidmcp", args: ["serve"] },
          other: { command: "node", args: ["x.js"] },
        },
      }),
    );
    await mkdir(join(box.home, ".codex"), { recursive: true });
    await writeFile(join(box.home, ".codex", "config.toml"), '[mcp_servers.files]\ncommand = "npx"\n');
    const some = await box.run(["doctor"]);
    expect(some.stdout).toMatch(
      /ok +Cursor +starts voidmcp \(.*mcp\.json\); 1 other server\(s\) still configured there directly/,
    );
    expect(some.stdout).toContain("→ Cursor: move them behind voidmcp: voidmcp init cursor --replace");
    expect(some.stdout).toMatch(/WARN +Codex CLI +does not start voidmcp/);
    expect(some.stdout).toContain("→ Codex CLI: voidmcp init codex");
    expect(some.stdout).not.toContain("no MCP client on this machine starts voidmcp");
  });

  it("says how to start when there is no registry yet", async () => {
    const result = await box.run(["doctor"]);
    expect(result.stdout).toMatch(/WARN +\S+ +no registry file yet, so no servers/);
    expect(result.stdout).toContain("voidmcp add <name>");
  });
});
