import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, type PolicyDecision, type PolicySettings } from "../registry/index.js";
import { decideTool, globMatches } from "./policy.js";

function policyWith(
  rules: Record<string, PolicyDecision>,
  rest: Partial<PolicySettings> = {},
): PolicySettings {
  return {
    ...DEFAULT_POLICY,
    ...rest,
    rules: Object.entries(rules).map(([key, decision]) => {
      const dot = key.indexOf(".");
      return { key, server: key.slice(0, dot), tool: key.slice(dot + 1), decision };
    }),
  };
}

describe("globMatches", () => {
  const cases: Array<[string, string, boolean]> = [
    ["delete_issue", "delete_issue", true],
    ["delete_issue", "delete_issues", false],
    ["delete_*", "delete_issue", true],
    ["delete_*", "delete_", true],
    ["delete_*", "undelete_x", false],
    ["*_issue", "close_issue", true],
    ["*", "anything", true],
    ["*", "", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    ["*.*", "a.b", true],
  ];
  it.each(cases)("%s against %s is %s", (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });
});

describe("decideTool", () => {
  const readOnly = { readOnlyHint: true };
  const destructive = { destructiveHint: true };
  const openWorld = { openWorldHint: true };
  const cases: Array<{
    name: string;
    policy: PolicySettings;
    server: string;
    tool: string;
    annotations: Record<string, unknown> | undefined;
    decision: PolicyDecision;
    because: string;
  }> = [
    {
      name: "read-only is allowed",
      policy: DEFAULT_POLICY,
      server: "s",
      tool: "t",
      annotations: readOnly,
      decision: "allow",
      because: "readOnlyHint",
    },
    {
      name: "destructive asks by default",
      policy: DEFAULT_POLICY,
      server: "s",
      tool: "t",
      annotations: destructive,
      decision: "confirm",
      because: "destructiveHint",
    },
    {
      name: "destructive follows its setting",
      policy: policyWith({}, { destructive: "deny" }),
      server: "s",
      tool: "t",
      annotations: destructive,
      decision: "deny",
      because: "destructiveHint",
    },
    {
      name: "read-only wins over destructive",
      policy: DEFAULT_POLICY,
      server: "s",
      tool: "t",
      annotations: { readOnlyHint: true, destructiveHint: true },
      decision: "allow",
      because: "readOnlyHint",
    },
    {
      name: "no annotations: unannotated",
      policy: policyWith({}, { unannotated: "confirm" }),
      server: "s",
      tool: "t",
      annotations: undefined,
      decision: "confirm",
      because: "no annotations",
    },
    {
      name: "empty annotations count as none",
      policy: policyWith({}, { unannotated: "deny" }),
      server: "s",
      tool: "t",
      annotations: {},
      decision: "deny",
      because: "no annotations",
    },
    {
      name: "annotations that decide nothing: default",
      policy: policyWith({}, { default: "confirm", unannotated: "deny" }),
      server: "s",
      tool: "t",
      annotations: openWorld,
      decision: "confirm",
      because: "default",
    },
    {
      name: "destructiveHint false decides nothing",
      policy: policyWith({}, { default: "deny" }),
      server: "s",
      tool: "t",
      annotations: { destructiveHint: false },
      decision: "deny",
      because: "default",
    },
    {
      name: "a rule beats annotations",
      policy: policyWith({ "github.list_*": "deny" }),
      server: "github",
      tool: "list_issues",
      annotations: readOnly,
      decision: "deny",
      because: 'rule "github.list_*"',
    },
    {
      name: "a rule of another server does not apply",
      policy: policyWith({ "github.*": "deny" }),
      server: "gitlab",
      tool: "x",
      annotations: readOnly,
      decision: "allow",
      because: "readOnlyHint",
    },
    {
      name: "the most specific rule wins",
      policy: policyWith({
        "github.*": "deny",
        "github.delete_*": "confirm",
        "github.delete_draft": "allow",
      }),
      server: "github",
      tool: "delete_draft",
      annotations: destructive,
      decision: "allow",
      because: 'rule "github.delete_draft"',
    },
    {
      name: "a longer glob beats a shorter one",
      policy: policyWith({ "*.delete_*": "deny", "github.delete_*": "confirm" }),
      server: "github",
      tool: "delete_x",
      annotations: undefined,
      decision: "confirm",
      because: 'rule "github.delete_*"',
    },
    {
      name: "equally specific: the stricter wins",
      policy: policyWith({ "github.*_x": "allow", "github.a_*": "deny" }),
      server: "github",
      tool: "a_x",
      annotations: undefined,
      decision: "deny",
      because: 'rule "github.a_*"',
    },
    {
      name: "server globs",
      policy: policyWith({ "*.drop_table": "deny" }),
      server: "db",
      tool: "drop_table",
      annotations: readOnly,
      decision: "deny",
      because: 'rule "*.drop_table"',
    },
    {
      name: "rules match the upstream name, dots included",
      policy: policyWith({ "files.fs.write": "confirm" }),
      server: "files",
      tool: "fs.write",
      annotations: readOnly,
      decision: "confirm",
      because: 'rule "files.fs.write"',
    },
  ];
  it.each(cases)("$name", ({ policy, server, tool, annotations, decision, because }) => {
    expect(decideTool(policy, server, tool, annotations)).toEqual({ decision, because });
  });
});
