import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ExecutionResult, executeCode } from "./execute.js";
import { type CodeModeLimits, DEFAULT_LIMITS, limitsForCall } from "./limits.js";
import type { GuestCatalogue, SandboxHost } from "./types.js";

/**
 * Code Mode through its entry point. The host is an in-process SandboxHost (the interface the
 * gateway implements): it records what reaches it, so the tests can check the boundary from both
 * sides. Real upstreams are covered end to end elsewhere.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

type ToolImpl = (args: unknown, signal: AbortSignal, host: TestHost) => unknown;

interface HostCall {
  readonly server: string;
  readonly tool: string;
  readonly args: unknown;
  readonly signal: AbortSignal;
}

const CATALOGUE: GuestCatalogue = {
  srv: ["echo", "fail", "hang", "slow", "raw-name", "nothing"],
  "my server": ["get item"],
};

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

const DEFAULT_TOOLS: Record<string, ToolImpl> = {
  "srv.echo": (args) => ({ echoed: args }),
  "srv.fail": () => {
    throw new Error("upstream said no");
  },
  "srv.hang": (_args, signal) =>
    new Promise((_resolve, reject) => {
      signal.addEventListener("abort", () => reject(new Error("aborted by the run")));
    }),
  "srv.slow": async (args, _signal, host) => {
    const { id, ms } = args as { id: number; ms: number };
    host.events.push(`start ${id}`);
    await wait(ms);
    host.events.push(`finish ${id}`);
    return id;
  },
  "srv.raw-name": () => "raw ok",
  "srv.nothing": () => undefined,
  "my server.get item": (args) => ({ item: args }),
};

class TestHost implements SandboxHost {
  readonly calls: HostCall[] = [];
  readonly events: string[] = [];
  readonly searches: { query: string; options: unknown }[] = [];
  private readonly tools: Record<string, ToolImpl>;
  private readonly onSearch: (query: string, options: unknown) => unknown;

  constructor(
    tools: Record<string, ToolImpl> = {},
    onSearch: (query: string, options: unknown) => unknown = (query) => ({ hits: [`${query} result`] }),
  ) {
    this.tools = { ...DEFAULT_TOOLS, ...tools };
    this.onSearch = onSearch;
  }

  async callTool(server: string, tool: string, args: unknown, signal: AbortSignal): Promise<unknown> {
    this.calls.push({ server, tool, args, signal });
    const impl = this.tools[`${server}.${tool}`];
    if (!impl) throw new Error(`tool "${tool}" of server "${server}" is not available`);
    return impl(args, signal, this);
  }

  async search(query: string, options: unknown): Promise<unknown> {
    this.searches.push({ query, options });
    return this.onSearch(query, options);
  }
}

interface RunOptions {
  readonly limits?: Partial<CodeModeLimits>;
  readonly host?: SandboxHost;
  readonly catalogue?: GuestCatalogue;
  readonly signal?: AbortSignal;
}

function run(code: string, options: RunOptions = {}): Promise<ExecutionResult> {
  return executeCode({
    code,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    catalogue: options.catalogue ?? CATALOGUE,
    host: options.host ?? new TestHost(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Runs code that must succeed; returns its value. */
async function returned(code: string, options: RunOptions = {}): Promise<unknown> {
  const result = await run(code, options);
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  return result.value;
}

const MEMORY_MESSAGE_16 = "out of memory: the script used more than its 16 MB (memoryMb)";
const NEVER_SETTLES =
  "the script is waiting for a promise that can never settle (no tool call is running): " +
  "check for a missing resolve() or an un-awaited tool call";

describe("results", () => {
  const cases: { name: string; code: string; value: unknown; json: string | undefined }[] = [
    { name: "a number", code: "return 6 * 7", value: 42, json: "42" },
    { name: "a fraction", code: "return 1 / 4", value: 0.25, json: "0.25" },
    { name: "a string", code: 'return "héllo 😀"', value: "héllo 😀", json: '"héllo 😀"' },
    { name: "a boolean", code: "return 1 < 2", value: true, json: "true" },
    {
      name: "an object",
      code: 'return { a: 1, b: { c: [true, null] }, d: "x" }',
      value: { a: 1, b: { c: [true, null] }, d: "x" },
      json: '{"a":1,"b":{"c":[true,null]},"d":"x"}',
    },
    {
      name: "an array",
      code: 'return [1, "two", { three: 3 }, [4]]',
      value: [1, "two", { three: 3 }, [4]],
      json: '[1,"two",{"three":3},[4]]',
    },
    { name: "null", code: "return null", value: null, json: "null" },
    { name: "undefined", code: "return undefined", value: undefined, json: undefined },
    { name: "no return at all", code: "const x = 1;\nx + 1;", value: undefined, json: undefined },
    { name: "a function (not JSON)", code: "return () => 1", value: undefined, json: undefined },
    { name: "NaN as JSON", code: "return [NaN, Infinity]", value: [null, null], json: "[null,null]" },
    {
      name: "a Date through its toJSON",
      code: "return { at: new Date(0) }",
      value: { at: "1970-01-01T00:00:00.000Z" },
      json: '{"at":"1970-01-01T00:00:00.000Z"}',
    },
    {
      name: "undefined members dropped",
      code: "return { a: undefined, b: [undefined] }",
      value: { b: [null] },
      json: '{"b":[null]}',
    },
    {
      name: "top-level await",
      code: "const v = await new Promise((r) => r(20));\nreturn v + (await Promise.resolve(22));",
      value: 42,
      json: "42",
    },
    {
      name: "a returned promise is awaited",
      code: "return Promise.resolve({ late: true })",
      value: { late: true },
      json: '{"late":true}',
    },
    {
      name: "return from inside a loop",
      code: "for (const n of [1, 2, 3]) {\n  if (n === 2) return n * 10;\n}\nreturn -1;",
      value: 20,
      json: "20",
    },
  ];

  it.each(cases)("$name", async ({ code, value, json }) => {
    const result = await run(code);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.value).toEqual(value);
    expect(result.valueJson).toBe(json);
    expect(result.truncated).toBe(false);
    expect(result.logs).toEqual([]);
    expect(result.report.limitsHit).toEqual([]);
    expect(result.report.totalToolCalls).toBe(0);
  });
});

