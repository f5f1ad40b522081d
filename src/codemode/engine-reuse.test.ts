import { describe, expect, it } from "vitest";
import { type EngineAfterRun, MAX_RUNS_PER_ENGINE, mayReuseEngine } from "./engine-reuse.js";

const MiB = 1024 * 1024;
const clean: EngineAfterRun = {
  finishedCleanly: true,
  limitsHit: 0,
  pendingHostWork: 0,
  disposed: true,
  runs: 1,
  memoryBytes: 16 * MiB,
  initialMemoryBytes: 16 * MiB,
};

describe("mayReuseEngine", () => {
  const cases: ReadonlyArray<readonly [string, Partial<EngineAfterRun>, boolean]> = [
    ["a clean run on a new engine", {}, true],
    ["the last run before the bound", { runs: MAX_RUNS_PER_ENGINE - 1 }, true],
    ["a run that reached the bound", { runs: MAX_RUNS_PER_ENGINE }, false],
    ["a run stopped (timeout, cancel, trap)", { finishedCleanly: false }, false],
    ["a run that hit a limit and carried on", { limitsHit: 1 }, false],
    ["a run that left a tool call or search waiting", { pendingHostWork: 1 }, false],
    ["a runtime whose dispose failed (a leaked object)", { disposed: false }, false],
    ["a run that grew the memory", { memoryBytes: 16 * MiB + 65_536 }, false],
  ];
  it.each(cases)("%s", (_name, change, expected) => {
    expect(mayReuseEngine({ ...clean, ...change })).toBe(expected);
  });
});
