import { describe, expect, it } from "vitest";
import type { ToolEntry } from "../upstream/index.js";
import { searchTools } from "./search.js";

function entry(
  server: string,
  upstreamName: string,
  description = "",
  title?: string,
  exposedName = `${server}__${upstreamName}`,
): ToolEntry {
  return {
    exposedName,
    server,
    upstreamName,
    tool: {
      name: exposedName,
      description,
      inputSchema: { type: "object" },
      ...(title === undefined ? {} : { title }),
    },
  };
}

const catalogue: ToolEntry[] = [
  entry("math", "get-sum", "Adds two numbers"),
  entry("github", "create_issue", "Open a new issue in a repository"),
  entry("github", "list_issues", "List issues of a repository"),
  entry("notes", "summarize", "Write a summary of a note"),
  entry("notes", "append", "Append text; the sum of all notes grows"),
  entry("files", "read_file", "Read a file from disk", "Read File"),
  entry("weather", "forecast", "Weather forecast for a city"),
];

function names(query: string, limit = 10, entries: readonly ToolEntry[] = catalogue): string[] {
  return searchTools(entries, query, limit).map((hit) => hit.entry.exposedName);
}

describe("searchTools", () => {
  const cases: Array<{ query: string; expected: string[] }> = [
    // whole word in the name (10) > prefix in the name (5) > whole word in the description (3)
    { query: "sum", expected: ["math__get-sum", "notes__summarize", "notes__append"] },
    { query: "get", expected: ["math__get-sum"] },
    { query: "issue", expected: ["github__create_issue", "github__list_issues"] },
    { query: "create issue", expected: ["github__create_issue"] },
    { query: "create_issue", expected: ["github__create_issue"] },
    { query: "get-sum", expected: ["math__get-sum"] },
    { query: "ISSUE", expected: ["github__create_issue", "github__list_issues"] },
    { query: "  Repository  ", expected: ["github__create_issue", "github__list_issues"] },
    // every term must match somewhere
    { query: "issue weather", expected: [] },
    { query: "nothing-like-this", expected: [] },
    // server names count
    { query: "weather", expected: ["weather__forecast"] },
    { query: "github", expected: ["github__create_issue", "github__list_issues"] },
    // the title counts as a name
    { query: "file", expected: ["files__read_file"] },
    // a long term also matches inside a word, a short one does not
    { query: "ssue", expected: ["github__create_issue", "github__list_issues"] },
    { query: "um", expected: [] },
    // empty and punctuation-only queries match nothing
    { query: "", expected: [] },
    { query: "   ", expected: [] },
    { query: "--- ...", expected: [] },
  ];
  it.each(cases)("ranks $query", ({ query, expected }) => {
    expect(names(query)).toEqual(expected);
  });

  it("scores name matches above server and description matches", () => {
    const hits = searchTools(catalogue, "sum", 10);
    expect(hits.map((h) => Math.round(h.score * 100) / 100)).toEqual([10, 5, 3]);
    // Mounted without a prefix, the server name is only a server match.
    const byServer = searchTools([entry("weather", "forecast", "", undefined, "forecast")], "weather", 10);
    expect(byServer.map((h) => h.score)).toEqual([6]);
    const byServerPrefix = searchTools([entry("weatherapi", "x", "", undefined, "x")], "weather", 10);
    expect(byServerPrefix.map((h) => h.score)).toEqual([3]);
  });

  it("matches the title like a name", () => {
    const entries = [entry("w", "get_forecast", "", "Fetch the weather"), entry("v", "fetcher", "Fetch it")];
    expect(searchTools(entries, "fetch", 10).map((h) => [h.entry.exposedName, Math.round(h.score)])).toEqual([
      ["w__get_forecast", 10],
      ["v__fetcher", 5],
    ]);
  });

  it("adds the scores of every term", () => {
    const [hit] = searchTools(catalogue, "create issue", 10);
    expect(Math.round((hit?.score ?? 0) * 100) / 100).toBe(20);
  });

  it("prefers a whole word in the description over a prefix in the description", () => {
    const entries = [entry("a", "one", "summary of things"), entry("b", "two", "the sum of things")];
    expect(names("sum", 10, entries)).toEqual(["b__two", "a__one"]);
  });

  it("prefers a whole word in the name over a prefix in the name, whatever the order", () => {
    const entries = [entry("a", "summary"), entry("b", "sum")];
    expect(names("sum", 10, entries)).toEqual(["b__sum", "a__summary"]);
  });

  it("respects the limit", () => {
    const many = Array.from({ length: 30 }, (_, i) => entry(`s${i}`, "echo", "Echo a value"));
    expect(names("echo", 5, many)).toHaveLength(5);
    expect(names("echo", 100, many)).toHaveLength(30);
    expect(names("echo", 0, many)).toEqual([]);
    expect(names("issue", 1)).toEqual(["github__create_issue"]);
  });

  it("keeps catalogue order for ties", () => {
    const many = Array.from({ length: 50 }, (_, i) => entry(`s${i}`, "echo", "Echo a value"));
    expect(names("echo", 50, many)).toEqual(many.map((e) => e.exposedName));
    const reversed = [...many].reverse();
    expect(names("echo", 50, reversed)).toEqual(reversed.map((e) => e.exposedName));
  });

  it("does not mutate the entries", () => {
    const entries = [entry("b", "x", "sum"), entry("a", "sum")];
    const copy = [...entries];
    searchTools(entries, "sum", 10);
    expect(entries).toEqual(copy);
  });
});
