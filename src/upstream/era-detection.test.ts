import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/index.js";
import type { ServerSpec } from "../registry/index.js";
import { UpstreamServer } from "./server.js";

/**
 * A legacy server (SDK, `initialize`) that, like servers built on some SDKs, exits on any request
 * that comes before `initialize`. Each process appends "<pid> <first method>" to LOG_FILE.
 */
const EXITS_ON_PROBE = `
import { appendFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
const input = new PassThrough();
let first = true;
createInterface({ input: process.stdin }).on("line", (line) => {
  if (first) {
    first = false;
    const method = JSON.parse(line).method;
    appendFileSync(process.env.LOG_FILE, process.pid + " " + method + "\\n");
    if (method !== "initialize") process.exit(3);
  }
  input.write(line + "\\n");
});
const server = new McpServer({ name: "strict-legacy", version: "1.0.0" });
server.registerTool("hello", { description: "hello" }, async () => ({ content: [{ type: "text", text: "hi" }] }));
await server.connect(new StdioServerTransport(input, process.stdout));
`;

let dir: string | undefined;
let server: UpstreamServer | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("era detection on stdio (real processes)", () => {
  it("a server that exits on the probe is legacy: started once more, remembered, never probed again", async () => {
    dir = await mkdtemp(join(tmpdir(), "voidmcp-era-"));
    const logFile = join(dir, "starts");
    const spec: ServerSpec = {
      name: "strict",
      enabled: true,
      prefix: "strict",
      timeoutMs: 10_000,
      tools: {},
      lazy: false,
      idleTimeoutMs: 60_000,
      transport: "stdio",
      command: process.execPath,
      args: ["--input-type=module", "-e", EXITS_ON_PROBE],
      env: {},
      cwd: process.cwd(),
    };
    server = new UpstreamServer(
      spec,
      {
        log: silentLogger,
        env: { ...process.env, LOG_FILE: logFile },
        clientInfo: { name: "era-test", version: "1.0.0" },
        connectTimeoutMs: 20_000,
      },
      { heal: true, restart: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100 }, healthCheckMs: 0 },
      () => {},
    );
    await server.start();
    expect(server.status().error).toBeUndefined();
    expect(server.status()).toMatchObject({ state: "ready", era: "legacy", protocolVersion: "2025-11-25" });
    const starts = async () =>
      (await readFile(logFile, "utf8"))
        .trim()
        .split("\n")
        .map((line) => line.split(" "));
    const first = await starts();
    expect(first.map(([, method]) => method)).toEqual(["server/discover", "initialize"]);
    // The probed process is gone; the one serving is the second.
    expect(isAlive(Number(first[0]?.[0]))).toBe(false);
    expect(server.status().pid).toBe(Number(first[1]?.[0]));
    expect((await server.callTool("hello", {})).content).toEqual([{ type: "text", text: "hi" }]);

    // A crash and restart: the remembered verdict goes straight to initialize.
    process.kill(Number(first[1]?.[0]), "SIGKILL");
    const deadline = Date.now() + 15_000;
    while ((await starts()).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await server.whenSettled();
    while (server.state !== "ready" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await starts()).map(([, method]) => method)).toEqual([
      "server/discover",
      "initialize",
      "initialize",
    ]);
    expect(server.status()).toMatchObject({ state: "ready", era: "legacy" });
  }, 40_000);
});
