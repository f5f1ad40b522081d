import { describe, expect, it } from "vitest";
import { crossIssues, overrideNameProblem } from "./cross-checks.js";
import { parseRegistryText } from "./parse.js";
import type { RegistryFields } from "./schema.js";
import { voidErrorOf } from "./test-helpers.js";

const FILE = "/tmp/servers.json";
const two = { github: { command: "gh" }, files: { command: "fs" } };

describe("crossIssues", () => {
  const cases: Array<{ what: string; file: RegistryFields; issues: Array<[string, string]> }> = [
    { what: "an empty file", file: {}, issues: [] },
    {
      what: "a profile of registered servers and patterns",
      file: {
        mcpServers: two,
        profiles: {
          work: {
            servers: ["github"],
            tools: { allow: ["github.*", "*.read_*"], deny: ["github.delete_*"] },
          },
        },
      },
      issues: [],
    },
    {
      what: "a profile naming an unknown server",
      file: { mcpServers: two, profiles: { work: { servers: ["github", "gitlab"] } } },
      issues: [["profiles.work.servers.1", 'unknown server "gitlab" (registered: github, files)']],
    },
    {
      what: "a profile when no server is registered",
      file: { profiles: { p: { servers: ["x"] } } },
      issues: [["profiles.p.servers.0", 'unknown server "x" (no server is registered)']],
    },
    {
      what: "a tool pattern naming an unknown server",
      file: { mcpServers: two, profiles: { p: { tools: { deny: ["gitlab.*"] } } } },
      issues: [
        [
          "profiles.p.tools.deny.0",
          '"gitlab.*" names server "gitlab", which is not registered (registered: github, files)',
        ],
      ],
    },
    {
      what: "overrides that fit",
      file: {
        mcpServers: {
          github: {
            command: "gh",
            overrides: { create_issue: { name: "new_issue" }, x: { description: "d" } },
          },
          bare: { command: "b", prefix: "", overrides: { "some.tool": { name: "tool" } } },
        },
      },
      issues: [],
    },
    {
      what: "an override with a dot",
      file: { mcpServers: { github: { command: "gh", overrides: { a: { name: "a.b" } } } } },
      issues: [
        [
          "mcpServers.github.overrides.a.name",
          '"a.b" is not a tool name: expected letters, digits, "_" and "-" only',
        ],
      ],
    },
    {
      what: "an override too long for the default budget",
      file: { mcpServers: { github: { command: "gh", overrides: { a: { name: "n".repeat(43) } } } } },
      issues: [
        [
          "mcpServers.github.overrides.a.name",
          `clients would see "github__${"n".repeat(43)}" (51 characters), longer than nameBudget allows (50); choose a shorter name`,
        ],
      ],
    },
    {
      what: "the same override under a larger nameBudget",
      file: {
        nameBudget: 64,
        mcpServers: { github: { command: "gh", overrides: { a: { name: "n".repeat(43) } } } },
      },
      issues: [],
    },
    {
      what: "an override that would not start with a letter",
      file: { mcpServers: { "7": { command: "x", overrides: { a: { name: "b" } } } } },
      issues: [
        [
          "mcpServers.7.overrides.a.name",
          'clients would see "7__b", which does not start with a letter; start the name (or the server\'s prefix) with one',
        ],
      ],
    },
    {
      what: "two overrides giving one name, across servers",
      file: {
        mcpServers: {
          a: { command: "x", prefix: "", overrides: { t1: { name: "same" } } },
          b: { command: "y", prefix: "", overrides: { t2: { name: "same" } } },
        },
      },
      issues: [
        [
          "mcpServers.b.overrides.t2.name",
          'gives the name "same", which mcpServers.a.overrides.t1 already gives',
        ],
      ],
    },
    {
      what: "two overrides giving one name, in one server",
      file: { mcpServers: { a: { command: "x", overrides: { t1: { name: "n" }, t2: { name: "n" } } } } },
      issues: [
        [
          "mcpServers.a.overrides.t2.name",
          'gives the name "a__n", which mcpServers.a.overrides.t1 already gives',
        ],
      ],
    },
  ];
  it.each(cases)("$what", ({ file, issues }) => {
    expect(crossIssues(file).map((i) => [i.path.join("."), i.message])).toEqual(issues);
  });
});

