/**
 * Code Mode through `voidmcp serve`: execute_code and search with real upstreams (the fixture,
 * over stdio twice, and server-everything), driven by the SDK client as an IDE would.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  EVERYTHING,
  eventually,
  fixtureEntry,
  type GatewaySession,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

let temp: TempDir;
let session: GatewaySession;

beforeAll(async () => {
  temp = await tempRegistry({
    codeMode: { timeoutMs: 10_000, maxToolCalls: 50, memoryMb: 32, maxConcurrentRuns: 2, maxQueuedRuns: 1 },
    mcpServers: {
      fixture: fixtureEntry(),
      victim: fixtureEntry(),
      everything: { command: process.execPath, args: [EVERYTHING] },
    },
  });
  session = await connectGateway(temp.registry);
});

afterAll(async () => {
  await session?.close();
  await temp?.cleanup();
});

async function run(code: string, timeoutMs?: number): Promise<CallToolResult & { report: string }> {
  const args = timeoutMs === undefined ? { code } : { code, timeoutMs };
  const result = (await session.client.callTool({ name: "execute_code", arguments: args })) as CallToolResult;
  const texts = result.content.flatMap((b) => (b.type === "text" ? [b.text] : []));
  return { ...result, report: texts.find((t) => t.startsWith("report:")) ?? "" };
}

/** The gateway still answers a plain call after whatever the last script did. */
async function stillServing(): Promise<void> {
  const echo = await session.client.callTool({ name: "fixture__echo", arguments: { text: "alive" } });
  expect(textOf(echo)).toBe("alive");
}

describe("execute_code", () => {
  // First: later tests crash the "victim" server, which shrinks the catalogue.
  it('"auto" lists only the meta-tools once the catalogue is large (here about 80 tools)', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["search", "execute_code", "list_servers"]);
  });

  it("is listed with the servers it can reach", async () => {
    const { tools } = await session.client.listTools();
    const tool = tools.find((t) => t.name === "execute_code");
    expect(tool?.description).toMatch(/tools\.<server>\.<tool>/);
    expect(tool?.description).toMatch(/fixture \(\d+ tools\)/);
    expect(tool?.description).toMatch(/everything \(\d+ tools\)/);
  });

  it("chains tools of two servers and returns only the composed value", async () => {
    const result = await run(`
      const sum = await tools.fixture.add({ a: 20, b: 22 });
      const echoed = await tools.everything.echo({ message: "sum is " + sum.sum });
      return { sum: sum.sum, echoed };
    `);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ sum: 42, echoed: "Echo: sum is 42" });
    expect(JSON.parse(textOf(result))).toEqual({ sum: 42, echoed: "Echo: sum is 42" });
    expect(result.report).toMatch(/2 tool calls \(fixture\.add ×1.*everything\.echo ×1/);
  });

  it("runs parallel calls concurrently: five 1 s calls take far less than 5 s", async () => {
    const result = await run(`
      const started = Date.now();
      const all = await Promise.all([1, 2, 3, 4, 5].map(() => tools.fixture.slow({ ms: 1000 })));
      return { n: all.length, ms: Date.now() - started };
    `);
    const value = result.structuredContent as { n: number; ms: number };
    expect(value.n).toBe(5);
    // Sequential calls would need 5000 ms; overlapping ones need about 1000.
    expect(value.ms).toBeLessThan(3000);
  });

  it("turns an upstream isError result into a catchable Error with the upstream's message", async () => {
    const result = await run(`
      try { await tools.fixture.fail({ message: "disk full" }); return "no throw"; }
      catch (e) { return "caught: " + e.message; }
    `);
    expect(textOf(result)).toBe(JSON.stringify("caught: disk full"));
    expect(result.report).toMatch(/fixture\.fail ×1, 1 failed/);
  });

  it("accepts TypeScript", async () => {
    const result = await run(`
      enum Op { Add = "add" }
      interface Sum { sum: number }
      const call = async <T,>(a: number, b: number): Promise<T> => (await tools.fixture[Op.Add]({ a, b })) as T;
      const r = await call<Sum>(1, 2) satisfies Sum;
      return r.sum!;
    `);
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("3");
  });

  it("reaches tools whose names are not identifiers with brackets", async () => {
    const result = await run(`return await tools.everything["get-sum"]({ a: 2, b: 3 })`);
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent ?? textOf(result))).toContain("5");
  });

  it("returns console output with the result", async () => {
    const result = await run(`console.log("shape", { a: [1, { b: 2 }] }); console.warn("careful"); return 1`);
    const texts = result.content.flatMap((b) => (b.type === "text" ? [b.text] : []));
    expect(texts).toContain("console:\n[log] shape { a: [ 1, { b: 2 } ] }\n[warn] careful");
  });

  it("a script making many calls in turn leaves no abort listeners piling up (no leak warning)", async () => {
    const result = await run(
      `let n = 0; for (let i = 0; i < 15; i++) n += Number((await tools.fixture.add({ a: i, b: 0 })).sum ?? 0); return "done"`,
    );
    expect(textOf(result)).toContain("done");
    // Give the worker's stderr time to reach the gateway's.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.stderr()).not.toMatch(/MaxListenersExceeded/);
  });

  it("offers search() inside the sandbox", async () => {
    const result = await run(
      `const r = await search("add two numbers"); return r.tools.map(t => t.declaration)`,
    );
    expect(textOf(result)).toContain("tools.fixture.add(args: {");
  });
});

