/**
 * Secrets never leave: `${VAR}` values expanded into a server's url, command, args and headers
 * appear in no output of any command, nor in what an MCP client of `serve` sees, nor in the
 * gateway's log. The templates are shown instead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, sandbox } from "./cli-support.js";
import { closedPort, connectGateway } from "./harness.js";

const SECRETS = {
  SECRET_KEY: "key-S3cr3t-6f1d2a",
  SECRET_CMD: "/nonexistent/bin/cmd-S3cr3t-91ab",
  SECRET_X: "x-S3cr3t-77c0e4",
};

function expectNoSecret(text: string): void {
  for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
  // A part of a value is as bad as the whole.
  expect(text).not.toContain("S3cr3t");
}

describe("secrets in the registry never leave the process", () => {
  let box: Sandbox;

  beforeAll(async () => {
    box = await sandbox();
    const port = await closedPort();
    await box.write("servers.json", {
      mcpServers: {
        remote: {
          url: `http://127.0.0.1:${port}/mcp?key=\${SECRET_KEY}`,
          headers: { "X-Secret": "${SECRET_X}" },
        },
        local: { command: "${SECRET_CMD}", args: ["--token", "${SECRET_X}"] },
      },
    });
  });

  afterAll(async () => {
    await box.cleanup();
  });

  const run = (args: string[]) => box.run(args, { env: { ...SECRETS, VOIDMCP_LOG_LEVEL: "debug" } });

  it("voidmcp list shows the templates", async () => {
    const result = await run(["list"]);
    expect(result.code).toBe(1);
    expectNoSecret(result.stdout + result.stderr);
    expect(result.stdout).toContain("/mcp?key=${SECRET_KEY}");
    expect(result.stdout).toContain("command not found: ${SECRET_CMD}");
  });

  it("voidmcp list --json shows the templates", async () => {
    const result = await run(["list", "--json"]);
    expectNoSecret(result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as { servers: Array<{ name: string; error: string }> };
    expect(report.servers.find((s) => s.name === "remote")?.error).toContain("?key=${SECRET_KEY}");
    expect(report.servers.find((s) => s.name === "local")?.error).toBe("command not found: ${SECRET_CMD}");
  });

  it("voidmcp doctor shows the templates", async () => {
    const result = await run(["doctor"]);
    expect(result.code).toBe(1);
    expectNoSecret(result.stdout + result.stderr);
    expect(result.stdout).toContain("${SECRET_KEY}");
    expect(result.stdout).toContain("${SECRET_CMD}");
  });

  it("voidmcp call shows the templates", async () => {
    for (const server of ["remote", "local"]) {
      const result = await run(["call", server, "echo"]);
      expect(result.code).not.toBe(0);
      expectNoSecret(result.stdout + result.stderr);
      expect(result.stderr).toContain(server === "remote" ? "${SECRET_KEY}" : "${SECRET_CMD}");
    }
  });

  it("serve: list_servers, a failing call and the log show the templates", async () => {
    const session = await connectGateway(box.registry, {
      env: { ...SECRETS, VOIDMCP_CONFIG: box.registry, VOIDMCP_LOG_LEVEL: "debug" },
    });
    try {
      // Both servers fail at once; serve restarts the remote one with backoff, its error stays shown.
      let text = "";
      for (let i = 0; i < 100; i += 1) {
        text = JSON.stringify(await session.client.callTool({ name: "list_servers", arguments: {} }));
        if (text.includes("${SECRET_KEY}") && text.includes("${SECRET_CMD}")) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expectNoSecret(text);
      expect(text).toContain("${SECRET_KEY}");
      expect(text).toContain("${SECRET_CMD}");
      const script = "return await tools.remote.echo({ text: 'x' })";
      for (const call of [
        { name: "remote__echo", arguments: {} },
        { name: "local__echo", arguments: {} },
        { name: "execute_code", arguments: { code: script } },
      ]) {
        let answer: string;
        try {
          answer = JSON.stringify(await session.client.callTool(call));
        } catch (error) {
          answer = String(error);
        }
        expectNoSecret(answer);
      }
      expectNoSecret(session.stderr());
      expect(session.stderr()).toContain("${SECRET_CMD}");
    } finally {
      await session.close();
    }
  });
});
