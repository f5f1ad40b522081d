import { describe, expect, it } from "vitest";
import { deepEqual } from "../formats/index.js";
import { diffServers } from "./diff.js";
import type { RemoteServerSpec, ServerSpec, StdioServerSpec } from "./types.js";

function stdio(name: string, fields: Partial<StdioServerSpec> = {}): StdioServerSpec {
  return {
    name,
    enabled: true,
    prefix: name,
    timeoutMs: 60000,
    tools: {},
    lazy: false,
    idleTimeoutMs: 300000,
    transport: "stdio",
    command: "node",
    args: ["server.js"],
    env: { A: "1", B: "2" },
    cwd: undefined,
    ...fields,
  };
}

function remote(name: string, fields: Partial<RemoteServerSpec> = {}): RemoteServerSpec {
  return {
    name,
    enabled: true,
    prefix: name,
    timeoutMs: 60000,
    tools: {},
    lazy: false,
    idleTimeoutMs: 300000,
    transport: "http",
    url: "https://example.com/mcp",
    headers: {},
    ...fields,
  };
}

const names = (specs: readonly ServerSpec[]) => specs.map((spec) => spec.name);

describe("diffServers", () => {
  // [what, prev, next, expected names per bucket]
  const cases: Array<
    [
      string,
      ServerSpec[],
      ServerSpec[],
      { added: string[]; removed: string[]; changed: string[]; unchanged: string[] },
    ]
  > = [
    ["both empty", [], [], { added: [], removed: [], changed: [], unchanged: [] }],
    [
      "everything new",
      [],
      [stdio("a"), remote("b")],
      { added: ["a", "b"], removed: [], changed: [], unchanged: [] },
    ],
    [
      "everything gone",
      [stdio("a"), remote("b")],
      [],
      { added: [], removed: ["a", "b"], changed: [], unchanged: [] },
    ],
    [
      "the same list",
      [stdio("a"), remote("b")],
      [stdio("a"), remote("b")],
      { added: [], removed: [], changed: [], unchanged: ["a", "b"] },
    ],
    [
      "reordered only",
      [stdio("a"), remote("b")],
      [remote("b"), stdio("a")],
      { added: [], removed: [], changed: [], unchanged: ["b", "a"] },
    ],
    [
      "env written in another key order",
      [stdio("a", { env: { A: "1", B: "2" } })],
      [stdio("a", { env: { B: "2", A: "1" } })],
      { added: [], removed: [], changed: [], unchanged: ["a"] },
    ],
    [
      "args reordered",
      [stdio("a")],
      [stdio("a", { args: ["x", "server.js"] })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "an env value changed",
      [stdio("a")],
      [stdio("a", { env: { A: "1", B: "3" } })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "an env key added",
      [stdio("a")],
      [stdio("a", { env: { A: "1", B: "2", C: "3" } })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "cwd set",
      [stdio("a")],
      [stdio("a", { cwd: "/tmp" })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "disabled",
      [stdio("a")],
      [stdio("a", { enabled: false })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "prefix changed",
      [stdio("a")],
      [stdio("a", { prefix: "" })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "timeout changed",
      [remote("a")],
      [remote("a", { timeoutMs: 5 })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "tool filter added",
      [remote("a")],
      [remote("a", { tools: { deny: ["x"] } })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "http became sse",
      [remote("a")],
      [remote("a", { transport: "sse" })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "a header changed",
      [remote("a")],
      [remote("a", { headers: { A: "b" } })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "protocol pinned to modern",
      [remote("a")],
      [remote("a", { protocol: "modern" })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "protocol changed from legacy to modern",
      [stdio("a", { protocol: "legacy" })],
      [stdio("a", { protocol: "modern" })],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "stdio became remote",
      [stdio("a")],
      [remote("a")],
      { added: [], removed: [], changed: ["a"], unchanged: [] },
    ],
    [
      "a mix",
      [stdio("keep"), stdio("drop"), remote("edit"), stdio("drop2")],
      [remote("new"), remote("edit", { url: "https://other/mcp" }), stdio("keep"), stdio("new2")],
      { added: ["new", "new2"], removed: ["drop", "drop2"], changed: ["edit"], unchanged: ["keep"] },
    ],
  ];
  it.each(cases)("%s", (_, prev, next, expected) => {
    const diff = diffServers(prev, next);
    expect({
      added: names(diff.added),
      removed: names(diff.removed),
      changed: names(diff.changed),
      unchanged: names(diff.unchanged),
    }).toEqual(expected);
  });

  it("returns the next version of a changed server and the previous one of a removed server", () => {
    const before = stdio("a");
    const after = stdio("a", { args: ["other.js"] });
    const gone = remote("b");
    const diff = diffServers([before, gone], [after]);
    expect(diff.changed[0]).toBe(after);
    expect(diff.removed[0]).toBe(gone);
  });
});

describe("deepEqual", () => {
  it.each([
    [1, 1, true],
    [1, "1", false],
    [Number.NaN, Number.NaN, true],
    [null, null, true],
    [null, {}, false],
    [undefined, null, false],
    [[], {}, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[1], [1, undefined], false],
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: { b: 1 } }, { a: { b: 2 } }, false],
  ])("%j vs %j is %s", (a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
    expect(deepEqual(b, a)).toBe(equal);
  });
});
