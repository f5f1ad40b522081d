import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CLIENT_NAME_OVERHEAD,
  DEFAULT_NAME_BUDGET,
  EXPOSED_NAME_PATTERN,
  exposedName,
  fitsNameRules,
  isValidServerName,
  MAX_EXPOSED_NAME_LENGTH,
  MIN_NAME_BUDGET,
  PREFIX_SEPARATOR,
} from "./names.js";

/** A small seeded generator (mulberry32), so the property tests are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("exposedName", () => {
  it("joins prefix and name with the separator", () => {
    expect(PREFIX_SEPARATOR).toBe("__");
  });

  it("leaves room for Claude Code's mcp__voidmcp__ by default: 64 - 14 = 50", () => {
    expect(CLIENT_NAME_OVERHEAD).toBe(14);
    expect(DEFAULT_NAME_BUDGET).toBe(50);
  });

  const unchanged: Array<{ prefix: string; name: string; expected: string }> = [
    { prefix: "github", name: "create_issue", expected: "github__create_issue" },
    { prefix: "fs", name: "read-file", expected: "fs__read-file" },
    { prefix: "a", name: "B9", expected: "a__B9" },
    { prefix: "", name: "create_issue", expected: "create_issue" },
    { prefix: "", name: "x", expected: "x" },
    { prefix: "", name: "get-sum", expected: "get-sum" },
    // Exactly the budget (50) is still valid and passes unchanged.
    { prefix: "", name: "n".repeat(50), expected: "n".repeat(50) },
    { prefix: "s", name: "n".repeat(47), expected: `s__${"n".repeat(47)}` },
  ];
  it.each(unchanged)("keeps the valid name $prefix/$name as $expected", ({ prefix, name, expected }) => {
    expect(exposedName(prefix, name)).toBe(expected);
  });

  // Pinned outputs: exposed names must survive restarts, so a change of algorithm must be seen.
  const pinned: Array<{ prefix: string; name: string; expected: string }> = [
    { prefix: "fs", name: "read.file", expected: "fs__read_file_a70c2700" },
    { prefix: "", name: "hello world", expected: "hello_world_4eccf346" },
    { prefix: "srv", name: "héllo/wörld", expected: "srv__h_llo_w_rld_dda560b4" },
    { prefix: "a", name: "b.c", expected: "a__b_c_ad8a94ab" },
    { prefix: "a", name: "b c", expected: "a__b_c_fa1e0a6a" },
    { prefix: "", name: "", expected: "x_6e340b9c" },
    {
      prefix: "github",
      name: "x".repeat(80),
      expected: `github__${"x".repeat(33)}_5e0244cf`,
    },
    // Not starting with a letter (Gemini's rule): an x goes in front.
    { prefix: "7", name: "tool", expected: "x7__tool_3773b6ec" },
    { prefix: "", name: "_private", expected: "x_private_bc3734c8" },
    { prefix: "", name: "-dash", expected: "x-dash_1896528f" },
    {
      prefix: "github",
      name: "get_repository_collaborators_with_permissions",
      expected: "github__get_repository_collaborators_with_b830dd21",
    },
  ];
  it.each(pinned)("maps $prefix/$name to the pinned $expected", ({ prefix, name, expected }) => {
    expect(exposedName(prefix, name)).toBe(expected);
    expect(expected).toMatch(EXPOSED_NAME_PATTERN);
    expect(expected.length).toBeLessThanOrEqual(DEFAULT_NAME_BUDGET);
  });

  const budgets: Array<{ budget: number; prefix: string; name: string; expected: string }> = [
    // The same long name under other budgets: cut to each, same hash.
    { budget: 64, prefix: "github", name: "x".repeat(80), expected: `github__${"x".repeat(47)}_5e0244cf` },
    { budget: 16, prefix: "github", name: "x".repeat(80), expected: "github__5e0244cf" },
    // A name that fits a larger budget is left alone there, shortened under the default.
    { budget: 64, prefix: "s", name: "n".repeat(61), expected: `s__${"n".repeat(61)}` },
    { budget: 57, prefix: "", name: "n".repeat(57), expected: "n".repeat(57) },
  ];
  it.each(budgets)(
    "under a budget of $budget maps $prefix/… to $expected",
    ({ budget, prefix, name, expected }) => {
      expect(exposedName(prefix, name, budget)).toBe(expected);
      expect(fitsNameRules(expected, budget)).toBe(true);
    },
  );

  const rules: Array<{ name: string; budget: number; fits: boolean }> = [
    { name: "github__create_issue", budget: 50, fits: true },
    { name: "a", budget: 16, fits: true },
    { name: "n".repeat(50), budget: 50, fits: true },
    { name: "n".repeat(51), budget: 50, fits: false },
    { name: "n".repeat(51), budget: 64, fits: true },
    { name: "n".repeat(65), budget: 64, fits: false },
    { name: "", budget: 50, fits: false },
    { name: "7up", budget: 50, fits: false },
    { name: "_x", budget: 50, fits: false },
    { name: "-x", budget: 50, fits: false },
    { name: "a.b", budget: 50, fits: false },
    { name: "a b", budget: 50, fits: false },
    { name: "a-b_C9", budget: 50, fits: true },
  ];
  it.each(rules)("fitsNameRules($name, $budget) → $fits", ({ name, budget, fits }) => {
    expect(fitsNameRules(name, budget)).toBe(fits);
  });

  it("appends the first 8 hex digits of sha256(prefix NUL name)", () => {
    const hash = createHash("sha256").update("fs\u0000read.file").digest("hex").slice(0, 8);
    expect(exposedName("fs", "read.file")).toBe(`fs__read_file_${hash}`);
  });

  const invalid: Array<{ what: string; prefix: string; name: string; cleaned: string }> = [
    { what: "dots", prefix: "fs", name: "read.file", cleaned: "fs__read_file_" },
    { what: "spaces", prefix: "", name: "do it now", cleaned: "do_it_now_" },
    { what: "slashes", prefix: "git", name: "repo/list", cleaned: "git__repo_list_" },
    { what: "colons", prefix: "k8s", name: "pods:list", cleaned: "k8s__pods_list_" },
    { what: "unicode letters", prefix: "", name: "größe", cleaned: "gr__e_" },
    // An astral character is two UTF-16 units, each replaced.
    { what: "emoji", prefix: "e", name: "smile😀", cleaned: "e__smile___" },
    { what: "a newline", prefix: "p", name: "a\n", cleaned: "p__a__" },
  ];
  it.each(invalid)("replaces $what and appends a hash", ({ prefix, name, cleaned }) => {
    const result = exposedName(prefix, name);
    expect(result).toMatch(EXPOSED_NAME_PATTERN);
    expect(result.slice(0, -8)).toBe(cleaned);
    expect(result.slice(-8)).toMatch(/^[0-9a-f]{8}$/);
  });

  const long: Array<{ prefix: string; name: string }> = [
    { prefix: "", name: "a".repeat(65) },
    { prefix: "srv", name: "b".repeat(62) },
    { prefix: "x".repeat(48), name: "y".repeat(48) },
    { prefix: "srv", name: "c.".repeat(100) },
    { prefix: "", name: "€".repeat(200) },
  ];
  it.each(long)("cuts a too-long name to exactly the budget ($prefix)", ({ prefix, name }) => {
    for (const budget of [MIN_NAME_BUDGET, DEFAULT_NAME_BUDGET, MAX_EXPOSED_NAME_LENGTH]) {
      const result = exposedName(prefix, name, budget);
      expect(result).toHaveLength(budget);
      expect(result).toMatch(EXPOSED_NAME_PATTERN);
    }
  });

  it("is deterministic", () => {
    const inputs: Array<[string, string]> = [
      ["fs", "read.file"],
      ["", "hello world"],
      ["github", "z".repeat(100)],
      ["a", "b"],
    ];
    for (const [prefix, name] of inputs) {
      expect(exposedName(prefix, name)).toBe(exposedName(prefix, name));
    }
  });

  it("keeps apart originals that sanitise alike", () => {
    const alike = ["a.b", "a_b", "a b", "a/b", "a:b", "aéb"].map((name) => exposedName("s", name));
    expect(new Set(alike).size).toBe(alike.length);
    expect(alike[1]).toBe("s__a_b");
  });

  it("keeps apart long names that share their first 50 characters", () => {
    const stem = "t".repeat(70);
    const one = exposedName("", `${stem}_one`);
    const two = exposedName("", `${stem}_two`);
    expect(one).not.toBe(two);
    expect(one.slice(0, 41)).toBe(two.slice(0, 41));
    expect(one).toHaveLength(50);
    expect(two).toHaveLength(50);
  });

  it("hashes the (prefix, name) pair, not the joined string", () => {
    // "a" + "b.c" and "" + "a__b.c" join to the same string but are different originals.
    expect(exposedName("a", "b.c")).not.toBe(exposedName("", "a__b.c"));
  });

  it("stays valid and injective over many random inputs", () => {
    const random = seeded(0xc0ffee);
    const alphabet = "abcXYZ019_-. /:é😀\u0000\t";
    const prefixes = ["", "s", "7", "github", "my-server", "x".repeat(48)];
    const pick = (text: string) => {
      const chars = Array.from(text);
      return chars[Math.floor(random() * chars.length)] ?? "";
    };
    for (const prefix of prefixes) {
      const seen = new Map<string, string>();
      for (let i = 0; i < 2_000; i += 1) {
        const length = Math.floor(random() * 90);
        let name = "";
        for (let j = 0; j < length; j += 1) name += pick(alphabet);
        const result = exposedName(prefix, name);
        expect(result).toMatch(EXPOSED_NAME_PATTERN);
        expect(result.length).toBeLessThanOrEqual(DEFAULT_NAME_BUDGET);
        const earlier = seen.get(result);
        if (earlier !== undefined && earlier !== name) {
          throw new Error(`${JSON.stringify(earlier)} and ${JSON.stringify(name)} both became ${result}`);
        }
        seen.set(result, name);
      }
      expect(seen.size).toBeGreaterThan(1_500);
    }
  });
});

describe("isValidServerName", () => {
  const cases: Array<{ name: string; valid: boolean }> = [
    { name: "github", valid: true },
    { name: "my-server", valid: true },
    { name: "my_server", valid: true },
    { name: "7", valid: true },
    { name: "A1", valid: true },
    { name: "a".repeat(48), valid: true },
    { name: "a".repeat(49), valid: false },
    { name: "", valid: false },
    { name: "-lead", valid: false },
    { name: "_lead", valid: false },
    { name: "has__double", valid: false },
    { name: "has space", valid: false },
    { name: "dot.ted", valid: false },
    { name: "slash/ed", valid: false },
    { name: "ünï", valid: false },
    { name: "a\n", valid: false },
  ];
  it.each(cases)("$name → $valid", ({ name, valid }) => {
    expect(isValidServerName(name)).toBe(valid);
  });
});
