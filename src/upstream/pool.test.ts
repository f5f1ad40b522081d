import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/index.js";
import type { ServerSpec } from "../registry/index.js";
import { UpstreamPool } from "./pool.js";
import type { UpstreamState } from "./types.js";

/** A real MCP server (SDK) whose tool names are read from a file at start. */
const SERVER = `
import { readFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
const server = new McpServer({ name: "pool-test", version: "1.0.0" });
for (const name of readFileSync(process.env.TOOLS_FILE, "utf8").trim().split(",")) {
  server.registerTool(name, { description: name }, async () => ({ content: [{ type: "text", text: name }] }));
}
await server.connect(new StdioServerTransport());
`;

let dir: string | undefined;
let pool: UpstreamPool | undefined;
afterEach(async () => {
  await pool?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  pool = undefined;
  dir = undefined;
});

async function start(tools: string): Promise<{ pool: UpstreamPool; toolsFile: string }> {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-pool-"));
  const toolsFile = join(dir, "tools");
  await writeFile(toolsFile, tools);
  pool = new UpstreamPool({
    log: silentLogger,
    env: { ...process.env, TOOLS_FILE: toolsFile },
    clientInfo: { name: "pool-test", version: "1.0.0" },
    connectTimeoutMs: 20_000,
    supervision: {
      heal: true,
      restart: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 200 },
      healthCheckMs: 0,
    },
  });
  const spec: ServerSpec = {
    name: "s",
    enabled: true,
    prefix: "s",
    timeoutMs: 10_000,
    tools: {},
    lazy: false,
    idleTimeoutMs: 60_000,
    transport: "stdio",
    command: process.execPath,
    args: ["--input-type=module", "-e", SERVER],
    env: {},
    cwd: process.cwd(),
  };
  pool.add(spec);
  await pool.whenSettled(20_000);
  return { pool, toolsFile };
}

/** Every (state, tool names) the pool reported for server "s", from now on. */
function record(p: UpstreamPool): Array<{ state: UpstreamState; tools: string }> {
  const seen: Array<{ state: UpstreamState; tools: string }> = [];
  p.onChange((name) => {
    const server = p.get(name);
    if (name === "s" && server) {
      seen.push({ state: server.state, tools: server.listing.tools.map((t) => t.name).join(",") });
    }
  });
  return seen;
}

async function restartByKill(p: UpstreamPool): Promise<void> {
  const server = p.get("s");
  const pid = server?.status().pid;
  expect(pid).toBeDefined();
  process.kill(pid as number, "SIGKILL");
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    const status = server?.status();
    if (status?.state === "ready" && status.pid !== pid) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the server did not come back");
}

describe("UpstreamPool: a server that restarts", () => {
  it("keeps its listing through restarting and starting, and names itself in onChange", async () => {
    const { pool } = await start("echo,add");
    expect(pool.get("s")?.listing.tools.map((t) => t.name)).toEqual(["echo", "add"]);
    const seen = record(pool);
    await restartByKill(pool);
    expect(seen.map((s) => s.state)).toEqual(["restarting", "starting", "ready"]);
    expect(seen.every((s) => s.tools === "echo,add")).toBe(true);
    expect(pool.get("s")?.status()).toMatchObject({ restarts: 1, toolCount: 2 });
  }, 30_000);

  it("changes its listing once, from the old tools to the new, when it comes back different", async () => {
    const { pool, toolsFile } = await start("echo");
    const seen = record(pool);
    await writeFile(toolsFile, "echo,extra");
    await restartByKill(pool);
    expect(seen).toEqual([
      { state: "restarting", tools: "echo" },
      { state: "starting", tools: "echo" },
      { state: "ready", tools: "echo,extra" },
    ]);
  }, 30_000);

  it("reports add and remove by name", async () => {
    const { pool } = await start("echo");
    const names: string[] = [];
    pool.onChange((name) => names.push(name));
    await pool.remove("s");
    expect(names).toContain("s");
    expect(pool.get("s")).toBeUndefined();
  }, 30_000);
});
