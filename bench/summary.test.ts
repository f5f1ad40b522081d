import { describe, expect, it } from "vitest";
import { type Facts, summaryRows, summaryTable, verdict } from "./summary.js";

describe("verdict", () => {
  it.each([
    [0.09, 0.1, "ms", "met"],
    [0.1, 0.1, "ms", "met"],
    [2.36, 0.1, "ms", "**missed** by 2.26 ms"],
    [394, 100, "ms", "**missed** by 294 ms"],
    [121.25, 66.75, "MiB", "**missed** by 54.5 MiB"],
    [75.4, 60, "s", "**missed** by 15.4 s"],
    [undefined, 10, "ms", "not measured"],
    [Number.NaN, 10, "ms", "not measured"],
  ] as const)("%s against %s %s → %s", (value, target, unit, expected) => {
    expect(verdict(value, target, unit)).toBe(expected);
  });
});

const status = (facts: Facts, label: string) =>
  summaryRows(facts).find(([name]) => name.startsWith(label))?.[4];

describe("summaryRows", () => {
  it.each<[string, Facts, string, string]>([
    [
      "HTTP front slower than a peer",
      {
        httpDirectMs: 4,
        httpFrontMs: 6,
        httpPeers: [
          { name: "mcp-hub", medianMs: 4.5, addedMs: 0.5 },
          { name: "supergateway", medianMs: 4.2, addedMs: 0.2 },
        ],
      },
      "HTTP front",
      "+0.5 ms: **missed** by 1.50 ms; **not** the lowest absolute median (1.43× supergateway)",
    ],
    [
      "HTTP front ahead of every peer",
      { httpDirectMs: 4, httpFrontMs: 4.3, httpPeers: [{ name: "mcp-hub", medianMs: 4.5, addedMs: 0.5 }] },
      "HTTP front",
      "+0.5 ms: met; lowest absolute median",
    ],
    ["stdio front within target", { stdioDirectMs: 0.6, stdioFrontMs: 0.68 }, "stdio front", "met"],
    ["stdio suite not run", {}, "stdio front", "not measured"],
    ["executable not built", { startBundleMs: 300 }, "spawn → `initialize`, single", "not measured"],
    ["executable built", { startBundleMs: 300, startBinaryMs: 55 }, "spawn → `initialize`, single", "met"],
    ["RSS read in MiB against 70 MB", { rss1MiB: 60, rss10MiB: 67 }, "idle RSS", "**missed** by 0.2 MiB"],
    [
      "full run has no quick verdict",
      { benchSeconds: 200, quick: false },
      "`npm run bench",
      "not measured (not --quick)",
    ],
    ["quick run within a minute", { benchSeconds: 58, quick: true }, "`npm run bench", "met"],
  ])("%s", (_name, facts, label, expected) => {
    expect(status(facts, label)).toBe(expected);
  });

  it("says which row's suite did not run instead of showing a number", () => {
    const rows = summaryRows({ startBundleMs: 250 });
    expect(rows.find(([name]) => name.startsWith("spawn → `initialize`, single"))?.[1]).toBe("not built");
    expect(rows.find(([name]) => name.startsWith("idle RSS"))?.[1]).toBe("suite not run");
  });

  it("prints one markdown table whose rows all have five cells", () => {
    const table = summaryTable({
      httpPeers: [{ name: "a | b", medianMs: 1, addedMs: 0 }],
      httpDirectMs: 1,
      httpFrontMs: 2,
    });
    const body = table.split("\n").filter((line) => line.startsWith("| "));
    expect(body.length).toBe(summaryRows({}).length + 1);
    for (const line of body) expect(line.split(" | ").length).toBe(5);
  });
});