describe("TypeScript", () => {
  const cases: { name: string; code: string; value: unknown }[] = [
    {
      name: "annotations and optional parameters",
      code: "const n: number = 2;\nfunction twice(x: number, label?: string): number {\n  return x * 2;\n}\nreturn twice(n);",
      value: 4,
    },
    {
      name: "interfaces and type aliases",
      code: 'interface Person {\n  name: string;\n  age?: number;\n}\ntype Id = string | number;\nconst p: Person = { name: "ada" };\nconst id: Id = 7;\nreturn { p, id };',
      value: { p: { name: "ada" }, id: 7 },
    },
    {
      name: "generics",
      code: 'function first<T>(xs: readonly T[]): T | undefined {\n  return xs[0];\n}\nconst id = <T,>(x: T): T => x;\nreturn [first<string>(["a", "b"]), id<number>(3), new Map<string, number>([["k", 1]]).get("k")];',
      value: ["a", 3, 1],
    },
    {
      name: "as and satisfies",
      code: 'const xs = JSON.parse("[1, 2, 3]") as number[];\nconst config = { port: 8080 } satisfies Record<string, number>;\nreturn [xs.length, config.port, (xs as unknown as string[]).length];',
      value: [3, 8080, 3],
    },
    {
      name: "numeric and string enums",
      code: 'enum Color {\n  Red,\n  Green = 5,\n  Blue,\n}\nenum Mode {\n  Read = "r",\n  Write = "w",\n}\nreturn [Color.Red, Color.Green, Color.Blue, Color[5], Mode.Write];',
      value: [0, 5, 6, "Green", "w"],
    },
    {
      name: "non-null assertions",
      code: 'const m = new Map<string, number>([["a", 1]]);\nreturn m.get("a")! + 1;',
      value: 2,
    },
    {
      name: "optional chaining and nullish coalescing",
      code: 'const o: { a?: { b?: number } } = {};\nconst p = { a: { b: 3 } };\nreturn [o.a?.b ?? "none", p.a?.b, o.a?.b?.toFixed(2) ?? null];',
      value: ["none", 3, null],
    },
    {
      name: "classes with parameter properties and modifiers",
      code: "abstract class Shape {\n  abstract area(): number;\n}\nclass Rect extends Shape {\n  constructor(public readonly w: number, private h: number) {\n    super();\n  }\n  area(): number {\n    return this.w * this.h;\n  }\n}\nreturn new Rect(3, 4).area();",
      value: 12,
    },
    {
      name: "type-only imports are dropped",
      code: 'import type { Something } from "./tools";\nconst s: Something | number = 1;\nreturn s;',
      value: 1,
    },
    {
      name: "declare and keyof",
      code: 'declare const injected: number;\ntype K = keyof { a: 1; b: 2 };\nconst k: K = "b";\nreturn k;',
      value: "b",
    },
  ];

  it.each(cases)("$name", async ({ code, value }) => {
    expect(await returned(code)).toEqual(value);
  });

  it("keeps the user's line numbers after stripping types", async () => {
    const code = [
      "interface Item {",
      "  id: number;",
      "  name: string;",
      "}",
      'const items: Item[] = [{ id: 1, name: "a" }];',
      "const missing = items.find((i: Item) => i.id === 2)!;",
      "return missing.name;",
    ].join("\n");
    const result = await run(code);
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe("TypeError");
    expect(result.error?.message).toBe("cannot read property 'name' of undefined");
    expect(result.error?.line).toBe(7);
  });
});

describe("errors", () => {
  it("reports a thrown Error with its message and the line of the throw", async () => {
    const result = await run("const x = 1;\nconst y = 2;\nthrow new Error('bad ' + (x + y));");
    expect(result.ok).toBe(false);
    expect(result.value).toBeUndefined();
    expect(result.valueJson).toBeUndefined();
    expect(result.error?.name).toBe("Error");
    expect(result.error?.message).toBe("bad 3");
    expect(result.error?.line).toBe(3);
    expect(result.error?.stack).toMatch(/^at <anonymous> \(line 3:\d+\)/);
    expect(result.error?.stack).not.toContain("script.ts");
    expect(result.report.limitsHit).toEqual([]);
  });

  it("points at the throw inside a function, not at its call", async () => {
    const code =
      "function check(n) {\n  if (n > 1) {\n    throw new RangeError('too big: ' + n);\n  }\n}\ncheck(1);\ncheck(2);";
    const result = await run(code);
    expect(result.error?.name).toBe("RangeError");
    expect(result.error?.message).toBe("too big: 2");
    expect(result.error?.line).toBe(3);
    expect(result.error?.stack?.split("\n")[1]).toMatch(/^ {4}at <anonymous> \(line 7:\d+\)$/);
  });

  it("reports a runtime TypeError on the right line", async () => {
    const result = await run("const a = [1, 2, 3];\n\n  null.x;");
    expect(result.error?.name).toBe("TypeError");
    expect(result.error?.message).toBe("cannot read property 'x' of null");
    expect(result.error?.line).toBe(3);
  });

  it("keeps the name of a custom error class", async () => {
    const code =
      "class NotFound extends Error {\n  constructor(m) {\n    super(m);\n    this.name = 'NotFound';\n  }\n}\nthrow new NotFound('gone');";
    const result = await run(code);
    expect(result.error?.name).toBe("NotFound");
    expect(result.error?.message).toBe("gone");
    expect(result.error?.line).toBe(3);
  });

  it("reports a rejected top-level await", async () => {
    const result = await run("await Promise.reject(new Error('rejected'));");
    expect(result.error?.name).toBe("Error");
    expect(result.error?.message).toBe("rejected");
  });

  const thrown: { name: string; code: string; message: string }[] = [
    { name: "a string", code: "throw 'oops'", message: '"oops"' },
    { name: "an object", code: "throw { code: 7 }", message: "{ code: 7 }" },
    { name: "a number", code: "throw 42", message: "42" },
    { name: "null", code: "throw null", message: "null" },
  ];

  it.each(thrown)("describes a thrown non-Error: $name", async ({ code, message }) => {
    const result = await run(code);
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe("Thrown");
    expect(result.error?.message).toBe(message);
    expect(result.report.limitsHit).toEqual([]);
  });

  it("caps a long stack at ten frames", async () => {
    const result = await run("function f(n) {\n  return n === 0 ? null.x : f(n - 1);\n}\nf(40);");
    const frames = result.error?.stack?.split("\n") ?? [];
    expect(frames).toHaveLength(11);
    expect(frames.slice(0, 10).every((frame) => /^\s*at f \(line 2:\d+\)$/.test(frame))).toBe(true);
    // 41 frames of f, then the script's own and the wrapper's: 43, of which 10 are kept.
    expect(frames[10]).toBe("    ... 33 more frames");
  });
});

describe("syntax errors", () => {
  const cases: { name: string; code: string; message: string; line: number; column: number }[] = [
    {
      name: "on line 1",
      code: "x y",
      message: 'Unexpected token, expected ";" at line 1:3',
      line: 1,
      column: 3,
    },
    {
      name: "on a later line",
      code: "const a = 1;\nconst b = ;\nreturn b;",
      message: "Unexpected token at line 2:11",
      line: 2,
      column: 11,
    },
    {
      name: "an unclosed brace at the end",
      code: "const a = 1;\nif (a) {\n  return 2;",
      message:
        "Unexpected token: the code ended unexpectedly (an unclosed bracket, brace or string?) at line 3:12",
      line: 3,
      column: 12,
    },
    {
      name: "an unclosed brace before a final newline",
      code: "if (true) {\n",
      message:
        "Unexpected token: the code ended unexpectedly (an unclosed bracket, brace or string?) at line 2:1",
      line: 2,
      column: 1,
    },
    {
      name: "an unterminated string",
      code: 'const s = "abc;\nreturn s;',
      message: "Unterminated string constant at line 1:11",
      line: 1,
      column: 11,
    },
    {
      name: "an unclosed comment",
      code: "return 1; /* no end",
      message:
        "Unterminated comment: the code ended unexpectedly (an unclosed bracket, brace or string?) at line 1:20",
      line: 1,
      column: 20,
    },
  ];

  it.each(cases)("$name", async ({ code, message, line, column }) => {
    const host = new TestHost();
    const result = await run(code, { host });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ name: "SyntaxError", message, line, column });
    expect(result.logs).toEqual([]);
    expect(result.report.totalToolCalls).toBe(0);
    expect(host.calls).toEqual([]);
  });

  // Found by the engine rather than by the TypeScript stripper: the position comes from its stack.
  const engineCases: { name: string; code: string; message: string; line: number; column: number }[] = [
    {
      name: "an invalid regular expression",
      code: "const r = 1;\nconst re = /(/;",
      message: "expecting ')'",
      line: 2,
      column: 12,
    },
    {
      name: "a redeclared let",
      code: "let a = 1;\nlet a = 2;",
      message: "invalid redefinition of lexical identifier",
      line: 2,
      column: 7,
    },
  ];

  it.each(engineCases)("$name", async ({ code, message, line, column }) => {
    const result = await run(code);
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe("SyntaxError");
    expect(result.error?.message).toBe(message);
    expect(result.error?.line).toBe(line);
    expect(result.error?.column).toBe(column);
  });
});

