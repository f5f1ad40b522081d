import { describe, expect, it } from "vitest";
import { executeCode } from "./execute.js";
import { DEFAULT_LIMITS } from "./limits.js";
import type { SandboxHost } from "./types.js";

/**
 * The guest prelude's console formatting, seen where it ends up: the logs of a run. The aim is
 * Node's util.inspect, close enough for a model to read objects rather than "[object Object]".
 */

const host: SandboxHost = {
  callTool: async () => null,
  search: async () => null,
};

async function logsOf(code: string): Promise<string[]> {
  const result = await executeCode({ code, limits: DEFAULT_LIMITS, catalogue: {}, host });
  expect(result.error).toBeUndefined();
  return result.logs.map((entry) => entry.text);
}

async function logOf(code: string): Promise<string> {
  const logs = await logsOf(code);
  expect(logs).toHaveLength(1);
  return logs[0] ?? "";
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("console formatting", () => {
  const cases: { name: string; code: string; text: string }[] = [
    {
      name: "primitives, separated by spaces",
      code: 'console.log("text", 42, true, null, undefined)',
      text: "text 42 true null undefined",
    },
    {
      name: "special numbers and BigInt",
      code: "console.log(-0, NaN, Infinity, 1.5, 5n)",
      text: "-0 NaN Infinity 1.5 5n",
    },
    { name: "symbols", code: 'console.log(Symbol("s"), Symbol())', text: "Symbol(s) Symbol()" },
    {
      name: "functions and classes",
      code: "function named() {}\nconsole.log(named, () => 1, class Foo {})",
      text: "[Function: named] [Function: (anonymous)] [Function: Foo]",
    },
    { name: "no arguments", code: "console.log()", text: "" },
    { name: "empty containers", code: "console.log([], {})", text: "[] {}" },
    {
      name: "nested objects down to a depth of three",
      code: "console.log({ a: { b: { c: { d: 1 } } } })",
      text: "{ a: { b: { c: [Object] } } }",
    },
    {
      name: "nested arrays down to a depth of three",
      code: "console.log([1, [2, [3, [4]]]])",
      text: "[ 1, [ 2, [ 3, [Array] ] ] ]",
    },
    {
      name: "strings quoted inside containers only",
      code: 'console.log("top", ["s", { k: "v" }])',
      text: 'top [ "s", { k: "v" } ]',
    },
    {
      name: "keys quoted only when they are not identifiers",
      code: 'console.log({ "a-b": 1, ok: 2, $x: 3, "1st": 4, "": 5 })',
      text: '{ "a-b": 1, ok: 2, $x: 3, "1st": 4, "": 5 }',
    },
    {
      name: "undefined and null inside containers",
      code: "console.log([undefined, null], { u: undefined })",
      text: "[ undefined, null ] { u: undefined }",
    },
    {
      name: "a Map",
      code: 'console.log(new Map([["a", 1], ["b", { c: 2 }]]))',
      text: 'Map(2) { "a" => 1, "b" => { c: 2 } }',
    },
    { name: "a Set", code: 'console.log(new Set([1, "two"]))', text: 'Set(2) { 1, "two" }' },
    { name: "an empty Map and Set", code: "console.log(new Map(), new Set())", text: "Map(0) {} Set(0) {}" },
    {
      name: "dates",
      code: "console.log(new Date(0), new Date(NaN))",
      text: "1970-01-01T00:00:00.000Z Invalid Date",
    },
    { name: "a regular expression", code: "console.log(/ab+c/gi)", text: "/ab+c/gi" },
    { name: "a promise", code: "console.log(Promise.resolve(1))", text: "Promise { <pending> }" },
    {
      name: "an Error with its message and stack, in the user's lines",
      code: 'console.log(new Error("boom"))',
      text: "Error: boom\n    at <anonymous> (line 1:22)\n    at <eval> (line 2:3)",
    },
    {
      name: "class instances with their name",
      code: "class Point {\n  constructor() {\n    this.x = 1;\n    this.y = 2;\n  }\n}\nconsole.log(new Point(), new (class Empty {})())",
      text: "Point { x: 1, y: 2 } Empty {}",
    },
    {
      name: "an object without a prototype",
      code: "const o = Object.create(null);\no.a = 1;\nconsole.log(o)",
      text: "{ a: 1 }",
    },
    {
      name: "a cyclic object",
      code: 'const root = { name: "root" };\nroot.self = root;\nconsole.log(root)',
      text: '{ name: "root", self: [Circular] }',
    },
    {
      name: "a cyclic array",
      code: "const a = [1];\na.push(a);\nconsole.log(a)",
      text: "[ 1, [Circular] ]",
    },
    {
      name: "the same object twice, which is not a cycle",
      code: "const o = { x: 1 };\nconsole.log([o, o], { a: o, b: o })",
      text: "[ { x: 1 }, { x: 1 } ] { a: { x: 1 }, b: { x: 1 } }",
    },
    {
      name: "a long array",
      code: "console.log(Array.from({ length: 60 }, (_, i) => i))",
      text: `[ ${range(50).join(", ")}, ... 10 more items ]`,
    },
    {
      name: "an object with many keys",
      code: "const o = {};\nfor (let i = 0; i < 55; i++) o['k' + i] = i;\nconsole.log(o)",
      text: `{ ${range(50)
        .map((i) => `k${i}: ${i}`)
        .join(", ")}, ... 5 more keys }`,
    },
    {
      name: "a large Map",
      code: "console.log(new Map(Array.from({ length: 52 }, (_, i) => [i, i])))",
      text: `Map(52) { ${range(50)
        .map((i) => `${i} => ${i}`)
        .join(", ")}, ... }`,
    },
    {
      name: "a long string inside an object, cut at 2000 characters",
      code: 'console.log({ s: "x".repeat(2100) })',
      text: `{ s: "${"x".repeat(2000)}..." }`,
    },
    {
      name: "a throwing getter, without breaking the rest",
      code: 'console.log({ ok: 1, get bad() { throw new Error("no") }, after: 2 })',
      text: "{ ok: 1, bad: [Getter threw], after: 2 }",
    },
    {
      name: "a value that cannot be inspected at all, among others",
      code: 'console.log("before", new Proxy({}, { ownKeys() { throw new Error("x") } }), "after")',
      text: "before [uninspectable] after",
    },
  ];

  it.each(cases)("$name", async ({ code, text }) => {
    expect(await logOf(code)).toBe(text);
  });

  it("prints a top-level string whole, however long", async () => {
    expect(await logOf('console.log("y".repeat(3000))')).toBe("y".repeat(3000));
  });

  it("names a custom error class and shows where it was made", async () => {
    const text = await logOf(
      'class NotFound extends Error {\n  constructor(m) {\n    super(m);\n    this.name = "NotFound";\n  }\n}\nconsole.log(new NotFound("gone"))',
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("NotFound: gone");
    expect(lines[1]).toMatch(/^ {4}at NotFound \(line 3:\d+\)$/);
    expect(lines[2]).toMatch(/^ {4}at <anonymous> \(line 7:\d+\)$/);
  });

  it("formats an Error nested in an object", async () => {
    const text = await logOf('console.log({ e: new TypeError("t") })');
    expect(text.startsWith("{ e: TypeError: t\n    at <anonymous> (line 1:")).toBe(true);
    expect(text.endsWith(" }")).toBe(true);
  });

  it("formats the same way at every level", async () => {
    const result = await executeCode({
      code: "const v = { a: [1] };\nconsole.log(v);\nconsole.info(v);\nconsole.warn(v);\nconsole.error(v);\nconsole.debug(v);",
      limits: DEFAULT_LIMITS,
      catalogue: {},
      host,
    });
    expect(result.logs).toEqual(
      ["log", "info", "warn", "error", "debug"].map((level) => ({ level, text: "{ a: [ 1 ] }" })),
    );
  });

  it("keeps formatting when the script has replaced JSON and Object.keys", async () => {
    const text = await logOf(
      'JSON.stringify = () => "evil";\nObject.keys = () => [];\nconsole.log({ s: "x", n: [1] })',
    );
    expect(text).toBe('{ s: "x", n: [ 1 ] }');
  });

  // The formatter is compiled on the first log of a run (prelude.ts FORMATTER): by then the
  // script may have replaced anything it would have used.
  it("formats every log when the script has replaced Object.freeze before its first one", async () => {
    const logs = await logsOf(
      'Object.freeze = () => { throw new Error("no"); };\nconsole.log({ a: 1 });\nconsole.log([2]);',
    );
    expect(logs).toEqual(["{ a: 1 }", "[ 2 ]"]);
  });

  it("describes a thrown object when the script has replaced JSON and Object.keys first", async () => {
    const result = await executeCode({
      code: 'JSON.stringify = () => "evil";\nObject.keys = () => [];\nthrow { code: 7 };',
      limits: DEFAULT_LIMITS,
      catalogue: {},
      host,
    });
    expect(result.error).toMatchObject({ name: "Thrown", message: "{ code: 7 }" });
  });
});
