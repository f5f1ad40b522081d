import { describe, expect, it } from "vitest";
import { nextRestartDelay } from "./restart-policy.js";

const policy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 4000 };

describe("nextRestartDelay", () => {
  it.each([
    // attempt, random, expected: half of the capped exponential, plus random times the other half
    [1, 0, 250],
    [1, 0.999999, 500],
    [2, 0.5, 750],
    [3, 0, 1000],
    [4, 1, 4000],
    [5, 0, 2000], // capped at 4000 → between 2000 and 4000
    [12, 0.5, 3000],
    [0, 0, 250], // a nonsense attempt is treated as the first
  ])("attempt %i with random %f waits %i ms", (attempt, random, expected) => {
    expect(nextRestartDelay(policy, attempt, random)).toBe(expected);
  });

  it("never goes outside [cap/2, cap] even for out-of-range random values", () => {
    expect(nextRestartDelay(policy, 10, -1)).toBe(2000);
    expect(nextRestartDelay(policy, 10, 7)).toBe(4000);
  });
});