describe("import and export", () => {
  const IMPORT =
    "`import` statements are not supported (scripts cannot import or export: use the global `tools` object)";
  const EXPORT =
    "`export` statements are not supported (scripts cannot import or export: use the global `tools` object)";
  const cases: { name: string; code: string; message: string; line: number }[] = [
    { name: "a default import, unused", code: 'import fs from "fs";\nreturn 1;', message: IMPORT, line: 1 },
    {
      name: "a named import, used",
      code: 'import { readFile } from "node:fs";\nreturn readFile;',
      message: IMPORT,
      line: 1,
    },
    { name: "a namespace import", code: 'import * as fs from "fs";\nreturn 1;', message: IMPORT, line: 1 },
    { name: "a bare import", code: 'const a = 1;\nimport "fs";', message: IMPORT, line: 2 },
    {
      name: "an import used only as a type",
      code: 'import { Thing } from "./tools";\nconst t: Thing = {};\nreturn 1;',
      message: IMPORT,
      line: 1,
    },
    { name: "export default", code: "const x = 1;\nexport default x;", message: EXPORT, line: 2 },
    { name: "export const", code: "export const a = 1;", message: EXPORT, line: 1 },
    { name: "an exported enum", code: "const x = 1;\n\nexport enum E { A }", message: EXPORT, line: 3 },
    { name: "an indented export", code: "if (true) {\n  export const a = 1;\n}", message: EXPORT, line: 2 },
  ];

  it.each(cases)("$name", async ({ code, message, line }) => {
    const host = new TestHost();
    const result = await run(code, { host });
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe("SyntaxError");
    expect(result.error?.message).toBe(message);
    expect(result.error?.line).toBe(line);
    expect(host.calls).toEqual([]);
  });

  it("does not mistake the words import and export elsewhere for statements", async () => {
    const code =
      "const o = { import: 1, export: 2 };\nconst text = `\nimport x from 'y'\nexport default 1`;\nreturn [o.import + o.export, text.split('\\n').length];";
    expect(await returned(code)).toEqual([3, 3]);
  });

  it("leaves other syntax errors alone", async () => {
    const result = await run("const a = 1;\nconst re = /(/;");
    expect(result.error?.message).toBe("expecting ')'");
  });
});

