/** `voidmcp doctor`: what it finds in the registry and the servers, and the fixes it suggests. */
import { chmod } from "node:fs/promises";
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
    expect(result.stdout).toMatch(/2 problem\(s\), 1 warning\(s\)\./);
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

  it("says how to start when there is no registry yet", async () => {
    const result = await box.run(["doctor"]);
    expect(result.stdout).toMatch(/WARN +\S+ +no registry file yet, so no servers/);
    expect(result.stdout).toContain("voidmcp add <name>");
  });
});