describe("execute_code off the gateway's thread", () => {
  it("a busy script does not delay other requests on the same connection", async () => {
    // Idle first, to compare with.
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await session.client.callTool({ name: "list_servers", arguments: {} });
      idle.push(performance.now() - t);
    }
    const started = performance.now();
    const busy = run("for (;;) {}", 4_000);
    const during: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const listed = await session.client.callTool({ name: "list_servers", arguments: {} });
      during.push(performance.now() - t);
      expect(listed.isError).toBeFalsy();
    }
    // All ten answered while the script was still spinning.
    expect(performance.now() - started).toBeLessThan(3_000);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    expect(median(during)).toBeLessThan(median(idle) + 200);
    const result = await busy;
    expect(textOf(result)).toMatch(/time limit of 4000 ms/);
    expect(performance.now() - started).toBeLessThan(4_000 + 1_500);
  });

  it("runs at most maxConcurrentRuns at once, queues maxQueuedRuns, and refuses the next at once", async () => {
    const started = performance.now();
    const runs = [1, 2, 3, 4].map(() => run("return await tools.fixture.slow({ ms: 1000 })"));
    const refusedAt = await Promise.race(
      runs.map((r, i) => r.then(() => ({ i, ms: performance.now() - started }))),
    );
    const results = await Promise.all(runs);
    expect(refusedAt.i).toBe(3);
    expect(refusedAt.ms).toBeLessThan(900);
    expect(results[3]?.isError).toBe(true);
    expect(textOf(results[3] ?? {})).toMatch(/codeMode\.maxQueuedRuns/);
    expect(results[3]?.report).toMatch(/limits hit: maxQueuedRuns/);
    expect(results.slice(0, 3).every((r) => !r.isError)).toBe(true);
    // Two ran side by side and the third after one of them: about two seconds, not one or three.
    expect(performance.now() - started).toBeGreaterThan(1_900);
    await stillServing();
  });
});