describe("the tool bridge", () => {
  it("passes the arguments as JSON to the host and returns the host's value", async () => {
    const host = new TestHost();
    const result = await run('return await tools.srv.echo({ q: "x", n: [1, 2], deep: { ok: true } });', {
      host,
    });
    expect(result.ok).toBe(true);
    expect(result.value).toEqual({ echoed: { q: "x", n: [1, 2], deep: { ok: true } } });
    expect(host.calls).toHaveLength(1);
    expect(host.calls[0]?.server).toBe("srv");
    expect(host.calls[0]?.tool).toBe("echo");
    expect(host.calls[0]?.args).toEqual({ q: "x", n: [1, 2], deep: { ok: true } });
    expect(result.report.toolCalls).toEqual([
      { tool: "srv.echo", count: 1, failures: 0, totalMs: expect.any(Number) },
    ]);
    expect(result.report.totalToolCalls).toBe(1);
    expect(result.report.upstreamBytes).toBe(
      Buffer.byteLength(JSON.stringify({ echoed: { q: "x", n: [1, 2], deep: { ok: true } } })),
    );
    expect(result.report.cancelledCalls).toEqual([]);
  });

  it("sends {} when called without arguments, and other JSON values as they are", async () => {
    const host = new TestHost();
    await returned('await tools.srv.echo();\nawait tools.srv.echo(5);\nawait tools.srv.echo(["a"]);', {
      host,
    });
    expect(host.calls.map((c) => c.args)).toEqual([{}, 5, ["a"]]);
  });

  it("gives undefined for a tool that returns nothing", async () => {
    const host = new TestHost();
    expect(await returned("return typeof (await tools.srv.nothing({}));", { host })).toBe("undefined");
    expect(host.calls).toHaveLength(1);
  });

  it("reaches raw names and server names through brackets", async () => {
    const host = new TestHost();
    const value = await returned(
      'return [await tools["srv"]["raw-name"]({}), await tools["my server"]["get item"]({ id: 9 })];',
      { host },
    );
    expect(value).toEqual(["raw ok", { item: { id: 9 } }]);
    expect(host.calls.map((c) => [c.server, c.tool])).toEqual([
      ["srv", "raw-name"],
      ["my server", "get item"],
    ]);
  });

  it("rejects an unknown tool with a TypeError listing the server's tools", async () => {
    const host = new TestHost();
    const result = await run("const x = 1;\nreturn await tools.srv.nope({});", { host });
    expect(result.error?.name).toBe("TypeError");
    expect(result.error?.message).toBe(
      'server "srv" has no tool "nope"; its tools: echo, fail, hang, slow, raw-name, nothing',
    );
    expect(result.error?.line).toBe(2);
    expect(host.calls).toEqual([]);
  });

  it("rejects an unknown server with a TypeError listing the servers", async () => {
    const host = new TestHost();
    const result = await run("return await tools.github.search({});", { host });
    expect(result.error?.name).toBe("TypeError");
    expect(result.error?.message).toBe('no server named "github"; servers: srv, my server');
    expect(host.calls).toEqual([]);
  });

  it("says so when there are no servers at all", async () => {
    const result = await run("return tools.any;", { catalogue: {} });
    expect(result.error?.message).toBe('no server named "any"; servers: none');
  });

  it("shortens a long list of tools", async () => {
    const names = Array.from({ length: 25 }, (_, i) => `t${i}`);
    const result = await run("try { tools.big.zzz } catch (e) { return e.message }", {
      catalogue: { big: names },
    });
    expect(result.value).toBe(
      `server "big" has no tool "zzz"; its tools: ${names.slice(0, 20).join(", ")}, ...`,
    );
  });

  it("lets the script catch an unknown name", async () => {
    expect(
      await returned("try { tools.srv.nope } catch (e) { return [e instanceof TypeError, e.name] }"),
    ).toEqual([true, "TypeError"]);
  });

  it("turns a host rejection into a catchable Error with the host's message", async () => {
    const host = new TestHost();
    const result = await run(
      "try {\n  await tools.srv.fail({});\n  return 'not reached';\n} catch (e) {\n  return [e instanceof Error, e.name, e.message];\n}",
      { host },
    );
    expect(result.value).toEqual([true, "Error", "upstream said no"]);
    expect(result.report.toolCalls).toEqual([
      { tool: "srv.fail", count: 1, failures: 1, totalMs: expect.any(Number) },
    ]);
  });

  it("fails the run with the host's message when the rejection is not caught", async () => {
    const result = await run("await tools.srv.fail({});");
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe("Error");
    expect(result.error?.message).toBe("upstream said no");
    expect(result.report.limitsHit).toEqual([]);
  });

  it("passes a non-Error rejection as its text", async () => {
    const host = new TestHost({ "srv.fail": () => Promise.reject("plain words") });
    expect(await returned("try { await tools.srv.fail() } catch (e) { return e.message }", { host })).toBe(
      "plain words",
    );
  });

  it("fails the call, not the run, when the host throws synchronously", async () => {
    const host: SandboxHost = {
      callTool() {
        throw new Error("thrown before any promise");
      },
      search: async () => null,
    };
    const result = await run("try { await tools.srv.echo({}) } catch (e) { return e.message }", { host });
    expect(result.value).toBe("thrown before any promise");
    expect(result.report.toolCalls).toEqual([
      { tool: "srv.echo", count: 1, failures: 1, totalMs: expect.any(Number) },
    ]);
    expect(result.report.cancelledCalls).toEqual([]);
  });

  it("fails the call when the host resolves with something that is not JSON", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const host = new TestHost({ "srv.echo": () => cyclic });
    const result = await run("try { await tools.srv.echo({}) } catch (e) { return e.message }", {
      host,
      limits: { timeoutMs: 5_000 },
    });
    expect(result.ok).toBe(true);
    expect(String(result.value)).toMatch(/^Converting circular structure to JSON/);
    expect(result.report.limitsHit).toEqual([]);
    expect(result.report.cancelledCalls).toEqual([]);
  });

  const badArgs: { name: string; code: string; message: string }[] = [
    {
      name: "cyclic",
      code: "const a = {};\na.self = a;\nawait tools.srv.echo(a);",
      message: "arguments of srv.echo cannot be turned into JSON: circular reference",
    },
    {
      name: "a BigInt",
      code: "await tools.srv.echo({ n: 1n });",
      message: "arguments of srv.echo cannot be turned into JSON: Do not know how to serialize a BigInt",
    },
    {
      name: "a function",
      code: "await tools.srv.echo(() => 1);",
      message: "arguments of srv.echo cannot be turned into JSON: a function",
    },
    {
      name: "a throwing toJSON",
      code: "await tools.srv.echo({ toJSON() { throw new Error('no json') } });",
      message: "arguments of srv.echo cannot be turned into JSON: no json",
    },
  ];

  it.each(badArgs)(
    "rejects $name arguments with a TypeError without calling the host",
    async ({ code, message }) => {
      const host = new TestHost();
      const result = await run(code, { host });
      expect(result.error?.name).toBe("TypeError");
      expect(result.error?.message).toBe(message);
      expect(host.calls).toEqual([]);
      expect(result.report.totalToolCalls).toBe(0);
    },
  );

  it("runs the calls of Promise.all concurrently", async () => {
    const host = new TestHost();
    const value = await returned(
      "const ids = [0, 1, 2, 3, 4];\nreturn await Promise.all(ids.map((id) => tools.srv.slow({ id, ms: 200 })));",
      { host },
    );
    expect(value).toEqual([0, 1, 2, 3, 4]);
    // Every call had started before the first one finished.
    expect(host.events.slice(0, 5).sort()).toEqual(["start 0", "start 1", "start 2", "start 3", "start 4"]);
    expect(host.events.slice(5).sort()).toEqual(["finish 0", "finish 1", "finish 2", "finish 3", "finish 4"]);
  });

  it("settles a Promise.allSettled that mixes successes and failures", async () => {
    const code = [
      "const settled = await Promise.allSettled([",
      "  tools.srv.echo({ n: 1 }),",
      "  tools.srv.fail({}),",
      "  tools.srv.echo({ n: 2 }),",
      "  tools.srv.fail({}),",
      "]);",
      "return settled.map((s) => (s.status === 'fulfilled' ? { ok: s.value } : { err: s.reason.message }));",
    ].join("\n");
    const result = await run(code);
    expect(result.value).toEqual([
      { ok: { echoed: { n: 1 } } },
      { err: "upstream said no" },
      { ok: { echoed: { n: 2 } } },
      { err: "upstream said no" },
    ]);
    expect(result.report.toolCalls).toEqual([
      { tool: "srv.echo", count: 2, failures: 0, totalMs: expect.any(Number) },
      { tool: "srv.fail", count: 2, failures: 2, totalMs: expect.any(Number) },
    ]);
    expect(result.report.totalToolCalls).toBe(4);
  });

  it("reaches host.search with the query and options, and returns its value", async () => {
    const host = new TestHost();
    const value = await returned('return await search("open issues", { limit: 3 });', { host });
    expect(value).toEqual({ hits: ["open issues result"] });
    expect(host.searches).toEqual([{ query: "open issues", options: { limit: 3 } }]);
    expect(host.calls).toEqual([]);
  });

  it("searches for the empty query when called without one", async () => {
    const host = new TestHost();
    await returned("await search();\nawait search(42);", { host });
    expect(host.searches).toEqual([
      { query: "", options: {} },
      { query: "42", options: {} },
    ]);
  });

  it("turns a failed search into a catchable Error", async () => {
    const host = new TestHost({}, () => {
      throw new Error("search index unavailable");
    });
    expect(await returned("try { await search('x') } catch (e) { return e.message }", { host })).toBe(
      "search index unavailable",
    );
  });

  it("does not hang when a tool proxy is awaited or serialised", async () => {
    const value = await returned(
      "const server = await tools.srv;\nconst all = await tools;\nreturn [server === tools.srv, all === tools, JSON.stringify(tools), typeof tools.srv.then, Object.keys(tools.srv)];",
    );
    expect(value).toEqual([
      true,
      true,
      '{"srv":{},"my server":{}}',
      "undefined",
      ["echo", "fail", "hang", "slow", "raw-name", "nothing"],
    ]);
  });

  it("does not let the script replace a tool", async () => {
    const host = new TestHost();
    const value = await returned(
      "tools.srv.echo = () => 'fake';\ntools.srv = {};\nreturn await tools.srv.echo({ real: true });",
      { host },
    );
    expect(value).toEqual({ echoed: { real: true } });
    expect(host.calls).toHaveLength(1);
  });
});

