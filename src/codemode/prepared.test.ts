import { afterEach, describe, expect, it } from "vitest";
import { engineModule } from "./engine-module.js";
import { MAX_RUNS_PER_ENGINE } from "./engine-reuse.js";
import { type CodeModeLimits, DEFAULT_LIMITS } from "./limits.js";
import { type PreparedSandbox, SandboxSupply } from "./prepared.js";
import { type JsonHost, runInSandbox, type SandboxOutcome } from "./sandbox.js";
import { SCRIPT_FILENAME, toSandboxScript } from "./transpile.js";

/**
 * Engines reused across runs (engine-reuse.ts), in this thread with the real engine: a run after
 * a clean one gets a new runtime and context in the same WebAssembly instance and sees nothing
 * of the run before; a run after anything doubtful gets a new instance.
 */

const MiB = 1024 * 1024;

/**
 * A supply that remembers every sandbox it handed out, to tell which engine served which run.
 * Engines are compared by number: a failed comparison of the engines themselves would print
 * their whole memory.
 */
class RecordingSupply extends SandboxSupply {
  readonly taken: PreparedSandbox[] = [];
  private readonly ids = new Map<unknown, number>();

  override async take(memoryMb: number): Promise<PreparedSandbox> {
    const sandbox = await super.take(memoryMb);
    this.taken.push(sandbox);
    if (!this.ids.has(sandbox.engine)) this.ids.set(sandbox.engine, this.ids.size + 1);
    return sandbox;
  }

  /** The number of the engine of each run so far, in order. */
  get engineIds(): number[] {
    return this.taken.map((sandbox) => this.ids.get(sandbox.engine) ?? 0);
  }

  /** The number of the engine of the latest run. */
  get lastEngine(): number {
    return this.engineIds.at(-1) ?? 0;
  }
}

interface Harness {
  readonly supply: RecordingSupply;
  run(code: string, limits?: Partial<CodeModeLimits>, host?: Partial<JsonHost>): Promise<SandboxOutcome>;
}

const pending: Promise<unknown>[] = [];
afterEach(async () => {
  // Host calls a test left running settle before the next test starts.
  await Promise.all(pending.splice(0));
});

async function harness(): Promise<Harness> {
  const supply = new RecordingSupply(await engineModule());
  const baseHost: JsonHost = {
    callTool: async (_server, _tool, argsJson) => argsJson,
    search: async () => "[]",
  };
  return {
    supply,
    run: async (code, limits = {}, host = {}) => {
      const transpiled = toSandboxScript(code);
      if (!transpiled.ok) throw new Error(transpiled.problem.message);
      const all = { ...DEFAULT_LIMITS, ...limits };
      const outcome = await runInSandbox({
        script: transpiled.script,
        filename: SCRIPT_FILENAME,
        catalogueJson: JSON.stringify({ srv: ["echo", "slow"] }),
        limits: all,
        host: { ...baseHost, ...host },
        supply,
        deadline: performance.now() + all.timeoutMs,
      });
      // The previous engine is handed back (or dropped) once the caller has the outcome.
      await new Promise((done) => setImmediate(done));
      return outcome;
    },
  };
}

