/**
 * Hot reload and self-healing, as a developer meets them: the IDE stays connected to
 * `voidmcp serve` while the registry file is edited, broken, deleted and restored, and while
 * upstream processes are killed. Real file edits, real processes, a real MCP client.
 */
import { readdirSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  eventually,
  fixtureEntry,
  type GatewaySession,
  isAlive,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

interface Row {
  name: string;
  state: string;
  pid?: number;
  restarts: number;
  error?: string;
}

interface Report {
  registryError?: string;
  servers: Row[];
}

/** Every live (non-zombie) process whose command line contains `tag`. */
function processesTagged(tag: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(tag) && isAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

const TAG = `voidmcp-reload-${process.pid}-${Date.now()}`;
const server = (name: string, extra: Record<string, unknown> = {}) => ({
  ...fixtureEntry("--name", `${TAG}-${name}`),
  ...extra,
});

let temp: TempDir;
let session: GatewaySession;
let toolsChanged = 0;

async function report(): Promise<Report> {
  const result = await session.client.callTool({ name: "list_servers", arguments: {} });
  return result.structuredContent as unknown as Report;
}

async function row(name: string): Promise<Row | undefined> {
  return (await report()).servers.find((s) => s.name === name);
}

async function toolNames(): Promise<string[]> {
  return (await session.client.listTools()).tools.map((t) => t.name);
}

/** Writes the registry the way an editor that saves by rename does. */
async function saveByRename(document: unknown): Promise<void> {
  const tmp = join(temp.dir, ".servers.json.swp");
  await writeFile(tmp, `${JSON.stringify(document, null, 2)}\n`);
  await rename(tmp, temp.registry);
}

const base = (servers: Record<string, unknown>) => ({
  expose: "direct",
  restart: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 },
  mcpServers: servers,
});

beforeAll(async () => {
  temp = await tempRegistry(base({ alpha: server("alpha") }));
  session = await connectGateway(temp.registry);
  session.client.setNotificationHandler("notifications/tools/list_changed", () => {
    toolsChanged += 1;
  });
  expect(await toolNames()).toContain("alpha__echo");
});

afterAll(async () => {
  await session?.close();
  await temp?.cleanup();
});

describe("hot reload", () => {
  it("a server added by editing the file appears at the connected client, announced by list_changed", async () => {
    const alphaBefore = await row("alpha");
    const changedBefore = toolsChanged;
    await writeFile(temp.registry, JSON.stringify(base({ alpha: server("alpha"), beta: server("beta") })));
    // Generous bound for a loaded CI machine; bench/reload.ts measures the real latency.
    expect(await eventually(async () => (await toolNames()).includes("beta__echo"), 5_000)).toBe(true);
    expect(toolsChanged).toBeGreaterThan(changedBefore);
    const call = await session.client.callTool({ name: "beta__echo", arguments: { text: "new" } });
    expect(textOf(call)).toBe("new");
    // The server that did not change was left alone.
    const alphaAfter = await row("alpha");
    expect(alphaAfter?.pid).toBe(alphaBefore?.pid);
    expect(alphaAfter?.restarts).toBe(0);
  });

  it("a server removed from the file disappears and its process exits", async () => {
    const beta = await row("beta");
    expect(beta?.pid).toBeDefined();
    await saveByRename(base({ alpha: server("alpha") }));
    expect(await eventually(async () => !(await toolNames()).includes("beta__echo"), 5_000)).toBe(true);
    expect(await eventually(() => !isAlive(beta?.pid as number), 5_000)).toBe(true);
    expect(await row("beta")).toBeUndefined();
  });

  it("a changed server restarts; the others do not", async () => {
    const alpha = await row("alpha");
    await writeFile(
      temp.registry,
      JSON.stringify(
        base({ alpha: server("alpha"), gamma: server("gamma", { tools: { allow: ["echo"] } }) }),
      ),
    );
    expect(await eventually(async () => (await row("gamma"))?.state === "ready", 5_000)).toBe(true);
    const gamma = await row("gamma");
    await writeFile(
      temp.registry,
      JSON.stringify(
        base({ alpha: server("alpha"), gamma: server("gamma", { tools: { allow: ["echo", "add"] } }) }),
      ),
    );
    expect(await eventually(async () => (await toolNames()).includes("gamma__add"), 5_000)).toBe(true);
    expect((await row("gamma"))?.pid).not.toBe(gamma?.pid);
    expect((await row("alpha"))?.pid).toBe(alpha?.pid);
  });

  it("a broken edit changes nothing live, is reported with file and line, and clears when fixed", async () => {
    const good = readFileSync(temp.registry, "utf8");
    const before = await toolNames();
    await writeFile(temp.registry, '{\n  "mcpServers": {\n    "alpha": { "command": "node", },\n');
    expect(await eventually(async () => (await report()).registryError !== undefined, 5_000)).toBe(true);
    expect((await report()).registryError).toMatch(
      new RegExp(`${temp.registry.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:\\d+`),
    );
    expect(await toolNames()).toEqual(before);
    const echo = await session.client.callTool({ name: "alpha__echo", arguments: { text: "still" } });
    expect(textOf(echo)).toBe("still");
    await writeFile(temp.registry, good);
    expect(await eventually(async () => (await report()).registryError === undefined, 5_000)).toBe(true);
    expect(await toolNames()).toEqual(before);
  });

  it("a schema error is reported the same way", async () => {
    const good = readFileSync(temp.registry, "utf8");
    await writeFile(
      temp.registry,
      JSON.stringify({ mcpServers: { alpha: { command: "node", args: "not-a-list" } } }),
    );
    expect(
      await eventually(
        async () => /mcpServers\.alpha\.args/.test((await report()).registryError ?? ""),
        5_000,
      ),
    ).toBe(true);
    expect((await row("alpha"))?.state).toBe("ready");
    await writeFile(temp.registry, good);
    expect(await eventually(async () => (await report()).registryError === undefined, 5_000)).toBe(true);
  });

  it("a bad Code Mode setting is a rejected edit: the last good registry and its limits stay", async () => {
    const good = readFileSync(temp.registry, "utf8");
    const withCodeMode = (codeMode: unknown) => JSON.stringify({ ...JSON.parse(good), codeMode });
    const description = async () =>
      (await session.client.listTools()).tools.find((t) => t.name === "execute_code")?.description ?? "";
    await writeFile(temp.registry, withCodeMode({ timeoutMs: 20_000 }));
    expect(await eventually(async () => (await description()).includes("20000 ms wall time"), 5_000)).toBe(
      true,
    );
    await writeFile(temp.registry, withCodeMode({ memoryMb: "lots", timeoutMs: 1234 }));
    expect(
      await eventually(async () => /codeMode\.memoryMb/.test((await report()).registryError ?? ""), 5_000),
    ).toBe(true);
    // Nothing of the rejected file is live: neither its valid timeoutMs nor the default limits.
    expect(await description()).toContain("20000 ms wall time");
    await writeFile(temp.registry, good);
    expect(await eventually(async () => (await report()).registryError === undefined, 5_000)).toBe(true);
    expect(await eventually(async () => (await description()).includes("30000 ms wall time"), 5_000)).toBe(
      true,
    );
  });

  it("a deleted file keeps the servers running until it is back", async () => {
    const good = readFileSync(temp.registry, "utf8");
    const alpha = await row("alpha");
    await rm(temp.registry);
    expect(
      await eventually(async () => /was deleted/.test((await report()).registryError ?? ""), 5_000),
    ).toBe(true);
    expect((await row("alpha"))?.pid).toBe(alpha?.pid);
    await writeFile(temp.registry, good);
    expect(await eventually(async () => (await report()).registryError === undefined, 5_000)).toBe(true);
    expect((await row("alpha"))?.pid).toBe(alpha?.pid);
  });

  it("an emptied file (a save caught half-way) keeps the servers running", async () => {
    const good = readFileSync(temp.registry, "utf8");
    const alpha = await row("alpha");
    await writeFile(temp.registry, "");
    expect(await eventually(async () => /is empty/.test((await report()).registryError ?? ""), 5_000)).toBe(
      true,
    );
    expect((await row("alpha"))?.pid).toBe(alpha?.pid);
    await writeFile(temp.registry, good);
    expect(await eventually(async () => (await report()).registryError === undefined, 5_000)).toBe(true);
    expect((await row("alpha"))?.pid).toBe(alpha?.pid);
  });

  it("50 edits in one second settle on the last one", async () => {
    for (let i = 0; i < 50; i++) {
      const servers: Record<string, unknown> = { alpha: server("alpha") };
      if (i === 49) servers.delta = server("delta");
      else servers[`tmp${i}`] = { command: "voidmcp-e2e-never-started" };
      await writeFile(temp.registry, JSON.stringify(base(servers)));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await eventually(async () => (await row("delta"))?.state === "ready", 5_000)).toBe(true);
    const names = (await report()).servers.map((s) => s.name);
    expect(names).toEqual(["alpha", "delta"]);
  });
});

describe("self-healing", () => {
  it("an upstream killed with SIGKILL comes back and serves again", async () => {
    const alpha = await row("alpha");
    process.kill(alpha?.pid as number, "SIGKILL");
    expect(
      await eventually(async () => {
        const now = await row("alpha");
        return now?.state === "ready" && now.pid !== alpha?.pid;
      }, 10_000),
    ).toBe(true);
    expect((await row("alpha"))?.restarts).toBe((alpha?.restarts ?? 0) + 1);
    const echo = await session.client.callTool({ name: "alpha__echo", arguments: { text: "healed" } });
    expect(textOf(echo)).toBe("healed");
  });

  it("a flood of upstream list_changed leaves a consistent catalogue", async () => {
    const flood = await session.client.callTool({
      name: "execute_code",
      arguments: { code: "for (let i = 0; i < 41; i++) await tools.alpha.toggle_extra_tool({}); return 1" },
    });
    expect(flood.isError).toBeFalsy();
    // 41 toggles: the extra tool ends up present.
    expect(await eventually(async () => (await toolNames()).includes("alpha__extra_tool"), 5_000)).toBe(true);
  });

  it("a lazy server stops when idle and starts again on the next call", async () => {
    const doc = JSON.parse(readFileSync(temp.registry, "utf8")) as { mcpServers: Record<string, unknown> };
    doc.mcpServers.lazy = server("lazy", { lazy: true, idleTimeoutMs: 1000 });
    await writeFile(temp.registry, JSON.stringify(doc));
    expect(await eventually(async () => (await row("lazy"))?.state === "ready", 5_000)).toBe(true);
    const first = await row("lazy");
    expect(await eventually(async () => (await row("lazy"))?.state === "idle", 8_000)).toBe(true);
    expect(await eventually(() => !isAlive(first?.pid as number), 5_000)).toBe(true);
    // Its tools stay listed while it sleeps, and a call wakes it.
    expect(await toolNames()).toContain("lazy__echo");
    const echo = await session.client.callTool({ name: "lazy__echo", arguments: { text: "awake" } });
    expect(textOf(echo)).toBe("awake");
    expect((await row("lazy"))?.state).toBe("ready");
  });

  it("leaves no process behind when the client goes away", async () => {
    expect(processesTagged(TAG).length).toBeGreaterThan(0);
    const gatewayPid = session.transport.pid;
    await session.close();
    expect(await eventually(() => processesTagged(TAG).length === 0, 10_000)).toBe(true);
    expect(gatewayPid === null || (await eventually(() => !isAlive(gatewayPid), 5_000))).toBe(true);
  });
});

describe("shutdown on a signal", () => {
  it("SIGTERM stops the gateway and every upstream, grandchildren included", async () => {
    const tag = `${TAG}-term`;
    const own = await tempRegistry({
      mcpServers: {
        one: fixtureEntry("--name", tag, "--spawn-grandchild"),
        two: { command: "sh", args: ["-c", `exec ${process.execPath} ${fixtureEntry().args} --name ${tag}`] },
      },
    });
    const term = await connectGateway(own.registry);
    try {
      expect(await eventually(() => processesTagged(tag).length >= 2, 10_000)).toBe(true);
      const pids = JSON.parse(textOf(await term.client.callTool({ name: "one__pids", arguments: {} }))) as {
        grandchildPid: number;
      };
      process.kill(term.transport.pid as number, "SIGTERM");
      expect(
        await eventually(() => processesTagged(tag).length === 0 && !isAlive(pids.grandchildPid), 10_000),
      ).toBe(true);
    } finally {
      await term.close().catch(() => {});
      await own.cleanup();
    }
  });
});