describe("console", () => {
  it("captures every level, in order", async () => {
    const result = await run(
      'console.log("l", 1);\nconsole.info("i");\nconsole.warn("w");\nconsole.error("e");\nconsole.debug("d");\nconsole.log("again");\nreturn 1;',
    );
    expect(result.logs).toEqual([
      { level: "log", text: "l 1" },
      { level: "info", text: "i" },
      { level: "warn", text: "w" },
      { level: "error", text: "e" },
      { level: "debug", text: "d" },
      { level: "log", text: "again" },
    ]);
  });

  it("interleaves logs with tool calls in the order they happened", async () => {
    const result = await run(
      "console.log('before');\nconst r = await tools.srv.echo({ a: 1 });\nconsole.log('got', r);",
    );
    expect(result.logs).toEqual([
      { level: "log", text: "before" },
      { level: "log", text: "got { echoed: { a: 1 } }" },
    ]);
  });

  it("keeps the logs of a run that fails", async () => {
    const result = await run("console.log('step 1');\nthrow new Error('step 2 failed');");
    expect(result.ok).toBe(false);
    expect(result.logs).toEqual([{ level: "log", text: "step 1" }]);
  });

  it("cuts the output at maxLogBytes with a marker", async () => {
    // Each line costs its text plus the level and two bytes: "line N" is 6 + 3 + 2 = 11 bytes.
    const result = await run("for (let i = 0; i < 10; i++) console.log('line ' + i);\nreturn 'done';", {
      limits: { maxLogBytes: 40 },
    });
    expect(result.ok).toBe(true);
    expect(result.value).toBe("done");
    expect(result.logs).toEqual([
      { level: "log", text: "line 0" },
      { level: "log", text: "line 1" },
      { level: "log", text: "line 2" },
      { level: "warn", text: "[console output cut at 40 bytes]" },
    ]);
    expect(result.report.limitsHit).toEqual(["maxLogBytes"]);
  });

  it("counts log bytes as UTF-8", async () => {
    // "éé" is 4 bytes: 4 + 3 + 2 = 9 per line, so two lines fit in 18 bytes and a third does not.
    const result = await run("console.log('éé'); console.log('éé'); console.log('éé');", {
      limits: { maxLogBytes: 18 },
    });
    expect(result.logs.map((l) => l.text)).toEqual(["éé", "éé", "[console output cut at 18 bytes]"]);
  });

  it("cannot be replaced by the script", async () => {
    const result = await run("console.log = () => {};\nconsole.log('still here');");
    expect(result.logs).toEqual([{ level: "log", text: "still here" }]);
  });
});

