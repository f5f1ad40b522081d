/**
 * The bundle's V8 code cache (src/cli/bundle-entry.ts), through the built bundle as an IDE starts
 * it: the first start writes the cache after answering, the next uses it, a corrupt or rejected
 * one is replaced, a directory that cannot be written costs nothing but the cache, and
 * VOIDMCP_CODE_CACHE=off leaves no file. Each start gets its own HOME and XDG_CACHE_HOME.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BUNDLE = fileURLToPath(new URL("../../dist/bundle/voidmcp.mjs", import.meta.url));

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "cache-test", version: "1" },
  },
};

let dir: string;
let registry: string;

beforeAll(async () => {
  if (!existsSync(BUNDLE))
    throw new Error("these tests need the bundle: run `npm run bundle` first (npm test does)");
  dir = await mkdtemp(join(tmpdir(), "voidmcp-code-cache-"));
  registry = join(dir, "servers.json");
  await writeFile(registry, '{ "version": 1, "mcpServers": {} }\n');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Resolves with the answer (parsed) to the request with this id. */
  answer(id: number): Promise<Record<string, unknown>>;
  /** Resolves once stderr holds `text`. */
  logged(text: string): Promise<void>;
  stop(): Promise<void>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [BUNDLE, "serve", "--config", registry], {
    env: { PATH: process.env.PATH ?? "", VOIDMCP_LOG_LEVEL: "debug", ...env },
  });
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    wake();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    wake();
  });
  const until = <T>(check: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} in 20 s; stderr:\n${err}`)), 20_000);
      const test = () => {
        const value = check();
        if (value === undefined) waiters.push(test);
        else {
          clearTimeout(timer);
          resolve(value);
        }
      };
      test();
    });
  child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  return {
    child,
    stderr: () => err,
    answer: (id) =>
      until(() => {
        for (const line of out.split("\n")) {
          if (line.trim() === "") continue;
          const message = JSON.parse(line) as Record<string, unknown>;
          if (message.id === id) return message;
        }
        return undefined;
      }, `answer ${id}`),
    logged: (text) => until(() => (err.includes(text) ? true : undefined), `"${text}"`).then(() => {}),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
    },
  };
}

async function cacheFiles(cacheHome: string): Promise<string[]> {
  const at = join(cacheHome, "voidmcp");
  return existsSync(at) ? (await readdir(at)).filter((name) => name.endsWith(".v8cache")) : [];
}

describe("the bundle's code cache", () => {
  it("is written after the first start has answered, and used by the next", async () => {
    const home = join(dir, "first");
    const env = { HOME: home, XDG_CACHE_HOME: join(home, "cache") };
    const first = start(env);
    const answer = await first.answer(1);
    expect(first.stderr()).toContain("[code-cache] none at");
    await first.logged("[code-cache] wrote");
    await first.stop();
    const [file] = await cacheFiles(env.XDG_CACHE_HOME);
    expect(file).toMatch(/^bundle-.*\.v8cache$/);
    const written = await readFile(join(env.XDG_CACHE_HOME, "voidmcp", file as string));

    const second = start(env);
    expect(await second.answer(1)).toEqual(answer);
    expect(second.stderr()).toContain(
      `[code-cache] used ${join(env.XDG_CACHE_HOME, "voidmcp", file as string)}`,
    );
    // A cache that was used is left as it is.
    second.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    second.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`);
    await second.answer(2);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await second.stop();
    expect(second.stderr()).not.toContain("[code-cache] wrote");
    expect(await readFile(join(env.XDG_CACHE_HOME, "voidmcp", file as string))).toEqual(written);
  }, 120_000);

  it("removes other versions' cache files unused for over 30 days when it writes a full cache", async () => {
    const home = join(dir, "tidy");
    const env = { HOME: home, XDG_CACHE_HOME: join(home, "cache") };
    const at = join(env.XDG_CACHE_HOME, "voidmcp");
    await mkdir(at, { recursive: true });
    const old = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
    const files = {
      oldFull: "bundle-0000000000000000-node20.0.0-x64.v8cache",
      oldPartial: "bundle-1111111111111111-node20.0.0-x64-partial.v8cache",
      oldTemporary: "bundle-2222222222222222-node20.0.0-x64.v8cache.77.tmp",
      recent: "bundle-3333333333333333-node20.0.0-x64.v8cache",
      notOurs: "notes.txt",
    };
    for (const [key, name] of Object.entries(files)) {
      await writeFile(join(at, name), "x");
      if (key !== "recent") await utimes(join(at, name), old, old);
    }
    const gateway = start(env);
    await gateway.answer(1);
    await gateway.logged("[code-cache] wrote");
    await gateway.stop();
    expect(gateway.stderr()).toContain(`[code-cache] removed ${join(at, files.oldFull)}`);
    const left = await readdir(at);
    const written = left.filter((name) => name !== files.recent && name !== files.notOurs);
    expect(left).toContain(files.recent);
    expect(left).toContain(files.notOurs);
    expect(written).toEqual([expect.stringMatching(/^bundle-[0-9a-f]{16}-node.*\.v8cache$/)]);
  }, 120_000);

  it("keeps what a short run compiled, and replaces it with a full cache on a longer run", async () => {
    const home = join(dir, "short");
    const env = { HOME: home, XDG_CACHE_HOME: join(home, "cache") };
    const version = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [BUNDLE, "--version"], {
        env: { PATH: process.env.PATH ?? "", VOIDMCP_LOG_LEVEL: "debug", ...env },
      });
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.once("error", reject);
      child.once("exit", () => resolve(err));
    });
    expect(version).toMatch(/\[code-cache\] wrote .*-partial\.v8cache/);
    expect(await cacheFiles(env.XDG_CACHE_HOME)).toEqual([expect.stringMatching(/-partial\.v8cache$/)]);

    const gateway = start(env);
    await gateway.answer(1);
    expect(gateway.stderr()).toMatch(/\[code-cache\] used .*-partial\.v8cache/);
    await gateway.logged("[code-cache] wrote");
    await gateway.stop();
    const files = await cacheFiles(env.XDG_CACHE_HOME);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toMatch(/partial/);
  }, 120_000);

  it("ignores a corrupt cache and replaces it", async () => {
    const home = join(dir, "corrupt");
    const env = { HOME: home, XDG_CACHE_HOME: join(home, "cache") };
    const first = start(env);
    await first.logged("[code-cache] wrote");
    await first.stop();
    const [file] = await cacheFiles(env.XDG_CACHE_HOME);
    const path = join(env.XDG_CACHE_HOME, "voidmcp", file as string);
    await writeFile(path, "not a V8 code cache at all");

    const second = start(env);
    expect(await second.answer(1)).toMatchObject({ result: { serverInfo: { name: "voidmcp" } } });
    expect(second.stderr()).toContain("[code-cache] rejected");
    await second.logged("[code-cache] wrote");
    await second.stop();
    expect((await readFile(path)).toString()).not.toBe("not a V8 code cache at all");

    const third = start(env);
    await third.answer(1);
    await third.stop();
    expect(third.stderr()).toContain("[code-cache] used");
  }, 120_000);

  it("serves as usual when the cache directory cannot be made", async () => {
    const home = join(dir, "unwritable");
    await mkdir(home, { recursive: true });
    // A file where the directory would go: no user, root included, can make a directory inside.
    await writeFile(join(home, "cache"), "a file, not a directory\n");
    const env = { HOME: home, XDG_CACHE_HOME: join(home, "cache") };
    const gateway = start(env);
    expect(await gateway.answer(1)).toMatchObject({ result: { serverInfo: { name: "voidmcp" } } });
    await gateway.logged("[code-cache] not written");
    // Still serving after the failed write.
    gateway.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    gateway.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`);
    expect(await gateway.answer(2)).toHaveProperty("result.tools");
    await gateway.stop();
    expect(gateway.child.exitCode).toBe(0);
  }, 120_000);

  it("writes nothing with VOIDMCP_CODE_CACHE=off", async () => {
    const home = join(dir, "off");
    const env = { HOME: home, XDG_CACHE_HOME: join(home, "cache"), VOIDMCP_CODE_CACHE: "off" };
    const gateway = start(env);
    expect(await gateway.answer(1)).toMatchObject({ result: { serverInfo: { name: "voidmcp" } } });
    expect(gateway.stderr()).toContain("[code-cache] off");
    // Past the moment a cache would have been written.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await gateway.stop();
    expect(existsSync(join(home, "cache"))).toBe(false);
  }, 120_000);
});
