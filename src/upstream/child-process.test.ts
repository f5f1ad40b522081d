import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REAPER_SCRIPT, reaperPid, spawnTracked, stopTree } from "./child-process.js";

/** Whether a process is gone (a zombie waiting for its parent counts as gone). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

/** A group leader that ignores SIGTERM and stdin, with a grandchild; prints the grandchild's pid. */
const STUBBORN = `
const { spawn } = require("node:child_process");
process.on("SIGTERM", () => {});
const g = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1e9)"], { stdio: "ignore" });
process.stdout.write(String(g.pid) + "\\n");
setInterval(() => {}, 1e9);
`;

function startStubborn(): Promise<{ pid: number; grandchild: number }> {
  const child = spawn(process.execPath, ["-e", STUBBORN], {
    stdio: ["ignore", "pipe", "ignore"],
    detached: true,
  });
  child.unref();
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) =>
      resolve({ pid: child.pid as number, grandchild: Number(chunk.toString().trim()) }),
    );
    child.once("error", reject);
  });
}

describe.skipIf(process.platform === "win32")("the reaper", () => {
  it("at end-of-file stops every registered group, SIGKILL for those that ignore SIGTERM, and exits", async () => {
    const a = await startStubborn();
    const b = await startStubborn();
    const unregistered = await startStubborn();
    const reaper = spawn("/bin/sh", ["-c", REAPER_SCRIPT], { stdio: ["pipe", "ignore", "inherit"] });
    try {
      reaper.stdin?.write(`+${a.pid}\n+${unregistered.pid}\n+${b.pid}\n-${unregistered.pid}\n`);
      await new Promise((r) => setTimeout(r, 200));
      expect([a.pid, a.grandchild, b.pid, b.grandchild].every((pid) => !isGone(pid))).toBe(true);
      const exited = new Promise<number | null>((resolve) => reaper.once("exit", resolve));
      const endedAt = Date.now();
      // What the kernel does when the gateway dies: the write end of the pipe closes.
      reaper.stdin?.end();
      expect(await until(() => [a.pid, a.grandchild, b.pid, b.grandchild].every(isGone), 4_000)).toBe(true);
      // The contract is 2 s; the bound leaves room for a loaded machine.
      expect(Date.now() - endedAt).toBeLessThan(3_000);
      expect(await exited).toBe(0);
      // A group that was unregistered is not the reaper's business.
      expect(isGone(unregistered.pid)).toBe(false);
    } finally {
      for (const pid of [a.pid, b.pid, unregistered.pid]) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  });

  it("starts with the first tracked child and exits when the last one is gone", async () => {
    const one = spawnTracked({
      command: process.execPath,
      args: ["-e", "setInterval(() => {}, 1e9)"],
      env: process.env,
      cwd: undefined,
    });
    const two = spawnTracked({
      command: process.execPath,
      args: ["-e", "setInterval(() => {}, 1e9)"],
      env: process.env,
      cwd: undefined,
    });
    const reaper = reaperPid();
    expect(reaper).toBeDefined();
    expect(isGone(reaper as number)).toBe(false);
    await stopTree(one, 1_000);
    expect(reaperPid()).toBe(reaper);
    await stopTree(two, 1_000);
    expect(reaperPid()).toBeUndefined();
    expect(await until(() => isGone(reaper as number), 4_000)).toBe(true);
  });
});
