/**
 * Issue #15, OAuth for upstreams, end to end with real processes: a real authorization server
 * and protected MCP server (test/fixtures/fixture-oauth-server.ts) on 127.0.0.1, the built CLI,
 * `voidmcp serve` over stdio, the credential store as a real 0600 file in a temporary state
 * directory. The "browser" is a scripted user agent: plain fetch following the printed URL's
 * redirects to voidmcp's loopback callback.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure, type Sandbox, sandbox } from "./cli-support.js";
import { CLI, connectGateway, eventually, type GatewaySession, textOf } from "./harness.js";

const FIXTURE = join(CLI, "../../../test/fixtures/fixture-oauth-server.js");
/** Access tokens expire quickly so a refresh happens within the test. */
const ACCESS_TTL_MS = 3_000;

interface Stats {
  registrations: number;
  authorizations: number;
  refreshes: number;
  refusedRefreshes: number;
  toolCalls: number;
  redirectUris: string[];
  issued: string[];
}

interface OAuthFixture {
  readonly mcpUrl: string;
  readonly issuer: string;
  readonly child: ChildProcess;
}

function startFixture(): Promise<OAuthFixture> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, "--access-ttl-ms", String(ACCESS_TTL_MS)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ ...(JSON.parse(line) as { mcpUrl: string; issuer: string }), child });
    });
    child.once("exit", (code) => reject(new Error(`the OAuth fixture exited with ${code}`)));
  });
}

async function stats(fixture: OAuthFixture): Promise<Stats> {
  return (await (await fetch(`${fixture.issuer}/admin/stats`)).json()) as Stats;
}

/**
 * `voidmcp auth srv --no-browser` as a person would run it, with the scripted user agent: it
 * waits for the URL on stderr, follows it (the fixture approves at once and redirects to the
 * loopback callback), and the command then exits.
 */
async function signIn(
  box: Sandbox,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string; url: string }> {
  const child = spawn(process.execPath, [CLI, "auth", "srv", "--no-browser", "--timeout", "30000"], {
    cwd: box.dir,
    env: { ...process.env, HOME: box.home, XDG_CONFIG_HOME: "", VOIDMCP_CONFIG: box.registry, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
      const line = stderr.split("\n").find((l) => l.startsWith("http"));
      if (line) resolve(line.trim());
    });
    child.once("exit", () => reject(new Error(`auth exited before printing a URL: ${stderr}`)));
  });
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("signed in");
  const code = await new Promise<number>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (c) => resolve(c ?? 1));
  });
  return { code, stdout, stderr, url };
}

function redirectPortOf(authorizeUrl: string): string {
  return new URL(new URL(authorizeUrl).searchParams.get("redirect_uri") ?? "").port;
}

