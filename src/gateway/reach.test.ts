import { describe, expect, it } from "vitest";
import type { ProfileSpec } from "../registry/index.js";
import { profileAdmits, reachOf, unknownProfileMessage, WHOLE_GATEWAY } from "./reach.js";

function pattern(key: string) {
  const dot = key.indexOf(".");
  return { key, server: key.slice(0, dot), tool: key.slice(dot + 1) };
}

function profile(spec: { servers?: string[]; allow?: string[]; deny?: string[] }): ProfileSpec {
  return {
    name: "p",
    ...(spec.servers ? { servers: spec.servers } : {}),
    ...(spec.allow ? { allow: spec.allow.map(pattern) } : {}),
    ...(spec.deny ? { deny: spec.deny.map(pattern) } : {}),
  };
}

describe("profileAdmits", () => {
  const cases: Array<{
    spec: Parameters<typeof profile>[0];
    server: string;
    tool: string;
    admitted: boolean;
  }> = [
    { spec: {}, server: "github", tool: "anything", admitted: true },
    { spec: { servers: ["github"] }, server: "github", tool: "x", admitted: true },
    { spec: { servers: ["github"] }, server: "files", tool: "x", admitted: false },
    { spec: { servers: [] }, server: "github", tool: "x", admitted: false },
    { spec: { allow: ["github.*"] }, server: "github", tool: "create_issue", admitted: true },
    { spec: { allow: ["github.*"] }, server: "files", tool: "read", admitted: false },
    { spec: { allow: ["*.read_*"] }, server: "files", tool: "read_file", admitted: true },
    { spec: { allow: ["*.read_*"] }, server: "files", tool: "write_file", admitted: false },
    { spec: { deny: ["github.delete_*"] }, server: "github", tool: "delete_repo", admitted: false },
    { spec: { deny: ["github.delete_*"] }, server: "github", tool: "create_issue", admitted: true },
    // deny after allow, servers before both
    {
      spec: { allow: ["github.*"], deny: ["github.delete_*"] },
      server: "github",
      tool: "delete_repo",
      admitted: false,
    },
    { spec: { servers: ["files"], allow: ["github.*"] }, server: "github", tool: "x", admitted: false },
    // the tool side is the upstream's own name, dots included
    { spec: { allow: ["k8s.pods.list"] }, server: "k8s", tool: "pods.list", admitted: true },
    { spec: { allow: ["github.create_issue"] }, server: "github", tool: "create_issues", admitted: false },
  ];
  it.each(cases)("$spec admits $server.$tool: $admitted", ({ spec, server, tool, admitted }) => {
    expect(profileAdmits(profile(spec), server, tool)).toBe(admitted);
  });
});

describe("reachOf", () => {
  const profiles = { work: profile({ servers: ["github"], deny: ["github.delete_*"] }) };

  it("is the whole gateway without a profile", () => {
    expect(reachOf(undefined, profiles)).toBe(WHOLE_GATEWAY);
  });

  it("follows a known profile", () => {
    const reach = reachOf("work", profiles);
    expect([reach.profile, reach.missing]).toEqual(["work", undefined]);
    expect([reach.server("github"), reach.server("files")]).toEqual([true, false]);
    expect([reach.tool("github", "create"), reach.tool("github", "delete_x")]).toEqual([true, false]);
  });

  const missing: Array<{ name: string; known: Record<string, ProfileSpec>; message: string }> = [
    { name: "home", known: profiles, message: 'no profile "home" in the registry; known: work' },
    { name: "home", known: {}, message: 'no profile "home" in the registry; it defines no profiles' },
    // Not a key of every object.
    {
      name: "constructor",
      known: {},
      message: 'no profile "constructor" in the registry; it defines no profiles',
    },
  ];
  it.each(missing)("reaches nothing for the unknown profile $name", ({ name, known, message }) => {
    const reach = reachOf(name, known);
    expect(reach.missing).toBe(message);
    expect([reach.server("github"), reach.tool("github", "x")]).toEqual([false, false]);
    expect(unknownProfileMessage(name, Object.keys(known))).toBe(message);
  });
});