describe("overrideNameProblem", () => {
  const cases: Array<{ prefix: string; name: string; budget: number; ok: boolean }> = [
    { prefix: "gh", name: "issue", budget: 50, ok: true },
    { prefix: "", name: "issue", budget: 16, ok: true },
    { prefix: "", name: "_issue", budget: 50, ok: false },
    { prefix: "", name: "", budget: 50, ok: false },
    { prefix: "gh", name: "a b", budget: 50, ok: false },
    { prefix: "gh", name: "n".repeat(12), budget: 16, ok: true },
    { prefix: "gh", name: "n".repeat(13), budget: 16, ok: false },
    { prefix: "gh", name: "n".repeat(13), budget: 17, ok: true },
  ];
  it.each(cases)("$prefix / $name within $budget → ok $ok", ({ prefix, name, budget, ok }) => {
    expect(overrideNameProblem(prefix, name, budget) === undefined).toBe(ok);
  });
});

describe("parseRegistryText: profiles, overrides, nameBudget", () => {
  it("normalises profiles, overrides and the budget", () => {
    const registry = parseRegistryText(
      JSON.stringify({
        nameBudget: 57,
        profiles: {
          work: {
            servers: ["github"],
            tools: { allow: ["github.*"], deny: ["github.delete_*"] },
            expose: "direct",
          },
          all: {},
        },
        mcpServers: { github: { command: "gh", overrides: { create_issue: { name: "issue" }, x: {} } } },
      }),
      FILE,
    );
    expect(registry.settings.nameBudget).toBe(57);
    expect(registry.settings.profiles).toEqual({
      work: {
        name: "work",
        servers: ["github"],
        allow: [{ key: "github.*", server: "github", tool: "*" }],
        deny: [{ key: "github.delete_*", server: "github", tool: "delete_*" }],
        expose: "direct",
      },
      all: { name: "all" },
    });
    expect(registry.servers[0]?.overrides).toEqual({ create_issue: { name: "issue" } });
  });

  const rejected: Array<{ what: string; document: unknown; message: string }> = [
    {
      what: "an unknown server in a profile, located in the text",
      document: { mcpServers: { a: { command: "x" } }, profiles: { p: { servers: ["b"] } } },
      message: `${FILE}:1:65: profiles.p.servers[0]: unknown server "b" (registered: a)`,
    },
    {
      what: "a misspelt profile key",
      document: { profiles: { p: { server: ["a"] } } },
      message: `${FILE}:1:19: profiles.p.server: unknown key "server": a profile takes only servers, tools and expose`,
    },
    {
      what: "a profile name that cannot be a URL path segment",
      document: { profiles: { "a/b": {} } },
      message: `${FILE}:1:14: profiles["a/b"]: "a/b" is not a valid profile name: expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$ without "__"`,
    },
    {
      what: "a misspelt override key",
      document: { mcpServers: { a: { command: "x", overrides: { t: { nmae: "n" } } } } },
      message: `${FILE}:1:53: mcpServers.a.overrides.t.nmae: unknown key "nmae": an override takes only name and description`,
    },
    {
      what: "a nameBudget out of range",
      document: { nameBudget: 80 },
      message: `${FILE}:1:15: nameBudget: expected at most 64 characters`,
    },
    {
      what: "an override name that breaks the rules",
      document: { mcpServers: { a: { command: "x", overrides: { t: { name: "x.y" } } } } },
      message: `${FILE}:1:60: mcpServers.a.overrides.t.name: "x.y" is not a tool name: expected letters, digits, "_" and "-" only`,
    },
  ];
  it.each(rejected)("rejects $what", ({ document, message }) => {
    const error = voidErrorOf(() => parseRegistryText(JSON.stringify(document), FILE));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
  });
});