describe("OAuth sign-in for a remote upstream", () => {
  let box: Sandbox;
  let fixture: OAuthFixture;
  let env: Record<string, string>;
  let session: GatewaySession | undefined;
  let firstUrl = "";

  beforeAll(async () => {
    box = await sandbox();
    fixture = await startFixture();
    env = { XDG_STATE_HOME: join(box.dir, "state") };
    await box.write("servers.json", { mcpServers: { srv: { url: fixture.mcpUrl } } });
  });

  afterAll(async () => {
    await session?.close();
    fixture?.child.kill("SIGTERM");
    await box?.cleanup();
  });

  const run = (args: string[]) => box.run(args, { env });

  it("before sign-in, the server is needs-auth and its calls say which command to run", async () => {
    const list = await run(["list"]);
    expect(list.code).toBe(1);
    expect(list.stdout).toMatch(/srv\s+http\s+needs-auth/);
    expect(list.stdout).toContain("voidmcp auth srv");
    expectFailure(await run(["call", "srv", "echo", "text=x"]), 1, "`voidmcp auth srv`");
    const status = await run(["auth"]);
    expect(status.stdout).toMatch(/srv\s+signed-out/);
  });

  it("voidmcp auth srv --no-browser signs in; then voidmcp call works", async () => {
    const result = await signIn(box, env);
    expect(result.code, result.stderr).toBe(0);
    firstUrl = result.url;
    expect(result.stdout).toContain('Signed in to "srv"');
    expect(result.stdout).toContain("registered: dynamic");
    const url = new URL(result.url);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("resource")).toBe(fixture.mcpUrl);
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(await run(["call", "srv", "echo", "text=signed in"])).toEqual({
      code: 0,
      stdout: "signed in\n",
      stderr: "",
    });
    const store = join(box.dir, "state", "voidmcp", "credentials.json");
    expect((await stat(store)).mode & 0o777).toBe(0o600);
    expect((await run(["auth"])).stdout).toMatch(/srv\s+(signed-in|expired)/);
  });

  it("while serving, an expired access token is refreshed without a failed call", async () => {
    session = await connectGateway(box.registry, { env: { ...env, HOME: box.home } });
    const first = await session.client.callTool({ name: "srv__echo", arguments: { text: "one" } });
    expect(first.isError).toBeFalsy();
    expect(textOf(first)).toBe("one");
    const before = await stats(fixture);
    await new Promise((r) => setTimeout(r, ACCESS_TTL_MS + 500));
    const second = await session.client.callTool({ name: "srv__echo", arguments: { text: "two" } });
    expect(second.isError, textOf(second)).toBeFalsy();
    expect(textOf(second)).toBe("two");
    const after = await stats(fixture);
    expect(after.refreshes).toBeGreaterThan(before.refreshes);
    expect(after.toolCalls).toBe(before.toolCalls + 1);
  });

  it("a revoked sign-in makes the server needs-auth, with the command, and calls fail at once", async () => {
    if (!session) throw new Error("no session");
    await fetch(`${fixture.issuer}/admin/revoke-all`, { method: "POST" });
    const failed = await session.client.callTool({ name: "srv__echo", arguments: { text: "three" } });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toContain("voidmcp auth srv");
    const servers = async () => {
      const result = await session?.client.callTool({ name: "list_servers", arguments: {} });
      const report = JSON.parse(textOf(result ?? {})) as {
        servers: Array<{ name: string; state: string; error?: string }>;
      };
      return report.servers.find((s) => s.name === "srv");
    };
    expect(await servers()).toMatchObject({
      state: "needs-auth",
      error: expect.stringContaining("`voidmcp auth srv`"),
    });
    const started = Date.now();
    const again = await session.client.callTool({ name: "srv__echo", arguments: { text: "four" } });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toContain("voidmcp auth srv");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a second sign-in reuses the registration and the port; the running gateway picks it up", async () => {
    if (!session) throw new Error("no session");
    const before = await stats(fixture);
    const result = await signIn(box, env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("reused its registration");
    expect(redirectPortOf(result.url)).toBe(redirectPortOf(firstUrl));
    const after = await stats(fixture);
    expect(after.registrations).toBe(before.registrations);
    expect(after.registrations).toBe(1);
    const ready = await eventually(async () => {
      const result = await session?.client.callTool({ name: "srv__echo", arguments: { text: "back" } });
      return result?.isError !== true && textOf(result ?? {}) === "back";
    }, 15_000);
    expect(ready).toBe(true);
  });

  it("no token is ever in the registry file, list --json, auth --json or the gateway's log", async () => {
    const { issued } = await stats(fixture);
    expect(issued.length).toBeGreaterThanOrEqual(4);
    const texts = [
      await readFile(box.registry, "utf8"),
      (await run(["list", "--json"])).stdout,
      (await run(["auth", "--json"])).stdout,
      (await run(["doctor", "--json"])).stdout,
      session?.stderr() ?? "",
    ];
    for (const text of texts) for (const token of issued) expect(text).not.toContain(token);
  });

  it("--logout forgets the credentials; the server needs sign-in again", async () => {
    const out = await run(["auth", "srv", "--logout"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Signed out of "srv"');
    expect((await run(["auth"])).stdout).toMatch(/srv\s+signed-out/);
    expectFailure(await run(["call", "srv", "echo", "text=x"]), 1, "voidmcp auth srv");
  });
});
