import { describe, expect, it } from "vitest";
import { type Admission, admit, idleToKeep } from "./admission.js";

describe("admit", () => {
  const limits = { maxConcurrentRuns: 2, maxQueuedRuns: 1 };
  const cases: { running: number; queued: number; expected: Admission }[] = [
    { running: 0, queued: 0, expected: "start" },
    { running: 1, queued: 0, expected: "start" },
    { running: 2, queued: 0, expected: "queue" },
    { running: 2, queued: 1, expected: "refuse" },
    // Limits lowered by a reload while more were running: nothing new starts.
    { running: 5, queued: 0, expected: "queue" },
    { running: 5, queued: 3, expected: "refuse" },
    // A run waits already (its worker is on the way): the newcomer queues behind it.
    { running: 1, queued: 1, expected: "refuse" },
  ];

  it.each(cases)("$running running, $queued queued: $expected", ({ running, queued, expected }) => {
    expect(admit(running, queued, limits)).toBe(expected);
  });

  it("refuses at once when no queue is allowed", () => {
    expect(admit(1, 0, { maxConcurrentRuns: 1, maxQueuedRuns: 0 })).toBe("refuse");
    expect(admit(0, 0, { maxConcurrentRuns: 1, maxQueuedRuns: 0 })).toBe("start");
  });
});

describe("idleToKeep", () => {
  const cases: { running: number; max: number; keep: number }[] = [
    { running: 0, max: 4, keep: 1 },
    { running: 3, max: 4, keep: 1 },
    { running: 4, max: 4, keep: 0 },
    { running: 6, max: 4, keep: 0 },
    { running: 0, max: 1, keep: 1 },
  ];

  it.each(cases)("$running of $max running: keeps $keep", ({ running, max, keep }) => {
    expect(idleToKeep(running, max)).toBe(keep);
  });
});