describe("limits", () => {
  const spinning: { name: string; code: string }[] = [
    { name: "while (true) {}", code: "while (true) {}" },
    { name: "an infinite microtask loop", code: "for (;;) await null;" },
    {
      name: "two async loops",
      code: "async function spin() {\n  for (;;) await Promise.resolve();\n}\nawait Promise.all([spin(), spin()]);",
    },
    {
      name: "a loop that catches everything",
      code: "for (;;) {\n  try {\n    while (true) {}\n  } catch {}\n}",
    },
    { name: "a toJSON that never ends", code: "return { toJSON() { for (;;) {} } };" },
    {
      name: "a getter that never ends, read when logging",
      code: "console.log({ get x() { for (;;) {} } });",
    },
  ];

  it.each(spinning)("a 300 ms timeout stops $name", async ({ code }) => {
    const result = await run(code, { limits: { timeoutMs: 300 } });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      name: "LimitError",
      message: "the script did not finish within its time limit of 300 ms",
    });
    expect(result.report.limitsHit).toEqual(["timeout"]);
    expect(result.report.durationMs).toBeLessThan(5_000);
  });

  it("a timeout cancels a host call that never answers, and aborts its signal", async () => {
    const host = new TestHost();
    const result = await run("console.log('calling');\nawait tools.srv.hang({});", {
      host,
      limits: { timeoutMs: 300 },
    });
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe("LimitError");
    expect(result.error?.message).toBe(
      "the script did not finish within its time limit of 300 ms; cancelled the tool calls still running: srv.hang",
    );
    expect(result.report.limitsHit).toEqual(["timeout"]);
    expect(result.report.cancelledCalls).toEqual(["srv.hang"]);
    expect(result.report.durationMs).toBeLessThan(5_000);
    expect(result.logs).toEqual([{ level: "log", text: "calling" }]);
    expect(host.calls).toHaveLength(1);
    expect(host.calls[0]?.signal.aborted).toBe(true);
  });

  it("lists only the calls still running when the timeout fires", async () => {
    const host = new TestHost();
    const result = await run(
      "await tools.srv.echo({});\nawait Promise.all([tools.srv.hang({}), tools.srv.hang({}), tools.srv.echo({})]);",
      { host, limits: { timeoutMs: 300 } },
    );
    expect(result.report.cancelledCalls).toEqual(["srv.hang", "srv.hang"]);
    expect(result.report.totalToolCalls).toBe(4);
    expect(host.calls.every((c) => c.signal.aborted)).toBe(true);
  });

  it("a call's own timeout applies, up to the ceiling", async () => {
    const perCall = await run("while (true) {}", {
      limits: limitsForCall({ ...DEFAULT_LIMITS, timeoutMs: 30_000, maxTimeoutMs: 60_000 }, 250),
    });
    expect(perCall.error?.message).toBe("the script did not finish within its time limit of 250 ms");
    expect(perCall.report.limitsHit).toEqual(["timeout"]);
    expect(perCall.report.durationMs).toBeLessThan(5_000);

    const capped = await run("while (true) {}", {
      limits: limitsForCall({ ...DEFAULT_LIMITS, timeoutMs: 200, maxTimeoutMs: 300 }, 60_000),
    });
    expect(capped.error?.message).toBe("the script did not finish within its time limit of 300 ms");
    expect(capped.report.durationMs).toBeLessThan(5_000);
  });

  it("the caller's signal cancels the run and its calls", async () => {
    const controller = new AbortController();
    const host = new TestHost({
      "srv.hang": (_args, signal) => {
        setTimeout(() => controller.abort(), 0);
        return new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(new Error("aborted")));
        });
      },
    });
    const result = await run("await tools.srv.hang({});", { host, signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      name: "LimitError",
      message: "the run was cancelled; cancelled the tool calls still running: srv.hang",
    });
    expect(result.report.limitsHit).toEqual(["cancelled"]);
    expect(result.report.cancelledCalls).toEqual(["srv.hang"]);
    expect(host.calls[0]?.signal.aborted).toBe(true);
  });

  it("an already aborted signal runs nothing", async () => {
    const host = new TestHost();
    const result = await run("await tools.srv.echo({});", { host, signal: AbortSignal.abort() });
    expect(result.error).toEqual({ name: "LimitError", message: "the run was cancelled" });
    expect(result.report.limitsHit).toEqual(["cancelled"]);
    expect(host.calls).toEqual([]);
  });

  const hungry: { name: string; code: string }[] = [
    { name: "strings", code: "const keep = [];\nfor (let n = 1; ; n *= 2) keep.push('x'.repeat(n));" },
    {
      name: "many small strings",
      code: "const parts = [];\nfor (let i = 0; ; i++) parts.push('item ' + i);",
    },
    { name: "an array of objects", code: "const a = [];\nfor (;;) a.push({ n: a.length });" },
    { name: "an array of arrays", code: "const a = [];\nfor (;;) a.push([a.length, a.length]);" },
    { name: "a Map", code: "const m = new Map();\nfor (let i = 0; ; i++) m.set(i, { i });" },
    { name: "one huge typed array", code: "const big = new Uint8Array(1e9);\nreturn big.length;" },
    { name: "many 10 MB typed arrays", code: "const keep = [];\nfor (;;) keep.push(new Uint8Array(1e7));" },
    { name: "a huge ArrayBuffer", code: "return new ArrayBuffer(2 ** 30).byteLength;" },
  ];

  it.each(hungry)(
    "memory: allocating $name fails with the memory message, and the next run works",
    async ({ code }) => {
      const result = await run(code, { limits: { memoryMb: 16 } });
      expect(result.ok).toBe(false);
      expect(result.error?.message).toBe(MEMORY_MESSAGE_16);
      expect(result.report.limitsHit).toEqual(["memory"]);

      const after = await run("return [1, 2, 3].map((x) => x * 2);", { limits: { memoryMb: 16 } });
      expect(after.error).toBeUndefined();
      expect(after.value).toEqual([2, 4, 6]);
      expect(after.report.limitsHit).toEqual([]);
    },
  );

  it("memory: a tool result too large for the sandbox stops the run with the memory message", async () => {
    const host = new TestHost({ "srv.echo": () => "x".repeat(2e7) });
    const result = await run("const r = await tools.srv.echo({});\nreturn r.length;", {
      host,
      limits: { memoryMb: 16 },
    });
    expect(result.ok).toBe(false);
    expect(result.error?.message).toBe(MEMORY_MESSAGE_16);
    expect(result.report.limitsHit).toEqual(["memory"]);
  });

  it("memory: the smallest cap allowed, 8 MB, runs scripts and stops them at 8 MB", async () => {
    const small = { memoryMb: 8, timeoutMs: 5_000 };
    expect(await returned("return [1, 2, 3].length;", { limits: small })).toBe(3);
    const result = await run("const keep = [];\nfor (;;) keep.push(new Uint8Array(1e6));", { limits: small });
    expect(result.error?.message).toBe("out of memory: the script used more than its 8 MB (memoryMb)");
    expect(result.report.limitsHit).toEqual(["memory"]);
  }, 10_000);

  it("memory: a script's own throw null is not taken for running out", async () => {
    const result = await run("const small = [1, 2, 3];\nthrow null;", { limits: { memoryMb: 16 } });
    expect(result.error).toEqual({ name: "Thrown", message: "null" });
    expect(result.report.limitsHit).toEqual([]);
  });

  it("deep recursion fails with the stack message", async () => {
    const result = await run("function f(n) {\n  return f(n + 1) + 1;\n}\nreturn f(0);");
    expect(result.ok).toBe(false);
    expect(result.error?.message).toBe(
      "stack overflow: the script recursed deeper than its 256 KB stack allows (stackKb)",
    );
    expect(result.error?.line).toBe(2);
    expect(result.report.limitsHit).toEqual(["stack"]);
  });

  it("ordinary recursion stays within the stack", async () => {
    expect(
      await returned("function depth(n) {\n  return n === 0 ? 0 : 1 + depth(n - 1);\n}\nreturn depth(1000);"),
    ).toBe(1000);
  });

  it("maxToolCalls: calls beyond the limit reject with the limit message", async () => {
    const host = new TestHost();
    const code = [
      "let rejected = 0;",
      "let first;",
      "for (let i = 0; i < 10000; i++) {",
      "  try {",
      "    await tools.srv.echo({ i });",
      "  } catch (e) {",
      "    rejected++;",
      "    first ??= e.message;",
      "  }",
      "}",
      "return { rejected, first };",
    ].join("\n");
    const result = await run(code, { host });
    expect(result.ok).toBe(true);
    expect(result.value).toEqual({
      rejected: 9_800,
      first: "tool call limit reached: a run may make at most 200 tool calls (maxToolCalls)",
    });
    expect(result.report.totalToolCalls).toBe(200);
    expect(result.report.toolCalls).toEqual([
      { tool: "srv.echo", count: 200, failures: 0, totalMs: expect.any(Number) },
    ]);
    expect(result.report.limitsHit).toEqual(["maxToolCalls"]);
    expect(host.calls).toHaveLength(200);
    expect(host.calls[199]?.args).toEqual({ i: 199 });
  });

  it("maxToolCalls: a parallel batch is cut at the limit too", async () => {
    const host = new TestHost();
    const result = await run(
      "const all = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => tools.srv.echo({ n })));\nreturn all.map((s) => s.status);",
      { host, limits: { maxToolCalls: 3 } },
    );
    expect(result.value).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"]);
    expect(result.report.totalToolCalls).toBe(3);
    expect(host.calls.map((c) => c.args)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("maxCodeBytes: code over the limit is refused before it runs", async () => {
    const host = new TestHost();
    const result = await run('return "éé";', { host, limits: { maxCodeBytes: 13 } });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      name: "LimitError",
      message: "the code is 14 bytes; the limit is 13 (maxCodeBytes)",
    });
    expect(result.report.limitsHit).toEqual(["maxCodeBytes"]);
    expect(host.calls).toEqual([]);
  });

  it("maxCodeBytes: code exactly at the limit runs", async () => {
    expect(await returned('return "éé";', { limits: { maxCodeBytes: 14 } })).toBe("éé");
  });

  it("maxOutputBytes: a 50 MB result is cut with a marker", async () => {
    const result = await run("return 'x'.repeat(5e7);", { limits: { memoryMb: 256 } });
    expect(result.ok).toBe(true);
    expect(result.truncated).toBe(true);
    expect(result.value).toBeUndefined();
    expect(result.valueJson).toBe(
      `"${"x".repeat(99_999)}… [cut: the result is 50000002 bytes as JSON; the limit is 100000 (maxOutputBytes). Return a smaller projection.]`,
    );
    expect(result.report.limitsHit).toEqual(["maxOutputBytes"]);
  });

  it("maxOutputBytes: a result of exactly the limit is whole, one byte more is cut", async () => {
    const whole = await run('return "abc";', { limits: { maxOutputBytes: 5 } });
    expect(whole.truncated).toBe(false);
    expect(whole.value).toBe("abc");
    expect(whole.report.limitsHit).toEqual([]);

    const cut = await run('return "abc";', { limits: { maxOutputBytes: 4 } });
    expect(cut.truncated).toBe(true);
    expect(cut.value).toBeUndefined();
    expect(cut.valueJson).toBe(
      '"abc… [cut: the result is 5 bytes as JSON; the limit is 4 (maxOutputBytes). Return a smaller projection.]',
    );
  });

  it("maxOutputBytes: the cut never splits a character", async () => {
    const result = await run("return 'é'.repeat(10);", { limits: { maxOutputBytes: 8 } });
    expect(result.valueJson).toBe(
      '"ééé… [cut: the result is 22 bytes as JSON; the limit is 8 (maxOutputBytes). Return a smaller projection.]',
    );
  });

  it("a promise that can never settle fails at once, not at the timeout", async () => {
    const result = await run("await new Promise(() => {});", { limits: { timeoutMs: 30_000 } });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ name: "Error", message: NEVER_SETTLES });
    expect(result.report.limitsHit).toEqual([]);
    expect(result.report.durationMs).toBeLessThan(5_000);
  });

  it("a promise whose resolve is never called fails the same way", async () => {
    const result = await run(
      "let resolve;\nconst p = new Promise((r) => { resolve = r; });\nreturn await p;",
    );
    expect(result.error?.message).toBe(NEVER_SETTLES);
  });
});

