/**
 * Claude Code (the real CLI, pinned in this folder's lockfile) set up by `voidmcp init
 * claude-code`: `claude mcp list` and `claude mcp get voidmcp` start or reach voidmcp and must
 * report it connected, over stdio and over HTTP with the bearer token; and voidmcp must have
 * recognised it by the name it sends (its debug log of each tools/list). No model, no login.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAUDE, type Home, isolatedHome, readIfThere, recognised, run } from "./support.js";

let box: Home;
beforeEach(async () => {
  box = await isolatedHome();
});
afterEach(async () => {
  await box.cleanup();
});

const claude = (...args: string[]) => run(CLAUDE, args, { env: box.env, cwd: box.work });

describe("Claude Code", () => {
  it("stdio: claude mcp list and get show voidmcp connected", async () => {
    await box.voidmcp(["init", "claude-code"]);
    const list = await claude("mcp", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^voidmcp: \S+ \S*voidmcp\.mjs serve --config \S+ - ✔ Connected$/m);
    const get = await claude("mcp", "get", "voidmcp");
    expect(get.code).toBe(0);
    expect(get.stdout).toContain("Status: ✔ Connected");
    expect(get.stdout).toContain("Type: stdio");
  });

  it("HTTP: init --http writes the token and claude mcp get shows voidmcp connected", async () => {
    const { url } = await box.serveHttp();
    await box.voidmcp(["init", "claude-code", "--http", "--port", new URL(url).port]);
    const list = await claude("mcp", "list");
    expect(list.stdout).toContain(`voidmcp: ${url} (HTTP) - ✔ Connected`);
    const get = await claude("mcp", "get", "voidmcp");
    expect(get.stdout).toContain("Status: ✔ Connected");
    expect(get.stdout).toContain("Type: http");
  });

  it("stdio and HTTP: voidmcp recognises it as Claude Code (clientInfo claude-code)", async () => {
    // stdio: init's entry, with voidmcp's log kept (Claude Code keeps its servers' stderr).
    await box.voidmcp(["init", "claude-code"]);
    const file = join(box.home, ".claude.json");
    const config = JSON.parse(await readFile(file, "utf8"));
    config.mcpServers.voidmcp = { ...config.mcpServers.voidmcp, ...box.loggingServe };
    await writeFile(file, JSON.stringify(config, null, 2));
    const get = await claude("mcp", "get", "voidmcp");
    expect(get.stdout).toContain("Status: ✔ Connected");
    const overStdio = recognised(await readIfThere(box.stdioLog));
    // HTTP: the same client, through a running gateway.
    const { url, stderr } = await box.serveHttp();
    await box.voidmcp(["init", "claude-code", "--http", "--port", new URL(url).port]);
    const list = await claude("mcp", "list");
    expect(list.stdout).toContain(`voidmcp: ${url} (HTTP) - ✔ Connected`);
    const overHttp = recognised(stderr());
    for (const seen of [overStdio, overHttp]) {
      expect(seen.length).toBeGreaterThan(0);
      for (const client of seen) {
        expect(client).toMatchObject({
          name: "claude-code",
          listed: "listed one by one",
          reason: expect.stringContaining("Claude Code's 250"),
        });
      }
    }
    console.info(
      `Claude Code sent: ${overStdio[0]?.name} ${overStdio[0]?.version} (stdio), ${overHttp[0]?.name} ${overHttp[0]?.version} (HTTP)`,
    );
  });

  it("HTTP with a wrong token: not connected (the check above can fail)", async () => {
    const { url } = await box.serveHttp();
    await box.voidmcp(["init", "claude-code", "--http", "--port", new URL(url).port]);
    const file = join(box.home, ".claude.json");
    const config = JSON.parse(await readFile(file, "utf8"));
    config.mcpServers.voidmcp.headers.Authorization = "Bearer wrong";
    await writeFile(file, JSON.stringify(config, null, 2));
    const list = await claude("mcp", "list");
    const line = list.stdout.split("\n").find((l) => l.startsWith("voidmcp:"));
    expect(line).toBeDefined();
    expect(line).not.toContain("✔ Connected");
    expect(line).toContain("✘ Failed to connect");
    expect(line).toContain("HTTP 401");
    console.info(`Claude Code with a wrong token shows: ${line}`);
  });
});
