// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write ${VAR} references as the user types them.
/**
 * The commands that start servers: list, tools and call, against the real fixture over stdio,
 * Streamable HTTP and legacy SSE, plus upstreams that cannot work (a missing command, HTTP 500,
 * a closed port, a wrong or missing token). The fixture's own tool list, read with the SDK client
 * directly, is the oracle for what the CLI shows.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  expectFailure,
  type FixtureTool,
  fixtureTools,
  jsonOf,
  type Sandbox,
  sandbox,
  tableRows,
} from "./cli-support.js";
import { eventually, FIXTURE, fixtureEntry, type HttpFixture, isAlive, startHttpFixture } from "./harness.js";

const TOKEN = "s3cret-token";
const MISSING_COMMAND = "/nonexistent/voidmcp-e2e-no-such-command";
/** A "server" that never answers: it writes its pid to the file named by its first argument and waits. */
const HANG_SCRIPT =
  'require("node:fs").writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1e9);';

let oracle: FixtureTool[];
let web: HttpFixture;
let authed: HttpFixture;
let broken: HttpFixture;
let legacy: HttpFixture;
/** A port on 127.0.0.1 that nothing listens on. */
let closedPort: number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every HTTP fixture started, so that all of them stop even when another failed to start. */
const started: HttpFixture[] = [];
async function httpFixture(...args: string[]): Promise<HttpFixture> {
  const fixture = await startHttpFixture(...args);
  started.push(fixture);
  return fixture;
}

