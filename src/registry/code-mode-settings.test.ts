import { describe, expect, it } from "vitest";
import { parseRegistryText } from "./parse.js";

const FILE = "/home/me/.config/voidmcp/servers.json";
const withCodeMode = (codeMode: unknown) => JSON.stringify({ codeMode });

describe("codeMode settings in the registry file", () => {
  it("are read as written, known keys only", () => {
    const registry = parseRegistryText(
      withCodeMode({ timeoutMs: 5_000, memoryMb: 32, maxConcurrentRuns: 2, maxQueuedRuns: 0, future: true }),
      FILE,
    );
    expect(registry.settings.codeMode).toEqual({
      timeoutMs: 5_000,
      memoryMb: 32,
      maxConcurrentRuns: 2,
      maxQueuedRuns: 0,
    });
  });

  it("are empty when the file sets none", () => {
    expect(parseRegistryText("{}", FILE).settings.codeMode).toEqual({});
  });

  const limits: Array<{ key: string; low: number; high: number }> = [
    { key: "timeoutMs", low: 1, high: 3_600_000 },
    { key: "maxTimeoutMs", low: 1, high: 3_600_000 },
    { key: "memoryMb", low: 8, high: 1024 },
    { key: "stackKb", low: 64, high: 1024 },
    { key: "maxToolCalls", low: 1, high: 100_000 },
    { key: "maxCodeBytes", low: 1, high: 10_000_000 },
    { key: "maxOutputBytes", low: 1, high: 100_000_000 },
    { key: "maxLogBytes", low: 1, high: 10_000_000 },
    { key: "maxConcurrentRuns", low: 1, high: 64 },
    { key: "maxQueuedRuns", low: 0, high: 10_000 },
    { key: "handleBytes", low: 1, high: 100_000_000 },
    { key: "handleTtlMs", low: 1_000, high: 86_400_000 },
  ];

  it.each(limits)("take $key from $low to $high", ({ key, low, high }) => {
    expect(parseRegistryText(withCodeMode({ [key]: low }), FILE).settings.codeMode).toEqual({ [key]: low });
    expect(parseRegistryText(withCodeMode({ [key]: high }), FILE).settings.codeMode).toEqual({ [key]: high });
  });

  it.each(limits)("reject $key below $low, above $high, fractional or not a number", ({ key, low, high }) => {
    for (const [value, problem] of [
      [low - 1, `expected at least ${low}`],
      [high + 1, `expected at most ${high}`],
      [low + 0.5, "expected a whole number"],
      ["lots", "expected a whole number"],
      [null, "expected a whole number"],
    ] as const) {
      expect(() => parseRegistryText(withCodeMode({ [key]: value }), FILE), `${key}: ${value}`).toThrow(
        new RegExp(`codeMode\\.${key}: ${problem}`),
      );
    }
  });

  it("names the file, line and column of a bad value, and every bad key", () => {
    const text = '{\n  "codeMode": {\n    "memoryMb": "lots",\n    "stackKb": 1\n  }\n}';
    expect(() => parseRegistryText(text, FILE)).toThrow(
      expect.objectContaining({
        code: "registry_invalid",
        message: expect.stringMatching(
          new RegExp(`${FILE}:3:\\d+: codeMode\\.memoryMb: [^]*${FILE}:4:\\d+: codeMode\\.stackKb: `),
        ),
      }),
    );
  });
});
