import { describe, expect, it } from "vitest";
import { type CodeModeLimits, DEFAULT_LIMITS, limitsForCall, limitsFrom } from "./limits.js";

describe("DEFAULT_LIMITS", () => {
  it("holds the documented defaults", () => {
    expect(DEFAULT_LIMITS).toEqual({
      timeoutMs: 30_000,
      maxTimeoutMs: 300_000,
      memoryMb: 64,
      stackKb: 256,
      maxToolCalls: 200,
      maxCodeBytes: 100_000,
      maxOutputBytes: 100_000,
      maxLogBytes: 20_000,
      maxConcurrentRuns: 4,
      maxQueuedRuns: 32,
    });
  });
});

describe("limitsFrom", () => {
  it("gives the defaults for an empty object", () => {
    expect(limitsFrom({})).toEqual(DEFAULT_LIMITS);
  });

  const overrides: { key: keyof CodeModeLimits; value: number }[] = [
    { key: "timeoutMs", value: 5_000 },
    { key: "timeoutMs", value: 1 },
    { key: "maxTimeoutMs", value: 600_000 },
    { key: "memoryMb", value: 8 },
    { key: "memoryMb", value: 1024 },
    { key: "stackKb", value: 64 },
    { key: "stackKb", value: 1024 },
    { key: "maxToolCalls", value: 1 },
    { key: "maxToolCalls", value: 100_000 },
    { key: "maxCodeBytes", value: 10_000_000 },
    { key: "maxOutputBytes", value: 100_000_000 },
    { key: "maxLogBytes", value: 1 },
    { key: "maxConcurrentRuns", value: 1 },
    { key: "maxConcurrentRuns", value: 64 },
    { key: "maxQueuedRuns", value: 0 },
    { key: "maxQueuedRuns", value: 10_000 },
  ];

  it.each(overrides)("takes $key = $value and keeps the other defaults", ({ key, value }) => {
    expect(limitsFrom({ [key]: value })).toEqual({ ...DEFAULT_LIMITS, [key]: value });
  });

  it("takes several overrides at once", () => {
    expect(limitsFrom({ timeoutMs: 10_000, memoryMb: 32, maxToolCalls: 50 })).toEqual({
      ...DEFAULT_LIMITS,
      timeoutMs: 10_000,
      memoryMb: 32,
      maxToolCalls: 50,
    });
  });

  it("raises the ceiling to a default timeout above it", () => {
    expect(limitsFrom({ timeoutMs: 400_000 })).toEqual({
      ...DEFAULT_LIMITS,
      timeoutMs: 400_000,
      maxTimeoutMs: 400_000,
    });
    expect(limitsFrom({ timeoutMs: 20_000, maxTimeoutMs: 10_000 })).toEqual({
      ...DEFAULT_LIMITS,
      timeoutMs: 20_000,
      maxTimeoutMs: 20_000,
    });
  });

  it("ignores undefined values", () => {
    expect(limitsFrom({ memoryMb: undefined })).toEqual(DEFAULT_LIMITS);
  });
});

describe("limitsForCall", () => {
  const limits: CodeModeLimits = { ...DEFAULT_LIMITS, timeoutMs: 30_000, maxTimeoutMs: 120_000 };

  it("keeps the limits as they are when the call asks for nothing", () => {
    expect(limitsForCall(limits, undefined)).toBe(limits);
  });

  const cases: { asked: number; timeoutMs: number }[] = [
    { asked: 5_000, timeoutMs: 5_000 },
    { asked: 120_000, timeoutMs: 120_000 },
    { asked: 120_001, timeoutMs: 120_000 },
    { asked: 10_000_000, timeoutMs: 120_000 },
    { asked: Number.POSITIVE_INFINITY, timeoutMs: 120_000 },
    { asked: 1_500.9, timeoutMs: 1_500 },
    { asked: 0.5, timeoutMs: 1 },
    { asked: 0, timeoutMs: 1 },
    { asked: -100, timeoutMs: 1 },
  ];

  it.each(cases)("asked $asked ms, gets $timeoutMs ms and nothing else changes", ({ asked, timeoutMs }) => {
    expect(limitsForCall(limits, asked)).toEqual({ ...limits, timeoutMs });
  });

  it("does not change the limits it was given", () => {
    const before = { ...limits };
    limitsForCall(limits, 1_000);
    expect(limits).toEqual(before);
  });
});