beforeAll(async () => {
  [oracle, web, authed, broken, legacy, closedPort] = await Promise.all([
    fixtureTools(),
    httpFixture(),
    httpFixture("--auth", TOKEN),
    httpFixture("--fail-status", "500"),
    httpFixture("--sse"),
    freePort(),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((fixture) => fixture.stop()));
});

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

/** Writes a registry with these servers (in this order). */
function register(servers: Record<string, unknown>): Promise<string> {
  return box.write("servers.json", { version: 1, mcpServers: servers });
}

const closedUrl = () => `http://127.0.0.1:${closedPort}/mcp`;

/** A registry with one server of every kind `list` must tell apart. */
function registerMixed(): Promise<string> {
  return register({
    fx: fixtureEntry(),
    web: { url: web.url },
    missing: { command: MISSING_COMMAND },
    broken: { url: broken.url },
    down: { url: closedUrl() },
    off: { ...fixtureEntry(), enabled: false },
  });
}

interface ServerReport {
  name: string;
  transport: string;
  state: string;
  error?: string;
  pid?: number;
  serverInfo?: { name: string; version: string };
  toolCount: number;
  exposedTools: number;
  prefix: string;
}

interface ListReport {
  registryPath: string;
  registryExists: boolean;
  servers: ServerReport[];
  collisions: unknown[];
}

describe("list", () => {
  it("shows ready, failed and disabled servers with transport, tool count and reason; exit 1", async () => {
    await registerMixed();
    const result = await box.run(["list"]);
    const [header, ...rows] = tableRows(result.stdout);
    expect(header).toEqual(["NAME", "TRANSPORT", "STATE", "TOOLS", "PROTOCOL", "DETAIL"]);
    const byName = new Map(rows.map((row) => [row[0], row]));
    expect(rows.map((row) => row[0])).toEqual(["fx", "web", "missing", "broken", "down", "off"]);

    const count = String(oracle.length);
    expect(byName.get("fx")?.slice(1, 4)).toEqual(["stdio", "ready", count]);
    expect(byName.get("fx")?.[4]).toBe("legacy 2025-11-25");
    expect(byName.get("fx")?.[5]).toMatch(/^voidmcp-fixture 1\.0\.0, started in \d+ ms$/);
    expect(byName.get("web")?.slice(1, 4)).toEqual(["http", "ready", count]);
    expect(byName.get("missing")?.slice(1, 4)).toEqual(["stdio", "failed", "-"]);
    expect(byName.get("missing")?.[5]).toBe(`command not found: ${MISSING_COMMAND}`);
    expect(byName.get("broken")?.slice(1, 4)).toEqual(["http", "failed", "-"]);
    expect(byName.get("broken")?.[5]).toContain(broken.url);
    expect(byName.get("broken")?.[5]).toMatch(/\b500\b/);
    expect(byName.get("down")?.slice(1, 4)).toEqual(["http", "failed", "-"]);
    expect(byName.get("down")?.[5]).toContain(closedUrl());
    expect(byName.get("down")?.[5]).toMatch(/refused/i);
    expect(byName.get("off")).toEqual(["off", "stdio", "disabled", "-", "-", "disabled in the registry"]);

    // stderr only carries warnings (fx and web are the same fixture, so their resources collide).
    for (const line of result.stderr.trimEnd().split("\n").filter(Boolean))
      expect(line).toMatch(/^warning: /);
    expect(result.code).toBe(1);
  });

  it("--json reports every server in registry order with its state, tools and error", async () => {
    const path = await registerMixed();
    const result = await box.run(["list", "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as ListReport;
    expect(report.registryPath).toBe(path);
    expect(report.registryExists).toBe(true);
    expect(report.servers.map((s) => [s.name, s.transport, s.state])).toEqual([
      ["fx", "stdio", "ready"],
      ["web", "http", "ready"],
      ["missing", "stdio", "failed"],
      ["broken", "http", "failed"],
      ["down", "http", "failed"],
      ["off", "stdio", "disabled"],
    ]);
    for (const ready of report.servers.slice(0, 2)) {
      expect(ready).toMatchObject({
        toolCount: oracle.length,
        exposedTools: oracle.length,
        prefix: ready.name,
        serverInfo: { name: "voidmcp-fixture", version: "1.0.0" },
      });
      expect(ready.error).toBeUndefined();
    }
    for (const failed of report.servers.slice(2, 5)) {
      expect(failed.error).toEqual(expect.any(String));
      expect(failed.toolCount).toBe(0);
    }
    expect(report.servers[2]?.error).toBe(`command not found: ${MISSING_COMMAND}`);
    expect(Array.isArray(report.collisions)).toBe(true);
  });

  it("exits 0 when every enabled server is ready, and stops the servers it started", async () => {
    await register({ fx: fixtureEntry(), off: { command: MISSING_COMMAND, enabled: false } });
    const result = await box.run(["list", "--json"]);
    const report = jsonOf(result) as ListReport;
    expect(report.servers.map((s) => s.state)).toEqual(["ready", "disabled"]);
    const pid = report.servers[0]?.pid;
    expect(pid).toEqual(expect.any(Number));
    expect(await eventually(() => !isAlive(pid as number), 10_000)).toBe(true);
  });

  it("reports a server that never answers as still starting after --timeout, and stops it", async () => {
    const pidFile = join(box.dir, "hang.pid");
    await register({ hang: { command: process.execPath, args: ["-e", HANG_SCRIPT, pidFile] } });
    const result = await box.run(["list", "--timeout", "1500"]);
    expect(tableRows(result.stdout)).toEqual([
      ["NAME", "TRANSPORT", "STATE", "TOOLS", "PROTOCOL", "DETAIL"],
      ["hang", "stdio", "starting", "-", "-", "did not finish starting in time (try --timeout)"],
    ]);
    expect(result.code).toBe(1);
    const pid = Number(await readFile(pidFile, "utf8"));
    expect(await eventually(() => !isAlive(pid), 10_000)).toBe(true);
  });

  it("honours --config over VOIDMCP_CONFIG", async () => {
    const other = await box.write("other.json", { mcpServers: { solo: fixtureEntry() } });
    await registerMixed();
    const result = await box.run(["list", "--config", other]);
    expect(result.code).toBe(0);
    expect(tableRows(result.stdout).map((row) => row.slice(0, 4))).toEqual([
      ["NAME", "TRANSPORT", "STATE", "TOOLS"],
      ["solo", "stdio", "ready", String(oracle.length)],
    ]);
  });
});

interface ToolRow {
  name: string;
  server: string;
  upstreamName: string;
  description: string;
  inputSchema: { type: string; properties?: Record<string, { type?: string }> };
}

describe("tools", () => {
  it("lists every server's tools as server__tool with the first line of each description", async () => {
    await register({ fx: fixtureEntry(), web: { url: web.url } });
    const result = await box.run(["tools"]);
    expect(result.code).toBe(0);
    const [header, ...rows] = tableRows(result.stdout);
    expect(header).toEqual(["TOOL", "DESCRIPTION"]);
    expect(rows).toHaveLength(2 * oracle.length);
    const echo = oracle.find((t) => t.name === "echo");
    expect(rows).toContainEqual(["fx__echo", echo?.description]);
    expect(rows).toContainEqual(["web__echo", echo?.description]);
    expect(rows.filter((row) => row[0]?.startsWith("fx__"))).toHaveLength(oracle.length);
  });

  it("--json maps every upstream tool to a unique valid name that keeps the upstream name", async () => {
    await register({ fx: fixtureEntry(), web: { url: web.url } });
    const tools = jsonOf(await box.run(["tools", "--json"])) as ToolRow[];
    for (const server of ["fx", "web"]) {
      const own = tools.filter((t) => t.server === server);
      expect(own.map((t) => t.upstreamName)).toEqual(oracle.map((t) => t.name));
      expect(own.map((t) => t.description)).toEqual(oracle.map((t) => t.description));
      for (const tool of own) {
        expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(tool.name.startsWith(`${server}__`)).toBe(true);
      }
    }
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
    const echo = tools.find((t) => t.name === "fx__echo");
    expect(echo).toMatchObject({ server: "fx", upstreamName: "echo" });
    expect(echo?.inputSchema.properties?.text?.type).toBe("string");
    expect(tools.find((t) => t.upstreamName === "dotted.name" && t.server === "fx")?.name).not.toContain(".");
  });

  it("with a server name starts only that server", async () => {
    await register({ fx: fixtureEntry(), missing: { command: MISSING_COMMAND } });
    const one = await box.run(["tools", "fx", "--json"]);
    const tools = jsonOf(one) as ToolRow[];
    expect(tools.map((t) => t.upstreamName)).toEqual(oracle.map((t) => t.name));
    expect(tools.every((t) => t.server === "fx")).toBe(true);

    // Without it, the broken server is started too: a warning and exit 1, and fx's tools all the same.
    const all = await box.run(["tools"]);
    expect(all.stderr).toBe(`warning: server "missing" is failed: command not found: ${MISSING_COMMAND}\n`);
    expect(tableRows(all.stdout)).toHaveLength(1 + oracle.length);
    expect(all.code).toBe(1);
  });

  it("an unknown server is not found, listing the registered ones", async () => {
    const path = await register({ fx: fixtureEntry(), web: { url: web.url } });
    expectFailure(
      await box.run(["tools", "nope"]),
      1,
      `no server named "nope" in ${path} (registered: fx, web)`,
    );
  });
});

describe("call", () => {
  beforeEach(async () => {
    await register({ fx: fixtureEntry(), off: { ...fixtureEntry(), enabled: false } });
  });

  it("passes key=value arguments and prints the text result", async () => {
    expect(await box.run(["call", "fx", "echo", "text=hello world"])).toEqual({
      code: 0,
      stdout: "hello world\n",
      stderr: "",
    });
  });

  it.each([
    ["42", "42"],
    ["true", "true"],
    ['{"a":1}', '{"a":1}'],
    ["a=b", "a=b"],
  ])("keeps text=%s a string, as echo's schema says", async (value, printed) => {
    const result = await box.run(["call", "fx", "echo", `text=${value}`, "--json"]);
    expect(jsonOf(result)).toEqual({ content: [{ type: "text", text: printed }] });
  });

  it("reads numbers for add, from key=value or from one JSON object", async () => {
    expect(await box.run(["call", "fx", "add", "a=2", "b=3"])).toEqual({
      code: 0,
      stdout: "5\n",
      stderr: "",
    });
    expect(await box.run(["call", "fx", "add", '{"a": 2, "b": 40}'])).toEqual({
      code: 0,
      stdout: "42\n",
      stderr: "",
    });
  });

  it("--json prints the raw result, structuredContent included", async () => {
    expect(jsonOf(await box.run(["call", "--json", "fx", "add", "a=2", "b=3"]))).toEqual({
      content: [{ type: "text", text: "5" }],
      structuredContent: { sum: 5 },
    });
    const weather = jsonOf(await box.run(["call", "fx", "get_weather", "city=Paris", "--json"])) as {
      content: Array<{ text: string }>;
      structuredContent: { city: string };
    };
    expect(weather.structuredContent.city).toBe("Paris");
    expect(JSON.parse(weather.content[0]?.text ?? "")).toEqual(weather.structuredContent);
  });

  it("describes an image instead of dumping base64", async () => {
    const result = await box.run(["call", "fx", "image"]);
    expect(result.stdout).toMatch(/^\[image image\/png, \d+ bytes\]\n$/);
    expect(result.code).toBe(0);
  });

  it("calls tools by their upstream names, dots and 70 characters included", async () => {
    expect((await box.run(["call", "fx", "dotted.name", "text=dot"])).stdout).toBe("dot\n");
    const long = oracle.find((t) => t.name.length > 64)?.name as string;
    expect(long.length).toBe(70);
    expect((await box.run(["call", "fx", long, "text=long"])).stdout).toBe("long\n");
  });

  it("a tool error (isError) exits 1 with the message on stderr and nothing on stdout", async () => {
    expect(await box.run(["call", "fx", "fail", "message=boom"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "The tool reported an error: boom\n",
    });
    const json = await box.run(["call", "fx", "fail", "message=boom", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ isError: true, content: [{ type: "text", text: "boom" }] });
    expect(json.code).toBe(1);
  });

  it("arguments the tool rejects come back as the tool's error", async () => {
    const result = await box.run(["call", "fx", "add", "a=1"]);
    expect(result.stderr).toMatch(/^The tool reported an error: Input validation error: .*\bb\b/);
    expect(result.code).toBe(1);
  });

  it("a tool that throws is a one-line error naming the tool, the server and the upstream's message", async () => {
    expectFailure(
      await box.run(["call", "fx", "throw", "message=kaboom"]),
      1,
      'tool "throw" of server "fx" failed: kaboom (JSON-RPC error -32603)',
    );
  });

  it("a call longer than the server's timeoutMs is a timeout error with a hint", async () => {
    await register({ fx: { ...fixtureEntry(), timeoutMs: 1000 } });
    expectFailure(
      await box.run(["call", "fx", "slow", "ms=60000"]),
      1,
      'tool "slow" on server "fx" did not answer within 1000 ms (raise "timeoutMs" for "fx" in the registry',
    );
  });

  it("an upstream that dies mid-call is a clear error", async () => {
    const line = expectFailure(await box.run(["call", "fx", "crash"]), 1, '"crash"');
    expect(line).toContain('server "fx"');
  });

  it("an unknown server is not found, listing the registered ones", async () => {
    expectFailure(
      await box.run(["call", "nope", "echo"]),
      1,
      `no server named "nope" in ${box.registry} (registered: fx, off)`,
    );
  });

  it("an unknown tool is not found, with a hint listing the server's tools", async () => {
    expectFailure(
      await box.run(["call", "fx", "nope", "text=x"]),
      1,
      `server "fx" has no tool "nope" (its tools: ${oracle.map((t) => t.name).join(", ")})`,
    );
  });

  it("a server that does not start in time is unavailable, with a hint about --timeout", async () => {
    const pidFile = join(box.dir, "hang.pid");
    await register({ hang: { command: process.execPath, args: ["-e", HANG_SCRIPT, pidFile] } });
    expectFailure(
      await box.run(["call", "hang", "echo", "--timeout", "1500"]),
      1,
      'server "hang" is starting (it did not finish starting within 1500 ms; try a longer --timeout)',
    );
    const pid = Number(await readFile(pidFile, "utf8"));
    expect(await eventually(() => !isAlive(pid), 10_000)).toBe(true);
  });

  it("a disabled server is unavailable", async () => {
    expectFailure(await box.run(["call", "off", "echo", "text=x"]), 1, 'server "off" is disabled');
  });

  it.each([
    [["novalue"], 'invalid argument "novalue" (write arguments as key=value'],
    [["=x"], 'invalid argument "=x"'],
    [["{bad"], "arguments are not valid JSON"],
    [["[1,2]"], 'invalid argument "[1,2]"'],
    [['{"text":"a"}', "more=1"], 'invalid argument "{"text":"a"}"'],
  ])("invalid arguments %j are a usage error (exit 2)", async (inputs, message) => {
    expectFailure(await box.run(["call", "fx", "echo", ...inputs]), 2, message);
  });

  it("stops the server and its descendants when done", async () => {
    await register({ kids: fixtureEntry("--spawn-grandchild") });
    const result = await box.run(["call", "kids", "pids"]);
    expect(result.code).toBe(0);
    const { pid, grandchildPid } = JSON.parse(result.stdout) as { pid: number; grandchildPid: number };
    expect(grandchildPid).toEqual(expect.any(Number));
    expect(await eventually(() => !isAlive(pid) && !isAlive(grandchildPid), 10_000)).toBe(true);
  });
});

describe("call: what the registry entry sets up", () => {
  it("a stdio server gets the parent's environment, its env (with ${VAR} expanded) and its cwd", async () => {
    const dir = join(box.dir, "server-home");
    await mkdir(dir);
    const added = await box.run([
      "add",
      "envy",
      "--env",
      "GREETING=hi there",
      "--env",
      "FROM_PARENT=${VOIDMCP_E2E_VALUE}",
      "--cwd",
      dir,
      "--",
      process.execPath,
      FIXTURE,
    ]);
    expect(added.code).toBe(0);
    const env = { VOIDMCP_E2E_VALUE: "expanded", VOIDMCP_E2E_INHERITED: "inherited" };
    const read = async (name: string) => {
      const result = await box.run(["call", "envy", "env", `name=${name}`], { env });
      expect(result.stderr).toBe("");
      return JSON.parse(result.stdout) as { value: string | null; cwd: string };
    };
    expect(await read("GREETING")).toEqual({ value: "hi there", cwd: dir });
    expect((await read("FROM_PARENT")).value).toBe("expanded");
    expect((await read("VOIDMCP_E2E_INHERITED")).value).toBe("inherited");
  });

  it("a ${VAR} that is not set is a clear error naming it", async () => {
    await register({ envy: { ...fixtureEntry(), env: { X: "${VOIDMCP_E2E_UNSET_VAR}" } } });
    const line = expectFailure(await box.run(["call", "envy", "env", "name=X"]), 1, "VOIDMCP_E2E_UNSET_VAR");
    expect(line).toMatch(/not set/);
  });
});

describe("call over HTTP", () => {
  it("reaches a Streamable HTTP server", async () => {
    await register({ web: { url: web.url } });
    expect(await box.run(["call", "web", "add", "a=20", "b=22"])).toEqual({
      code: 0,
      stdout: "42\n",
      stderr: "",
    });
  });

  it("reaches a legacy SSE server registered with --type sse", async () => {
    expect((await box.run(["add", "old", legacy.url, "--type", "sse"])).code).toBe(0);
    expect(await box.run(["call", "old", "echo", "text=over sse"])).toEqual({
      code: 0,
      stdout: "over sse\n",
      stderr: "",
    });
  });

  it("sends the registered Authorization header, and without it fails with a clear 401", async () => {
    expect(
      (await box.run(["add", "ok", authed.url, "--header", `Authorization: Bearer ${TOKEN}`])).code,
    ).toBe(0);
    expect((await box.run(["add", "bare", authed.url])).code).toBe(0);
    expect((await box.run(["add", "wrong", authed.url, "--header", "Authorization: Bearer nope"])).code).toBe(
      0,
    );
    expect(await box.run(["call", "ok", "echo", "text=let in"])).toEqual({
      code: 0,
      stdout: "let in\n",
      stderr: "",
    });
    for (const name of ["bare", "wrong"]) {
      const line = expectFailure(await box.run(["call", name, "echo", "text=x"]), 1, `server "${name}"`);
      expect(line).toMatch(/\b401\b/);
      expect(line).toContain("Authorization");
    }
  });

  it("expands ${VAR} in headers from the environment, and names a missing variable", async () => {
    expect(
      (await box.run(["add", "tok", authed.url, "--header", "Authorization: Bearer ${VOIDMCP_E2E_TOKEN}"]))
        .code,
    ).toBe(0);
    expect(
      await box.run(["call", "tok", "echo", "text=expanded"], { env: { VOIDMCP_E2E_TOKEN: TOKEN } }),
    ).toEqual({ code: 0, stdout: "expanded\n", stderr: "" });
    const line = expectFailure(await box.run(["call", "tok", "echo", "text=x"]), 1, "${VOIDMCP_E2E_TOKEN}");
    expect(line).toMatch(/not set/);
  });

  it("an HTTP 500 or a closed port is a clear error naming the URL", async () => {
    await register({ broken: { url: broken.url }, down: { url: closedUrl() } });
    expect(expectFailure(await box.run(["call", "broken", "echo", "text=x"]), 1, broken.url)).toMatch(
      /\b500\b/,
    );
    expect(expectFailure(await box.run(["call", "down", "echo", "text=x"]), 1, closedUrl())).toMatch(
      /refused/i,
    );
  });
});
