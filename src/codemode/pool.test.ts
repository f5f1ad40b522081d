import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./limits.js";
import { SandboxPool } from "./pool.js";
import type { SandboxHost } from "./types.js";

/**
 * The pool with real worker threads. A worker says when its next sandbox is prepared; a run
 * that finds no prepared worker warms another (room permitting). Whether a run comes faster
 * than a worker prepares depends on the machine, so the tests leave time between runs and
 * check that the prepared worker is the one reused.
 */

const host: SandboxHost = {
  callTool: async () => ({}),
  search: async () => ({}),
};

const pools: SandboxPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function runs(maxConcurrentRuns: number, count: number, gapMs: number): Promise<SandboxPool> {
  const pool = new SandboxPool();
  pools.push(pool);
  const limits = { ...DEFAULT_LIMITS, maxConcurrentRuns };
  for (let i = 0; i < count; i++) {
    const answer = await pool.run({ code: "return 1", catalogueJson: "{}", limits, host });
    expect(answer.kind).toBe("ran");
    await wait(gapMs);
  }
  return pool;
}

describe("SandboxPool", () => {
  // Were "prepared" never heard, every run after the first would count as a burst and warm a worker.
  it("reuses the one worker whose sandbox is prepared when runs leave it time", async () => {
    const pool = await runs(4, 4, 300);
    expect(pool.size).toBe(1);
  });

  // Runs beyond the idle workers take the first worker free: one given back or one started.
  it("runs a burst larger than its workers, each run once, within maxConcurrentRuns workers", async () => {
    const pool = new SandboxPool();
    pools.push(pool);
    const limits = { ...DEFAULT_LIMITS, maxConcurrentRuns: 2, maxQueuedRuns: 10 };
    pool.prewarm(limits.memoryMb);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        pool.run({ code: `return ${i}`, catalogueJson: "{}", limits, host }),
      ),
    );
    expect(
      answers.map((answer) =>
        answer.kind === "ran" && answer.report.outcome.kind === "ran"
          ? answer.report.outcome.resultJson
          : answer,
      ),
    ).toEqual(Array.from({ length: 8 }, (_, i) => String(i)));
    expect(pool.size).toBeLessThanOrEqual(2);
  });

  it("cancels runs waiting for a worker when it closes", async () => {
    const pool = new SandboxPool();
    pools.push(pool);
    const limits = { ...DEFAULT_LIMITS, maxConcurrentRuns: 3 };
    const answers = Array.from({ length: 3 }, () =>
      pool.run({ code: "return 1", catalogueJson: "{}", limits, host }),
    );
    await pool.close();
    expect((await Promise.all(answers)).map((answer) => answer.kind)).toEqual([
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
  });

  it("never warms beyond maxConcurrentRuns, even back to back", async () => {
    const pool = await runs(1, 4, 0);
    await wait(300);
    expect(pool.size).toBe(1);
  });
});
