import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VoidError } from "../core/index.js";
import { acquireFileLock, withFileLock } from "./file-lock.js";

/** The pid of a process that has exited: a real dead holder. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  if (child.pid === undefined) throw new Error("no pid");
  return child.pid;
}

describe("file lock", () => {
  let dir: string;
  let lock: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "voidmcp-lock-"));
    lock = join(dir, "servers.json.lock");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes its holder into the lock file and removes it on release, once", async () => {
    const held = await acquireFileLock(lock);
    expect(JSON.parse(await readFile(lock, "utf8"))).toMatchObject({ pid: process.pid });
    await held.release();
    await held.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("runs one holder at a time", async () => {
    const order: string[] = [];
    const run = (name: string) =>
      withFileLock(lock, async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`${name} out`);
      });
    await Promise.all([run("a"), run("b"), run("c")]);
    for (let i = 0; i < order.length; i += 2) {
      expect(order[i]?.replace(" in", "")).toBe(order[i + 1]?.replace(" out", ""));
    }
    expect(order).toHaveLength(6);
  });

  it("breaks the lock of a holder that is no longer running", async () => {
    await writeFile(lock, JSON.stringify({ pid: await deadPid(), id: "gone" }));
    const held = await acquireFileLock(lock, { waitMs: 5_000 });
    expect(JSON.parse(await readFile(lock, "utf8"))).toMatchObject({ pid: process.pid });
    await held.release();
  });

  it("breaks a lock older than staleMs even when its pid is alive", async () => {
    await writeFile(lock, JSON.stringify({ pid: process.pid, id: "hung" }));
    const past = new Date(Date.now() - 60_000);
    await utimes(lock, past, past);
    const held = await acquireFileLock(lock, { waitMs: 5_000, staleMs: 30_000 });
    expect(JSON.parse(await readFile(lock, "utf8"))).not.toMatchObject({ id: "hung" });
    await held.release();
  });

  it("waits for a live holder and fails with a conflict, leaving its lock alone", async () => {
    const theirs = JSON.stringify({ pid: process.pid, id: "theirs" });
    await writeFile(lock, theirs);
    const error = await acquireFileLock(lock, { waitMs: 200, label: "servers.json" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VoidError);
    expect((error as VoidError).code).toBe("conflict");
    expect((error as VoidError).message).toContain(
      `servers.json is being edited by another process (pid ${process.pid})`,
    );
    expect(await readFile(lock, "utf8")).toBe(theirs);
  });

  it("treats a recent lock without readable content as being written, an old one as abandoned", async () => {
    await writeFile(lock, "");
    const error = await acquireFileLock(lock, { waitMs: 100 }).catch((e: unknown) => e);
    expect((error as VoidError).code).toBe("conflict");
    const past = new Date(Date.now() - 10_000);
    await utimes(lock, past, past);
    const held = await acquireFileLock(lock, { waitMs: 5_000 });
    await held.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("does not remove a lock that was broken and taken by someone else", async () => {
    const held = await acquireFileLock(lock);
    const theirs = JSON.stringify({ pid: process.pid, id: "new-holder" });
    await writeFile(lock, theirs);
    await held.release();
    expect(await readFile(lock, "utf8")).toBe(theirs);
  });

  it("creates a missing directory when asked, and removes it again when it stays empty", async () => {
    const nested = join(dir, "a", "b", "servers.json.lock");
    const held = await acquireFileLock(nested, { dirMode: 0o700 });
    expect(await readdir(join(dir, "a", "b"))).toEqual(["servers.json.lock"]);
    await held.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("passes on other OS errors", async () => {
    const error = await acquireFileLock(join(dir, "missing", "x.lock")).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe("ENOENT");
  });
});