describe("engine reuse", () => {
  it("runs clean runs one after another in one engine, each in a new runtime", async () => {
    const { supply, run } = await harness();
    const runtimes = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const outcome = await run(`return ${i}`);
      expect(outcome.resultJson).toBe(String(i));
      runtimes.add(supply.taken.at(-1)?.runtime);
    }
    expect(new Set(supply.engineIds)).toEqual(new Set([1]));
    expect(runtimes.size).toBe(5);
    expect(supply.enginesCreated).toBe(1);
  });

  it("shows a run nothing of the run before it in the same engine: globals, prototypes, pending jobs", async () => {
    const { supply, run } = await harness();
    const first = await run(`
      globalThis.leaked = "secret";
      Object.prototype.polluted = "yes";
      Array.prototype.map = function () { return "hijacked"; };
      JSON.stringify = () => "hijacked";
      console.log = () => {};
      tools.srv.echo = async () => "hijacked";
      Promise.resolve().then(() => Promise.resolve()).then(() => { globalThis.late = "job ran"; });
      (async () => { for (;;) await null; })();
      new Promise(() => {});
      return 1;
    `);
    expect(first.error).toBeUndefined();
    const firstEngine = supply.lastEngine;
    const second = await run(`
      console.log("still logging");
      return {
        leaked: typeof globalThis.leaked,
        late: typeof globalThis.late,
        polluted: ({}).polluted ?? null,
        map: [1, 2].map((x) => x * 2),
        json: JSON.stringify({ a: 1 }),
        echo: await tools.srv.echo({ ok: true }),
      };
    `);
    expect(supply.lastEngine).toBe(firstEngine);
    expect(second.error).toBeUndefined();
    expect(JSON.parse(second.resultJson ?? "null")).toEqual({
      leaked: "undefined",
      late: "undefined",
      polluted: null,
      map: [2, 4],
      json: '{"a":1}',
      echo: { ok: true },
    });
    expect(second.logs).toEqual([{ level: "log", text: "still logging" }]);
  });

  it.each([
    ["a timeout", "for (;;) {}", { timeoutMs: 200 }, "timeout"],
    [
      "the memory cap",
      'const a = []; for (;;) a.push("x".repeat(65536) + a.length);',
      { memoryMb: 32 },
      "memory",
    ],
    ["the stack limit", "function f() { return f() + 1; } return f();", {}, "stack"],
    [
      "the tool call limit",
      "for (let i = 0; i < 3; i++) { try { await tools.srv.echo({}); } catch { } } return 1;",
      { maxToolCalls: 1 },
      "maxToolCalls",
    ],
  ] as const)("gives the run after one that hit %s a new engine", async (_name, code, limits, limit) => {
    const { supply, run } = await harness();
    await run("return 1", limits);
    const hostile = await run(code, limits);
    expect(hostile.limitsHit).toContain(limit);
    const hostileEngine = supply.lastEngine;
    const next = await run("return globalThis.leaked ?? 'fresh'", limits);
    expect(next.resultJson).toBe('"fresh"');
    expect(supply.lastEngine).not.toBe(hostileEngine);
  });

  it("still stops a script at its memory cap in an engine that served runs before", async () => {
    const { supply, run } = await harness();
    const memoryMb = 32;
    for (let i = 0; i < 3; i++) await run("return [1, 2, 3].join()", { memoryMb });
    const reused = supply.lastEngine;
    const outcome = await run('const a = []; for (;;) a.push("x".repeat(65536) + a.length);', {
      memoryMb,
      timeoutMs: 20_000,
    });
    expect(supply.lastEngine).toBe(reused);
    expect(outcome.limitsHit).toContain("memory");
    expect(outcome.error?.message).toMatch(/memoryMb/);
    // The instance's memory never passed the cap it was made with (the cap plus the engine's base).
    const bytes = supply.taken.at(-1)?.engine.getWasmMemory().buffer.byteLength ?? 0;
    expect(bytes).toBeLessThanOrEqual((memoryMb + 4) * MiB);
  });

  it("gives a run a new engine after one that ended with a tool call or a search still waiting", async () => {
    const { supply, run } = await harness();
    let release: () => void = () => {};
    const slow = new Promise<void>((done) => {
      release = done;
    });
    const host: Partial<JsonHost> = {
      callTool: async (_server, tool, argsJson) => {
        if (tool === "slow") await slow;
        return argsJson;
      },
    };
    await run("return 1", {}, host);
    const left = await run("tools.srv.slow({}); search('x'); return 'left one running'", {}, host);
    expect(left.resultJson).toBe('"left one running"');
    expect(left.cancelledCalls).toEqual(["srv.slow"]);
    const leftEngine = supply.lastEngine;
    // The call settles while the next run is under way: it must not reach the next run's engine.
    const next = run("const a = await tools.srv.echo({ n: 1 }); return a", {}, host);
    release();
    pending.push(slow);
    const outcome = await next;
    expect(outcome.resultJson).toBe('{"n":1}');
    expect(supply.lastEngine).not.toBe(leftEngine);
    // And the engine after that one is reused again: the run left nothing waiting.
    const after = await run("return 2", {}, host);
    expect(after.resultJson).toBe("2");
    expect(supply.lastEngine).toBe(supply.engineIds.at(-2));
  });

  it(`makes a new engine after ${MAX_RUNS_PER_ENGINE} runs in one`, async () => {
    const { supply, run } = await harness();
    for (let i = 0; i < MAX_RUNS_PER_ENGINE + 1; i++) await run("return 1");
    const engines = supply.engineIds;
    expect(new Set(engines.slice(0, MAX_RUNS_PER_ENGINE))).toEqual(new Set([1]));
    expect(engines[MAX_RUNS_PER_ENGINE]).not.toBe(1);
  });

  it("gives a script that failed (an exception, no limit) the next run in the same engine, clean", async () => {
    const { supply, run } = await harness();
    const failed = await run("globalThis.x = 1; throw new TypeError('boom')");
    expect(failed.error?.name).toBe("TypeError");
    const engine = supply.lastEngine;
    const next = await run("return typeof globalThis.x");
    expect(next.resultJson).toBe('"undefined"');
    expect(supply.lastEngine).toBe(engine);
  });
});
