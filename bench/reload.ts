/**
 * Hot reload and self-healing costs, measured through `voidmcp serve` with a real client:
 * 1. file write → notifications/tools/list_changed at the client (a server added, then removed);
 * 2. SIGKILL of an upstream → the server ready again with a new process;
 * 3. with many registered servers, the same write → list_changed when one server changes,
 *    and proof that the unchanged ones were not restarted.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { type Sample, saveResults, table } from "./stats.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = join(root, "dist/bundle/voidmcp.mjs");
const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");

interface Row {
  name: string;
  state: string;
  pid?: number;
  restarts: number;
}

const entry = () => ({ command: process.execPath, args: [FIXTURE] });
const registryOf = (names: readonly string[]) => ({
  expose: "code",
  restart: { baseDelayMs: 100, maxDelayMs: 1000 },
  mcpServers: Object.fromEntries(names.map((n) => [n, entry()])),
});

async function servers(client: Client): Promise<Row[]> {
  const result = await client.callTool({ name: "list_servers", arguments: {} });
  return (result.structuredContent as { servers: Row[] }).servers;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A gateway over `names`, with a client that resolves `changed()` on the next tools/list_changed. */
async function open(dir: string, file: string, names: readonly string[]) {
  const registry = join(dir, file);
  await writeFile(registry, JSON.stringify(registryOf(names)));
  const client = new Client({ name: "voidmcp-bench", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BUNDLE, "serve", "--config", registry],
      stderr: "ignore",
    }),
  );
  let notify: () => void = () => {};
  client.setNotificationHandler("notifications/tools/list_changed", () => notify());
  const changed = () =>
    new Promise<void>((resolve) => {
      notify = resolve;
    });
  await until(async () => {
    const rows = await servers(client);
    return rows.length === names.length && rows.every((s) => s.state === "ready");
  }, 120_000);
  return { registry, client, changed };
}

/** Milliseconds from writing `names` to the registry to the client's list_changed. */
async function timeWrite(gw: Awaited<ReturnType<typeof open>>, names: readonly string[]): Promise<number> {
  const changed = gw.changed();
  const started = performance.now();
  await writeFile(gw.registry, JSON.stringify(registryOf(names)));
  await changed;
  return performance.now() - started;
}

export async function benchReload(quick: boolean): Promise<string> {
  const rounds = quick ? 3 : 20;
  const many = quick ? 10 : 50;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-reload-"));
  const raw: Record<string, Sample[]> = {};
  let out = "";
  /** Closed again in `finally` (closing twice is harmless), so a failed round leaves no gateway behind. */
  const opened: Client[] = [];
  try {
    // Both gateways start at once; the big one idles, ready, while the small one is measured.
    const names = Array.from({ length: many }, (_, i) => `s${i}`);
    const [smallOpened, bigOpened] = await Promise.allSettled([
      open(dir, "small.json", ["a"]),
      open(dir, "big.json", names),
    ]);
    for (const o of [smallOpened, bigOpened]) if (o.status === "fulfilled") opened.push(o.value.client);
    if (smallOpened.status === "rejected" || bigOpened.status === "rejected") {
      throw smallOpened.status === "rejected"
        ? smallOpened.reason
        : (bigOpened as PromiseRejectedResult).reason;
    }
    const small = smallOpened.value;
    const big = bigOpened.value;
    const add: number[] = [];
    const remove: number[] = [];
    const recover: number[] = [];
    for (let i = 0; i < rounds; i++) {
      add.push(await timeWrite(small, ["a", "b"]));
      remove.push(await timeWrite(small, ["a"]));
    }
    for (let i = 0; i < rounds; i++) {
      const before = (await servers(small.client)).find((s) => s.name === "a");
      const started = performance.now();
      process.kill(before?.pid as number, "SIGKILL");
      await until(async () => {
        const now = (await servers(small.client)).find((s) => s.name === "a");
        return now?.state === "ready" && now.pid !== before?.pid;
      }, 30_000);
      recover.push(performance.now() - started);
    }
    await small.client.close();
    raw.small = [
      { name: "write adding a server → list_changed at the client", samplesMs: add },
      { name: "write removing a server → list_changed at the client", samplesMs: remove },
      { name: "SIGKILL of an upstream → ready again with a new process", samplesMs: recover },
    ];
    out += table(
      "Hot reload and recovery (1 server registered)",
      raw.small,
      "Includes the 100 ms debounce and, for adds, starting the new server's process.",
    );

    const before = await servers(big.client);
    const changeOne: number[] = [];
    for (let i = 0; i < rounds; i++) {
      changeOne.push(await timeWrite(big, [...names, "extra"]));
      changeOne.push(await timeWrite(big, names));
    }
    const after = await servers(big.client);
    const restarted = after.filter((s) => {
      const old = before.find((b) => b.name === s.name);
      return old?.pid !== s.pid || s.restarts !== 0;
    }).length;
    await big.client.close();
    raw.many = [{ name: `write changing 1 of ${many} servers → list_changed`, samplesMs: changeOne }];
    out += `\n${table(`Reload with ${many} servers registered`, raw.many)}\nUnchanged servers restarted during those reloads: ${restarted} of ${many}.\n`;
  } finally {
    await Promise.all(opened.map((client) => client.close().catch(() => {})));
    await rm(dir, { recursive: true, force: true });
  }
  const file = await saveResults("reload", raw);
  return `${out}\nRaw samples: ${file}\n`;
}
