import { describe, expect, it } from "vitest";
import { VoidError } from "../core/index.js";
import { type CodeModeLimits, DEFAULT_LIMITS, limitsForCall, parseLimits } from "./limits.js";

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

describe("parseLimits", () => {
  it("gives the defaults for an empty object", () => {
    expect(parseLimits({})).toEqual(DEFAULT_LIMITS);
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
    expect(parseLimits({ [key]: value })).toEqual({ ...DEFAULT_LIMITS, [key]: value });
  });

  it("takes several overrides at once", () => {
    expect(parseLimits({ timeoutMs: 10_000, memoryMb: 32, maxToolCalls: 50 })).toEqual({
      ...DEFAULT_LIMITS,
      timeoutMs: 10_000,
      memoryMb: 32,
      maxToolCalls: 50,
    });
  });

  it("raises the ceiling to a default timeout above it", () => {
    expect(parseLimits({ timeoutMs: 400_000 })).toEqual({
      ...DEFAULT_LIMITS,
      timeoutMs: 400_000,
      maxTimeoutMs: 400_000,
    });
    expect(parseLimits({ timeoutMs: 20_000, maxTimeoutMs: 10_000 })).toEqual({
      ...DEFAULT_LIMITS,
      timeoutMs: 20_000,
      maxTimeoutMs: 20_000,
    });
  });

  it("ignores unknown keys, and keys that are only inherited names", () => {
    const parsed = parseLimits({ futureSetting: true, memoryMb: 32, toString: "x", constructor: 1 });
    expect(parsed).toEqual({ ...DEFAULT_LIMITS, memoryMb: 32 });
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
  });

  it("ignores undefined values", () => {
    expect(parseLimits({ memoryMb: undefined })).toEqual(DEFAULT_LIMITS);
  });

  const invalid: { raw: Record<string, unknown>; message: string }[] = [
    { raw: { memoryMb: 4 }, message: "codeMode.memoryMb: Too small: expected number to be >=8" },
    { raw: { memoryMb: 2_000 }, message: "codeMode.memoryMb: Too big: expected number to be <=1024" },
    { raw: { memoryMb: 1.5 }, message: "codeMode.memoryMb: Invalid input: expected int, received number" },
    {
      raw: { memoryMb: "64" },
      message: "codeMode.memoryMb: Invalid input: expected number, received string",
    },
    { raw: { timeoutMs: 0 }, message: "codeMode.timeoutMs: Too small: expected number to be >0" },
    { raw: { timeoutMs: -1 }, message: "codeMode.timeoutMs: Too small: expected number to be >0" },
    {
      raw: { timeoutMs: 3_600_001 },
      message: "codeMode.timeoutMs: Too big: expected number to be <=3600000",
    },
    {
      raw: { maxTimeoutMs: 3_600_001 },
      message: "codeMode.maxTimeoutMs: Too big: expected number to be <=3600000",
    },
    { raw: { stackKb: 32 }, message: "codeMode.stackKb: Too small: expected number to be >=64" },
    { raw: { stackKb: 2_048 }, message: "codeMode.stackKb: Too big: expected number to be <=1024" },
    {
      raw: { maxToolCalls: null },
      message: "codeMode.maxToolCalls: Invalid input: expected number, received null",
    },
    {
      raw: { maxToolCalls: 100_001 },
      message: "codeMode.maxToolCalls: Too big: expected number to be <=100000",
    },
    {
      raw: { maxCodeBytes: 10_000_001 },
      message: "codeMode.maxCodeBytes: Too big: expected number to be <=10000000",
    },
    {
      raw: { maxOutputBytes: 0 },
      message: "codeMode.maxOutputBytes: Too small: expected number to be >0",
    },
    {
      raw: { maxLogBytes: 1e9 },
      message: "codeMode.maxLogBytes: Too big: expected number to be <=10000000",
    },
    {
      raw: { maxLogBytes: Number.NaN },
      message: "codeMode.maxLogBytes: Invalid input: expected number, received NaN",
    },
    {
      raw: { maxConcurrentRuns: 0 },
      message: "codeMode.maxConcurrentRuns: Too small: expected number to be >0",
    },
    {
      raw: { maxConcurrentRuns: 65 },
      message: "codeMode.maxConcurrentRuns: Too big: expected number to be <=64",
    },
    {
      raw: { maxQueuedRuns: -1 },
      message: "codeMode.maxQueuedRuns: Too small: expected number to be >=0",
    },
  ];

  it.each(invalid)("rejects $raw naming the key", ({ raw, message }) => {
    expect(() => parseLimits(raw)).toThrow(new VoidError("registry_invalid", message));
  });

  it("throws the project's error family, as an invalid registry", () => {
    expect(() => parseLimits({ memoryMb: 1 })).toThrow(
      expect.objectContaining({ name: "VoidError", code: "registry_invalid" }),
    );
  });

  it("names the first bad key when several are wrong", () => {
    expect(() => parseLimits({ memoryMb: 1, stackKb: 1 })).toThrow(/^codeMode\.memoryMb: /);
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
