/**
 * Gemini CLI (the real CLI, pinned in this folder's lockfile) set up by `voidmcp init gemini`:
 * `gemini mcp list` starts or reaches voidmcp and must report it connected once the folder is
 * trusted (Gemini disables every MCP server, user-level ones too, in a folder it does not trust).
 * And voidmcp must recognise it by the name it sends in a session (`gemini -p`, whose model is a
 * local endpoint that refuses every request: `gemini mcp list` connects under a test name).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../e2e/harness.js";
import { GEMINI, type Home, isolatedHome, readIfThere, recognised, run } from "./support.js";

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

/**
 * A Gemini API on 127.0.0.1 that answers every request 400 (Gemini gives up at once, where it
 * retries a refused connection for minutes), for `gemini -p` to start a session without a model.
 */
async function refusingModel(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(400, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { code: 400, message: "offline", status: "INVALID_ARGUMENT" } }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `gemini -p` with an API key for the refusing model: connects its MCP servers, then fails. */
async function geminiSession(model: string): Promise<void> {
  const file = join(box.home, ".gemini", "settings.json");
  const settings = JSON.parse(await readFile(file, "utf8"));
  settings.security = { auth: { selectedType: "gemini-api-key" } };
  await writeFile(file, JSON.stringify(settings, null, 2));
  await run(process.execPath, [GEMINI, "-p", "hello"], {
    env: { ...box.env, GEMINI_API_KEY: "offline", GOOGLE_GEMINI_BASE_URL: model },
    cwd: box.work,
  });
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

  it("stdio and HTTP: voidmcp recognises a session as gemini-cli-mcp-client, a client of unknown limits", async () => {
    const model = await refusingModel();
    try {
      await trust(box.work);
      // stdio: init's entry, with voidmcp's log kept (Gemini keeps its servers' stderr).
      await box.voidmcp(["init", "gemini"]);
      const file = join(box.home, ".gemini", "settings.json");
      const settings = JSON.parse(await readFile(file, "utf8"));
      settings.mcpServers.voidmcp = { ...settings.mcpServers.voidmcp, ...box.loggingServe };
      await writeFile(file, JSON.stringify(settings, null, 2));
      await geminiSession(model.url);
      const overStdio = recognised(await readIfThere(box.stdioLog));
      // HTTP: the same client, through a running gateway.
      const { url, stderr } = await box.serveHttp();
      await box.voidmcp(["init", "gemini", "--http", "--port", new URL(url).port]);
      await geminiSession(model.url);
      const overHttp = recognised(stderr());
      for (const seen of [overStdio, overHttp]) {
        expect(seen.length).toBeGreaterThan(0);
        for (const client of seen) {
          expect(client).toMatchObject({
            name: "gemini-cli-mcp-client",
            version: "0.61.0",
            reason: expect.stringContaining('"gemini-cli-mcp-client", a client of unknown limits'),
          });
        }
      }
    } finally {
      await model.close();
    }
  });
});
