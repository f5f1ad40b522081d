import { describe, expect, it } from "vitest";
import { parseRegistryText } from "./parse.js";
import { voidErrorOf } from "./test-helpers.js";
import { DEFAULT_POLICY } from "./types.js";

const FILE = "/home/me/.config/voidmcp/servers.json";
const withPolicy = (policy: unknown) => JSON.stringify({ policy });

describe("policy in the registry file", () => {
  it("defaults to allow, allow for unannotated, confirm for destructive, no rules", () => {
    expect(parseRegistryText("{}", FILE).settings.policy).toEqual(DEFAULT_POLICY);
  });

  it("splits each rule at its first dot, server then upstream tool name", () => {
    const policy = parseRegistryText(
      withPolicy({
        default: "confirm",
        unannotated: "deny",
        destructive: "deny",
        rules: { "github.delete_*": "deny", "*.read.me": "allow" },
      }),
      FILE,
    ).settings.policy;
    expect(policy).toMatchObject({ default: "confirm", unannotated: "deny", destructive: "deny" });
    expect(policy.rules).toEqual([
      { key: "github.delete_*", server: "github", tool: "delete_*", decision: "deny" },
      { key: "*.read.me", server: "*", tool: "read.me", decision: "allow" },
    ]);
  });

  const bad: Array<{ policy: unknown; says: RegExp }> = [
    { policy: "deny", says: /expected an object/ },
    { policy: { default: "maybe" }, says: /"allow", "confirm" or "deny"/ },
    { policy: { rules: { "github.x": "yes" } }, says: /"allow", "confirm" or "deny"/ },
    { policy: { rules: { "no-dot": "deny" } }, says: /not a rule/ },
    { policy: { rules: { "a b.x": "deny" } }, says: /not a rule/ },
    { policy: { approve: "all" }, says: /policy takes only/ },
    { policy: { confirmTimeoutMs: 0 }, says: /positive/ },
  ];

  it.each(bad)("refuses $policy", ({ policy, says }) => {
    const error = voidErrorOf(() => parseRegistryText(withPolicy(policy), FILE));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toMatch(says);
  });
});
