/** `voidmcp run`: a Code Mode script from a file or stdin, against real registered servers. */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, sandbox } from "./cli-support.js";
import { CLI, fixtureEntry } from "./harness.js";

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
  await box.write("servers.json", { mcpServers: { fx: fixtureEntry() } });
});

afterAll(async () => {
  await box?.cleanup();
});

function runWithStdin(
  args: string[],
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: box.dir,
      env: { ...process.env, HOME: box.home, VOIDMCP_CONFIG: box.registry, VOIDMCP_LOG_LEVEL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("voidmcp run", () => {
  it("runs a TypeScript file: the value on stdout, logs and the report on stderr", async () => {
    const file = await box.write(
      "script.ts",
      `interface Sum { sum: number }\nconst r = (await tools.fx.add({ a: 2, b: 3 })) as Sum;\nconsole.log("got", r);\nreturn { doubled: r.sum * 2 };\n`,
    );
    const result = await box.run(["run", file]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ doubled: 10 });
    expect(result.stderr).toContain("[log] got { sum: 5 }");
    expect(result.stderr).toMatch(/report: [\d.]+ ms, 1 tool call \(fx\.add ×1/);
  });

  it("reads the script from stdin with -", async () => {
    const result = await runWithStdin(["run", "-"], `return await tools.fx.echo({ text: "piped" })`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBe("piped");
  });

  it("--json prints the value, logs and report as one object", async () => {
    const file = await box.write("json.js", `console.info("hi"); return [1, 2]`);
    const result = await box.run(["run", file, "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      value: unknown;
      logs: unknown;
      report: { totalToolCalls: number };
    };
    expect(parsed).toMatchObject({ ok: true, value: [1, 2], logs: [{ level: "info", text: "hi" }] });
    expect(parsed.report.totalToolCalls).toBe(0);
  });

  it("a failing script exits 1 with the error and its line", async () => {
    const file = await box.write("fail.ts", `const a = 1;\nthrow new Error("broken " + a);\n`);
    const result = await box.run(["run", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/Error: broken 1\n.*line 2/);
  });

  it("--time-limit stops an endless script", async () => {
    const file = await box.write("loop.js", "while (true) {}");
    const result = await box.run(["run", file, "--time-limit", "300"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not finish within its time limit of 300 ms/);
    expect(result.stderr).toMatch(/limits hit: timeout/);
  });

  it.each([
    [["run"], /run needs a script file/],
    [["run", "missing.ts"], /cannot read .*missing\.ts: no such file/],
    [["run", "a.ts", "b.ts"], /unexpected arguments: b\.ts/],
    [["run", "a.ts", "--time-limit", "soon"], /--time-limit must be a positive number/],
  ])("usage error: %j", async (args, message) => {
    const result = await box.run(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message as RegExp);
  });
});
