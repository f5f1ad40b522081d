import { describe, expect, it } from "vitest";
import type { Exposure } from "../registry/index.js";
import { AUTO_DIRECT_MAX_TOOLS, exposeDirect } from "./exposure.js";

describe("exposeDirect", () => {
  it("switches auto at 60 tools", () => {
    expect(AUTO_DIRECT_MAX_TOOLS).toBe(60);
  });

  const cases: Array<{ mode: Exposure; count: number; codeMode: boolean; direct: boolean }> = [
    { mode: "direct", count: 0, codeMode: true, direct: true },
    { mode: "direct", count: 1_000, codeMode: true, direct: true },
    { mode: "direct", count: 1_000, codeMode: false, direct: true },
    { mode: "code", count: 0, codeMode: true, direct: false },
    { mode: "code", count: 1_000, codeMode: true, direct: false },
    // `code` is what the user asked for, even while Code Mode is not available.
    { mode: "code", count: 5, codeMode: false, direct: false },
    { mode: "auto", count: 0, codeMode: true, direct: true },
    { mode: "auto", count: 59, codeMode: true, direct: true },
    { mode: "auto", count: 60, codeMode: true, direct: true },
    { mode: "auto", count: 61, codeMode: true, direct: false },
    { mode: "auto", count: 1_000, codeMode: true, direct: false },
    // Without Code Mode, auto stays direct so every tool can still be called.
    { mode: "auto", count: 0, codeMode: false, direct: true },
    { mode: "auto", count: 60, codeMode: false, direct: true },
    { mode: "auto", count: 61, codeMode: false, direct: true },
    { mode: "auto", count: 1_000, codeMode: false, direct: true },
  ];
  it.each(cases)(
    "$mode with $count tools, code mode $codeMode → $direct",
    ({ mode, count, codeMode, direct }) => {
      expect(exposeDirect(mode, count, codeMode)).toBe(direct);
    },
  );
});