describe("hostile code", () => {
  it("finds nothing of the host among the globals", async () => {
    const value = await returned(
      "return ['process', 'require', 'module', 'exports', 'fetch', 'XMLHttpRequest', 'WebSocket', 'WebAssembly', 'setTimeout', 'setInterval', 'queueMicrotask', 'Buffer', '__dirname', 'Deno', 'Bun', 'std', 'os'].filter((name) => typeof globalThis[name] !== 'undefined');",
    );
    expect(value).toEqual([]);
  });

  it("has exactly the standard globals plus console, search, tools, resources, prompts and results", async () => {
    const value = await returned("return Object.getOwnPropertyNames(globalThis).sort();");
    expect(value).toEqual([
      "AggregateError",
      "Array",
      "ArrayBuffer",
      "BigInt",
      "BigInt64Array",
      "BigUint64Array",
      "Boolean",
      "DataView",
      "Date",
      "Error",
      "EvalError",
      "FinalizationRegistry",
      "Float16Array",
      "Float32Array",
      "Float64Array",
      "Function",
      "Infinity",
      "Int16Array",
      "Int32Array",
      "Int8Array",
      "InternalError",
      "Iterator",
      "JSON",
      "Map",
      "Math",
      "NaN",
      "Number",
      "Object",
      "Promise",
      "Proxy",
      "RangeError",
      "ReferenceError",
      "Reflect",
      "RegExp",
      "Set",
      "SharedArrayBuffer",
      "String",
      "Symbol",
      "SyntaxError",
      "TypeError",
      "URIError",
      "Uint16Array",
      "Uint32Array",
      "Uint8Array",
      "Uint8ClampedArray",
      "WeakMap",
      "WeakRef",
      "WeakSet",
      "console",
      "decodeURI",
      "decodeURIComponent",
      "encodeURI",
      "encodeURIComponent",
      "escape",
      "eval",
      "globalThis",
      "isFinite",
      "isNaN",
      "parseFloat",
      "parseInt",
      "prompts",
      "resources",
      "results",
      "search",
      "tools",
      "undefined",
      "unescape",
    ]);
  });

  it("reaches nothing through the Function constructor", async () => {
    const value = await returned(
      "const F = globalThis.constructor.constructor;\nreturn [F('return typeof process')(), F('return typeof require')(), F('return this')() === globalThis];",
    );
    expect(value).toEqual(["undefined", "undefined", true]);
  });

  it("reaches nothing through a host error's constructor", async () => {
    const value = await returned(
      "try { await tools.srv.fail({}) } catch (e) { return e.constructor.constructor('return typeof process')() }",
    );
    expect(value).toBe("undefined");
  });

  it("cannot import a module dynamically", async () => {
    const value = await returned(
      "try { await import('fs'); return 'imported' } catch (e) { return [e.name, e.message] }",
    );
    expect(value).toEqual(["ReferenceError", "could not load module 'fs'"]);
  });

  it("cannot load a module through require either", async () => {
    const result = await run("return require('fs');");
    expect(result.error?.name).toBe("ReferenceError");
    expect(result.error?.message).toBe("'require' is not defined");
  });

  it("survives prototype pollution: the result and the tool calls stay correct JSON", async () => {
    const host = new TestHost();
    const code = [
      "Object.prototype.polluted = 'yes';",
      "Array.prototype.extra = 1;",
      "JSON.stringify = () => 'evil';",
      "JSON.parse = () => 'evil';",
      "Object.keys = () => [];",
      "const r = await tools.srv.echo({ a: 1, list: [1, 2] });",
      "console.log({ shown: true });",
      "return { r, n: 5 };",
    ].join("\n");
    const result = await run(code, { host });
    expect(result.ok).toBe(true);
    expect(result.valueJson).toBe('{"r":{"echoed":{"a":1,"list":[1,2]}},"n":5}');
    expect(host.calls[0]?.args).toEqual({ a: 1, list: [1, 2] });
    expect(result.logs).toEqual([{ level: "log", text: "{ shown: true }" }]);
  });

  it("pollution does not leak into the next run", async () => {
    await returned(
      "Object.prototype.polluted = 'yes';\nJSON.stringify = () => 'evil';\nglobalThis.leak = 1;",
    );
    const value = await returned(
      "return [typeof Object.prototype.polluted, JSON.stringify({ a: 1 }), typeof leak, ({}).polluted];",
    );
    expect(value).toEqual(["undefined", '{"a":1}', "undefined", null]);
  });

  const badResults: { name: string; code: string; errorName: string; message: string }[] = [
    {
      name: "a cyclic value",
      code: "const a = { name: 'a' };\na.self = a;\nreturn a;",
      errorName: "TypeError",
      message: "the script's result cannot be turned into JSON: circular reference",
    },
    {
      name: "a BigInt",
      code: "return { n: 10n };",
      errorName: "TypeError",
      message: "the script's result cannot be turned into JSON: Do not know how to serialize a BigInt",
    },
    {
      name: "a throwing getter",
      code: "return { ok: 1, get bad() { throw new Error('getter boom') } };",
      errorName: "Error",
      message: "the script's result cannot be turned into JSON: getter boom",
    },
  ];

  it.each(badResults)("returning $name gives a clear error", async ({ code, errorName, message }) => {
    const result = await run(code);
    expect(result.ok).toBe(false);
    expect(result.value).toBeUndefined();
    expect(result.valueJson).toBeUndefined();
    expect(result.error?.name).toBe(errorName);
    expect(result.error?.message).toBe(message);
  });

  it("passes a host error message through as it is (keeping secrets out is the host's job)", async () => {
    const host = new TestHost({
      "srv.fail": () => {
        throw new Error("token=abc123 rejected at /work/secret/config.json");
      },
    });
    expect(await returned("try { await tools.srv.fail() } catch (e) { return e.message }", { host })).toBe(
      "token=abc123 rejected at /work/secret/config.json",
    );
  });

  it("never shows the guest the host's stack trace or file paths", async () => {
    let hostError: Error | undefined;
    const host = new TestHost({
      "srv.fail": () => {
        hostError = new Error("upstream said no");
        throw hostError;
      },
    });
    const caught = await returned(
      "try { await tools.srv.fail({}) } catch (e) { return { message: e.message, stack: String(e.stack), own: Object.getOwnPropertyNames(e) } }",
      { host },
    );
    // The host's own error does carry paths: the test would see them if they crossed.
    expect(hostError?.stack).toContain(REPO_ROOT);
    const { message, stack, own } = caught as { message: string; stack: string; own: string[] };
    expect(message).toBe("upstream said no");
    for (const leak of [REPO_ROOT, "/work/", "node_modules", "sandbox.ts", "execute.test.ts"]) {
      expect(stack).not.toContain(leak);
    }
    expect(own.sort()).toEqual(["message", "stack"]);

    const uncaught = await run("await tools.srv.fail({});", { host });
    const text = JSON.stringify(uncaught.error);
    expect(uncaught.error?.message).toBe("upstream said no");
    for (const leak of [REPO_ROOT, "/work/", "node_modules", "sandbox.ts"]) expect(text).not.toContain(leak);
  });
});