describe("execute_code with bad input keeps the gateway serving", () => {
  const cases: Array<{ name: string; code: string; timeoutMs?: number; error: RegExp; limit?: string }> = [
    {
      name: "an endless loop",
      code: "while (true) {}",
      timeoutMs: 500,
      error: /time limit of 500 ms/,
      limit: "timeout",
    },
    {
      name: "an endless microtask loop",
      code: "for (;;) await null;",
      timeoutMs: 500,
      error: /time limit of 500 ms/,
      limit: "timeout",
    },
    { name: "a promise that never settles", code: "await new Promise(() => {})", error: /can never settle/ },
    {
      name: "allocation until out of memory",
      code: "const a = []; for (;;) a.push('x'.repeat(1e5) + a.length)",
      error: /out of memory.*32 MB/,
      limit: "memory",
    },
    {
      name: "typed arrays until out of memory",
      code: "const a = []; for (;;) a.push(new Uint8Array(1e7))",
      error: /out of memory|RangeError/,
    },
    {
      name: "deep recursion",
      code: "const f = (n) => f(n + 1) + 1; return f(0)",
      error: /stack overflow/,
      limit: "stack",
    },
    {
      name: "too many tool calls",
      code: "for (let i = 0; i < 10000; i++) await tools.fixture.echo({ text: 'x' })",
      error: /at most 50 tool calls/,
      limit: "maxToolCalls",
    },
    {
      name: "a cyclic return value",
      code: "const o = {}; o.self = o; return o",
      error: /cannot be turned into JSON/,
    },
    {
      name: "a throwing getter in the result",
      code: "return { get x() { throw new Error('nope') } }",
      error: /cannot be turned into JSON: nope/,
    },
    {
      name: "a toJSON that loops",
      code: "return { toJSON() { for (;;) {} } }",
      timeoutMs: 500,
      error: /time limit/,
      limit: "timeout",
    },
    {
      name: "a syntax error",
      code: "const a = 1;\nconst b = ;",
      error: /SyntaxError: Unexpected token at line 2:11/,
    },
    {
      name: "an unknown server",
      code: "return await tools.nope.x()",
      error: /no server named "nope"; servers: fixture, victim, everything/,
    },
    {
      name: "an unknown tool",
      code: "return await tools.fixture.nope()",
      error: /server "fixture" has no tool "nope"; its tools: echo, add/,
    },
    { name: "import()", code: "return await import('node:fs')", error: /.+/ },
    { name: "a thrown error", code: "\n\nthrow new Error('boom')", error: /Error: boom \(line 3:/ },
  ];

  it.each(cases)("$name", async ({ code, timeoutMs, error, limit }) => {
    const result = await run(code, timeoutMs);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(error);
    if (limit) expect(result.report).toContain(`limits hit: ${limit}`);
    await stillServing();
  });

  it("finds nothing of the host: process, require, fetch, Function constructor", async () => {
    const result = await run(`return [typeof process, typeof require, typeof fetch, typeof setTimeout,
      typeof globalThis.constructor.constructor("return this")().process]`);
    expect(JSON.parse(textOf(result))).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "undefined",
    ]);
  });

  it("survives prototype pollution, and the next run does not see it", async () => {
    const polluted =
      await run(`Object.prototype.evil = 1; JSON.stringify = () => "owned"; Array.prototype.map = null;
      const r = await tools.fixture.add({ a: 1, b: 1 }); return { sum: r.sum }`);
    expect(polluted.structuredContent).toMatchObject({ sum: 2 });
    const clean = await run(`return [({}).evil === undefined, JSON.stringify({ a: 1 })]`);
    expect(JSON.parse(textOf(clean))).toEqual([true, '{"a":1}']);
  });

  it("keeps a 5 MB result in the gateway under a handle; only a preview leaves", async () => {
    const result = await run(`return "x".repeat(5e6)`);
    expect(result.isError).toBeFalsy();
    expect(textOf(result).length).toBeLessThan(2_000);
    expect(JSON.parse(textOf(result).split("\n")[0] ?? "")).toMatchObject({ bytes: 5_000_002 });
    expect(textOf(result)).toMatch(/await results\.get\("r_[0-9a-f]+"\)/);
    expect(result.report).not.toMatch(/maxOutputBytes|result cut/);
  });

  it("a tool that never answers is cancelled upstream when the time limit fires", async () => {
    const result = await run(`return await tools.fixture.slow({ ms: 60000 })`, 1000);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /time limit of 1000 ms; cancelled the tool calls still running: fixture\.slow/,
    );
    expect(result.report).toMatch(/cancelled: fixture\.slow/);
    expect(await eventually(() => /\[fixture\].*cancel/i.test(session.stderr()))).toBe(true);
    await stillServing();
  });

  it("an upstream that crashes mid-run becomes an Error in the script", async () => {
    const result = await run(`
      const before = await tools.victim.echo({ text: "up" });
      try { await tools.victim.crash({}); } catch (e) { return { before, after: e.message }; }
    `);
    const value = result.structuredContent as { before: string; after: string };
    expect(value.before).toBe("up");
    expect(value.after).toMatch(/server "victim" closed the connection/);
    await stillServing();
  });
});

describe("exposure", () => {
  it('"code" lists only the meta-tools, and upstream tools stay callable by name', async () => {
    const own = await tempRegistry({ expose: "code", mcpServers: { fixture: fixtureEntry() } });
    const codeOnly = await connectGateway(own.registry);
    try {
      const { tools } = await codeOnly.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["search", "execute_code", "list_servers"]);
      const echo = await codeOnly.client.callTool({ name: "fixture__echo", arguments: { text: "direct" } });
      expect(textOf(echo)).toBe("direct");
    } finally {
      await codeOnly.close();
      await own.cleanup();
    }
  });
});

describe("search", () => {
  it("returns TypeScript declarations of the matches", async () => {
    const result = await session.client.callTool({ name: "search", arguments: { query: "add numbers" } });
    expect(textOf(result)).toContain(
      "tools.fixture.add(args: { a: number; b: number }): Promise<{ sum: number }>",
    );
    const structured = result.structuredContent as { tools: Array<{ name: string }> };
    expect(structured.tools[0]?.name).toBe("fixture__add");
  });

  it("shows names only or full declarations on request", async () => {
    const names = await session.client.callTool({
      name: "search",
      arguments: { query: "echo", detail: "names" },
    });
    expect(textOf(names)).toMatch(/^tools\.fixture\.echo$/m);
    const full = await session.client.callTool({
      name: "search",
      arguments: { query: "add numbers", detail: "full", limit: 1 },
    });
    expect(textOf(full)).toMatch(/\/\*\*[\s\S]*\*\/\ntools\.fixture\.add\(args: \{\n/);
  });

  it("lists servers with tool counts for an empty query", async () => {
    const result = await session.client.callTool({ name: "search", arguments: { query: "" } });
    expect(textOf(result)).toMatch(/tools\.fixture: \d+ tools/);
    expect(textOf(result)).toMatch(/tools\.everything: \d+ tools/);
  });
});
