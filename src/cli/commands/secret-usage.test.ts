import { describe, expect, it } from "vitest";
import type { RemoteServerSpec, ServerSpec, StdioServerSpec } from "../../registry/index.js";
import { pipedValue } from "./secret-input.js";
import { secretCheck, secretUsage } from "./secret-usage.js";

const base = { enabled: true, timeoutMs: 1000, tools: {}, lazy: false, idleTimeoutMs: 300000 };

function stdio(name: string, env: Record<string, string>): StdioServerSpec {
  return { ...base, name, prefix: name, transport: "stdio", command: "x", args: [], env, cwd: undefined };
}

function remote(name: string, headers: Record<string, string>): RemoteServerSpec {
  return { ...base, name, prefix: name, transport: "http", url: "https://h/mcp", headers };
}

const SERVERS: ServerSpec[] = [
  remote("github", { Authorization: "Bearer ${secret:GH_TOKEN}" }),
  stdio("db", { PASSWORD: "${secret:DB_PASSWORD}", TOKEN: "${secret:GH_TOKEN}" }),
  stdio("plain", { LOG: "1" }),
];

describe("secretUsage", () => {
  it.each<[string, string[], ReturnType<typeof secretUsage>]>([
    [
      "all stored, one unused",
      ["OLD", "GH_TOKEN", "DB_PASSWORD"],
      {
        stored: [
          { name: "DB_PASSWORD", usedBy: ["db"] },
          { name: "GH_TOKEN", usedBy: ["github", "db"] },
          { name: "OLD", usedBy: [] },
        ],
        missing: [],
      },
    ],
    [
      "nothing stored",
      [],
      {
        stored: [],
        missing: [
          { name: "GH_TOKEN", usedBy: ["github", "db"] },
          { name: "DB_PASSWORD", usedBy: ["db"] },
        ],
      },
    ],
  ])("%s", (_, stored, expected) => {
    expect(secretUsage(SERVERS, stored)).toEqual(expected);
  });
});

describe("secretCheck", () => {
  it.each<[string, string[], unknown]>([
    ["no secret referenced or stored", [], undefined],
    ["all stored", ["A"], { status: "ok", message: "1 used, all stored in file" }],
    [
      "one missing",
      ["A"],
      {
        status: "fail",
        message: "referenced but not stored in file: B (used by s2)",
        fix: "voidmcp secret set B",
      },
    ],
  ])("%s", (what, stored, expected) => {
    const servers =
      what === "no secret referenced or stored"
        ? [stdio("s", {})]
        : what === "all stored"
          ? [stdio("s", { X: "${secret:A}" })]
          : [stdio("s", { X: "${secret:A}" }), stdio("s2", { Y: "${secret:B}" })];
    const check = secretCheck(secretUsage(servers, stored), "file");
    if (expected === undefined) expect(check).toBeUndefined();
    else expect(check).toMatchObject({ area: "registry", subject: "secrets", ...(expected as object) });
  });
});

describe("pipedValue", () => {
  it.each([
    ["token\n", "token"],
    ["token\r\n", "token"],
    ["token", "token"],
    ["two\nlines\n", "two\nlines"],
    ["kept\n\n", "kept\n"],
    ["\n", ""],
    ["  spaced  \n", "  spaced  "],
  ])("%j → %j", (text, value) => {
    expect(pipedValue(text)).toBe(value);
  });
});