describe("engine isolation", () => {
  it("forgets the globals of a previous run", async () => {
    await returned("globalThis.leak = 42;\nvar hoisted = 1;\nMath.random = () => 4;\nreturn 1;");
    expect(await returned("return [typeof leak, typeof hoisted, Math.random() === 4];")).toEqual([
      "undefined",
      "undefined",
      false,
    ]);
  });

  it("keeps working for 50 runs in a row with out-of-memory and timeout runs among them", async () => {
    const limits = { memoryMb: 16, timeoutMs: 150 };
    // Filling 16 MB can take longer than 150 ms on a loaded machine: the memory runs get time
    // enough that only the memory cap can stop them.
    const memoryLimits = { memoryMb: 16, timeoutMs: 10_000 };
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 3) {
        const result = await run("const a = [];\nfor (;;) a.push({ n: a.length });", {
          limits: memoryLimits,
        });
        outcomes.push(result.report.limitsHit.join() || "no limit");
      } else if (i % 10 === 7) {
        const result = await run("while (true) {}", { limits });
        outcomes.push(result.report.limitsHit.join() || "no limit");
      } else {
        const host = new TestHost();
        const result = await run(`const r = await tools.srv.echo({ i: ${i} });\nreturn r.echoed.i * 2;`, {
          limits,
          host,
        });
        outcomes.push(result.ok && result.value === i * 2 ? "ok" : `failed: ${JSON.stringify(result.error)}`);
      }
    }
    const expected = Array.from({ length: 50 }, (_, i) =>
      i % 10 === 3 ? "memory" : i % 10 === 7 ? "timeout" : "ok",
    );
    expect(outcomes).toEqual(expected);
  });

  it("runs side by side without sharing anything", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        run(`globalThis.mine = ${n};\nawait tools.srv.slow({ id: ${n}, ms: 20 });\nreturn globalThis.mine;`),
      ),
    );
    expect(results.map((r) => r.value)).toEqual([1, 2, 3, 4]);
  });
});

describe("off the gateway's thread", () => {
  it("a busy script leaves this thread's timers and other runs as responsive as when idle", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const busy = run("for (;;) {}", { limits: { timeoutMs: 20_000 }, signal: controller.signal });
    // Ticks of a 20 ms interval while the script spins; a blocked thread shows one long gap.
    const ticks: number[] = [];
    const interval = setInterval(() => ticks.push(performance.now()), 20);
    await wait(300);
    const other = await run("return 6 * 7;");
    await wait(1_200);
    clearInterval(interval);
    controller.abort();
    const result = await busy;
    const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] ?? t));
    expect(other.value).toBe(42);
    expect(ticks.length).toBeGreaterThan(20);
    expect(Math.max(...gaps)).toBeLessThan(500);
    // Cancelled by the caller long before its own limit.
    expect(result.error).toEqual({ name: "LimitError", message: "the run was cancelled" });
    expect(result.report.limitsHit).toEqual(["cancelled"]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("the time limit holds for a script that keeps going after the interrupt", async () => {
    // Once interrupted inside sort(), the engine raises the interrupt at every comparison and
    // the sort carries on: in-process, 300 ms became many seconds. The worker is terminated.
    const code = "const a = Array.from({ length: 5000 }, (_, i) => 5000 - i);\nfor (;;) a.sort();";
    const started = performance.now();
    const result = await run(code, { limits: { timeoutMs: 300 } });
    const elapsed = performance.now() - started;
    expect(result.error).toEqual({
      name: "LimitError",
      message: "the script did not finish within its time limit of 300 ms",
    });
    expect(result.report.limitsHit).toEqual(["timeout"]);
    expect(elapsed).toBeLessThan(300 + 1_000);
    // The pool replaced the worker: the next run works.
    expect(await returned("return 1 + 1;")).toBe(2);
  });

  it("a worker terminated at its limit still reports the logs and the calls it made", async () => {
    const host = new TestHost();
    const code = [
      "console.log('before');",
      "await tools.srv.echo({ n: 1 });",
      "const pending = tools.srv.hang({});",
      "const a = Array.from({ length: 5000 }, (_, i) => 5000 - i);",
      "for (;;) a.sort();",
    ].join("\n");
    const result = await run(code, { host, limits: { timeoutMs: 300 } });
    expect(result.error?.message).toBe(
      "the script did not finish within its time limit of 300 ms; cancelled the tool calls still running: srv.hang",
    );
    expect(result.logs).toEqual([{ level: "log", text: "before" }]);
    expect(result.report.totalToolCalls).toBe(2);
    expect(result.report.cancelledCalls).toEqual(["srv.hang"]);
    expect(host.calls.every((c) => c.signal.aborted)).toBe(true);
  });

  it("bounds concurrent runs: two run, one waits, the next fails at once naming the setting", async () => {
    const host = new TestHost();
    const limits = { maxConcurrentRuns: 2, maxQueuedRuns: 1, timeoutMs: 10_000 };
    const finished: number[] = [];
    const runs = [1, 2, 3, 4].map((id) =>
      run(`return await tools.srv.slow({ id: ${id}, ms: 400 });`, { host, limits }).then((result) => {
        finished.push(id);
        return result;
      }),
    );
    const results = await Promise.all(runs);
    expect(results.slice(0, 3).map((r) => r.value)).toEqual([1, 2, 3]);
    const refused = results[3];
    expect(refused?.ok).toBe(false);
    expect(refused?.error?.name).toBe("LimitError");
    expect(refused?.error?.message).toContain("codeMode.maxQueuedRuns");
    expect(refused?.report.limitsHit).toEqual(["maxQueuedRuns"]);
    expect(host.calls).toHaveLength(3);
    // Refused before any run finished; the third started only after one of the first two ended.
    expect(finished[0]).toBe(4);
    expect(host.events.slice(0, 2).sort()).toEqual(["start 1", "start 2"]);
    const firstFinish = host.events.findIndex((event) => event.startsWith("finish"));
    expect(host.events.indexOf("start 3")).toBeGreaterThan(firstFinish);
  });

  it("a waiting run whose caller gives up leaves the queue as cancelled", async () => {
    const host = new TestHost();
    const limits = { maxConcurrentRuns: 1, maxQueuedRuns: 1, timeoutMs: 10_000 };
    const first = run("return await tools.srv.slow({ id: 1, ms: 400 });", { host, limits });
    const controller = new AbortController();
    const waiting = run("return 2;", { limits, signal: controller.signal });
    controller.abort();
    const gaveUp = await waiting;
    expect(gaveUp.error).toEqual({ name: "LimitError", message: "the run was cancelled" });
    expect(gaveUp.report.limitsHit).toEqual(["cancelled"]);
    expect((await first).value).toBe(1);
  });

  it("maxOutputBytes: a 30 MB string result is cut with the marker, not reported as out of memory", async () => {
    const result = await run("return 'x'.repeat(3e7);");
    expect(result.error).toBeUndefined();
    expect(result.truncated).toBe(true);
    expect(result.valueJson).toBe(
      `"${"x".repeat(99_999)}… [cut: the result is 30000002 bytes as JSON; the limit is 100000 (maxOutputBytes). Return a smaller projection.]`,
    );
    expect(result.report.limitsHit).toEqual(["maxOutputBytes"]);
  });
});
