/**
 * Gemini CLI (the real CLI, pinned in this folder's lockfile) set up by `voidmcp init gemini`:
 * `gemini mcp list` starts or reaches voidmcp and must report it connected once the folder is
 * trusted (Gemini disables every MCP server, user-level ones too, in a folder it does not trust).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GEMINI, type Home, isolatedHome, run } from "./support.js";

let box: Home;
beforeEach(async () => {
  box = await isolatedHome();
  // Settings of our own before init: usage statistics off (no network), and init must keep them.
  await mkdir(join(box.home, ".gemini"));
  await writeFile(
    join(box.home, ".gemini", "settings.json"),
    `${JSON.stringify({ privacy: { usageStatisticsEnabled: false } }, null, 2)}\n`,
  );
});
afterEach(async () => {
  await box.cleanup();
});

/** Gemini CLI prints its `mcp list` report on stderr; both streams are read together. */
async function gemini(...args: string[]): Promise<{ code: number | null; output: string }> {
  const result = await run(process.execPath, [GEMINI, ...args], { env: box.env, cwd: box.work });
  return { code: result.code, output: result.stdout + result.stderr };
}

async function trust(dir: string): Promise<void> {
  await writeFile(
    join(box.home, ".gemini", "trustedFolders.json"),
    JSON.stringify({ [dir]: "TRUST_FOLDER" }),
  );
}

describe("Gemini CLI", () => {
  it("stdio: disabled in an untrusted folder, connected once it is trusted", async () => {
    await box.voidmcp(["init", "gemini"]);
    const untrusted = await gemini("mcp", "list");
    expect(untrusted.output).toMatch(/voidmcp: .* \(stdio\) - Disabled/);
    expect(untrusted.output).toContain("this folder is untrusted");
    await trust(box.work);
    const trusted = await gemini("mcp", "list");
    expect(trusted.code).toBe(0);
    expect(trusted.output).toMatch(/✓ voidmcp: \S+ \S*voidmcp\.mjs serve --config \S+ \(stdio\) - Connected/);
  });

  it("HTTP: init --http (httpUrl and the token) shows voidmcp connected", async () => {
    const { url } = await box.serveHttp();
    await box.voidmcp(["init", "gemini", "--http", "--port", new URL(url).port]);
    await trust(box.work);
    const list = await gemini("mcp", "list");
    expect(list.code).toBe(0);
    expect(list.output).toContain(`✓ voidmcp: ${url} (http) - Connected`);
  });
});
