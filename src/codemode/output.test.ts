import { describe, expect, it } from "vitest";
import { capOutput } from "./output.js";

const marker = (bytes: number, limit: number) =>
  `… [cut: the result is ${bytes} bytes as JSON; the limit is ${limit} (maxOutputBytes). Return a smaller projection.]`;

describe("capOutput", () => {
  const cases: { name: string; json: string; max: number; expected: string; truncated: boolean }[] = [
    { name: "short text stays whole", json: '"abc"', max: 100, expected: '"abc"', truncated: false },
    { name: "exactly the limit stays whole", json: '"abc"', max: 5, expected: '"abc"', truncated: false },
    { name: "one byte over is cut", json: '"abc"', max: 4, expected: `"abc${marker(5, 4)}`, truncated: true },
    {
      name: "multi-byte text at the limit stays whole",
      json: '"éé"',
      max: 6,
      expected: '"éé"',
      truncated: false,
    },
    {
      name: "a cut never splits a character",
      json: `"${"é".repeat(10)}"`,
      max: 8,
      expected: `"ééé${marker(22, 8)}`,
      truncated: true,
    },
    {
      name: "a four-byte character is kept or dropped whole",
      json: '"a😀b"',
      max: 4,
      expected: `"a${marker(8, 4)}`,
      truncated: true,
    },
    { name: "empty JSON text", json: "", max: 1, expected: "", truncated: false },
  ];

  it.each(cases)("$name", ({ json, max, expected, truncated }) => {
    expect(capOutput(json, max)).toEqual({ json: expected, truncated });
  });

  it("cuts a 30 MB text to the limit plus the marker", () => {
    const big = `"${"x".repeat(3e7)}"`;
    const capped = capOutput(big, 100_000);
    expect(capped.truncated).toBe(true);
    expect(capped.json).toBe(`"${"x".repeat(99_999)}${marker(30_000_002, 100_000)}`);
  });
});
