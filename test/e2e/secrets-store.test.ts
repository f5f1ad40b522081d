/**
 * The credential store end to end, with the built CLI and real processes: `voidmcp secret` over
 * the file backend, `${secret:NAME}` in a header of an HTTP fixture that requires it and in the
 * env of a stdio fixture, the value in no output, a secret set while serving picked up without a
 * restart, and `import --move-secrets`.
 */
import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure, type Sandbox, sandbox } from "./cli-support.js";
import {
  CLI,
  type CliResult,
  connectGateway,
  eventually,
  fixtureEntry,
  type HttpFixture,
  startHttpFixture,
} from "./harness.js";

const SECRET = "tok-S3cr3tStore-8d2f1c";
const LATE = "late-S3cr3tStore-77aa";
const MOVED = "ghp_S3cr3tStore_moved_4411";

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(LATE);
  expect(text).not.toContain(MOVED);
  expect(text).not.toContain("S3cr3tStore");
}

describe("voidmcp secret and ${secret:NAME}", () => {
  let box: Sandbox;
  let http: HttpFixture;
  let env: Record<string, string>;
  let credentials: string;

  /** Runs the CLI with `input` on stdin (a pipe, as `printf … | voidmcp …`). */
  const withStdin = (args: readonly string[], input: string): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: box.dir,
        env: { ...process.env, ...env },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once("error", reject);
      child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(input);
    });

  const run = (args: readonly string[]) => box.run(args, { env });

  beforeAll(async () => {
    box = await sandbox();
    env = {
      XDG_STATE_HOME: join(box.dir, "state"),
      VOIDMCP_CREDENTIAL_STORE: "file",
      VOIDMCP_CONFIG: box.registry,
    };
    credentials = join(box.dir, "state", "voidmcp", "credentials.json");
    http = await startHttpFixture("--auth", SECRET);
    await box.write("servers.json", {
      mcpServers: {
        remote: { type: "http", url: http.url, headers: { Authorization: "Bearer ${secret:TOKEN}" } },
        local: { ...fixtureEntry(), env: { API_TOKEN: "${secret:TOKEN}" } },
        late: { type: "http", url: http.url, headers: { Authorization: "Bearer ${secret:LATE_TOKEN}" } },
      },
    });
  });

  afterAll(async () => {
    await http?.stop();
    await box?.cleanup();
  });

  it("secret set reads the value from stdin and stores it in a 0600 file", async () => {
    const result = await withStdin(["secret", "set", "TOKEN"], `${SECRET}\n`);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Stored secret TOKEN in file (");
    expect(result.stderr).toContain("${secret:TOKEN}");
    expect(result.code).toBe(0);
    expectNoSecret(result.stderr);
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);
    expect((await stat(join(box.dir, "state", "voidmcp"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(credentials, "utf8")).credentials["secret:TOKEN"]).toBe(SECRET);
    // The registry file never holds it.
    expectNoSecret(await readFile(box.registry, "utf8"));
  });

  it("secret set refuses an empty value and a bad name, and takes no value on argv", async () => {
    expectFailure(
      await withStdin(["secret", "set", "EMPTY"], "\n"),
      2,
      "refusing to store an empty value for EMPTY",
    );
    expectFailure(await withStdin(["secret", "set", "1BAD"], "x"), 2, '"1BAD" is not a valid secret name');
    expectFailure(await withStdin(["secret", "set", "A", "value"], "x"), 2, "unexpected arguments: value");
    expectFailure(await run(["secret", "frobnicate"]), 2, 'unknown secret command "frobnicate"');
  });

  it("several processes setting secrets at once keep every write", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => withStdin(["secret", "set", `PARALLEL_${i}`], `value-${i}`)),
    );
    for (const result of results) expect(result.code).toBe(0);
    const stored = JSON.parse(await readFile(credentials, "utf8")).credentials as Record<string, string>;
    for (const i of [1, 2, 3, 4]) expect(stored[`secret:PARALLEL_${i}`]).toBe(`value-${i}`);
    expect(stored["secret:TOKEN"]).toBe(SECRET);
    for (const i of [1, 2, 3, 4]) expect((await run(["secret", "remove", `PARALLEL_${i}`])).code).toBe(0);
  });

  it("call reaches the HTTP fixture with the secret header and the stdio fixture with the secret env", async () => {
    const remote = await run(["call", "remote", "echo", "text=through the header"]);
    expect(remote.stderr).toBe("");
    expect(remote.code).toBe(0);
    expect(remote.stdout).toContain("through the header");
    expectNoSecret(remote.stdout);
    // The fixture's env tool reports the variable back: proof that the child got the value.
    const local = await run(["call", "local", "env", "name=API_TOKEN"]);
    expect(local.code).toBe(0);
    expect(local.stdout).toContain(SECRET);
  });

  it("a secret that is not stored fails that server with the command to run, and others keep working", async () => {
    const line = expectFailure(await run(["call", "late", "echo", "text=x"]), 1, 'server "late"');
    expect(line).toContain("secret not stored: ${secret:LATE_TOKEN} in headers.Authorization");
    expect(line).toContain("voidmcp secret set LATE_TOKEN");
  });

  it("list, list --json, doctor and secret list never show a value", async () => {
    const list = await run(["list"]);
    expectNoSecret(list.stdout + list.stderr);
    expect(list.stdout).toContain("voidmcp secret set LATE_TOKEN");
    const json = await run(["list", "--json"]);
    expectNoSecret(json.stdout + json.stderr);
    const servers = (JSON.parse(json.stdout) as { servers: Array<{ name: string; state: string }> }).servers;
    expect(servers.find((s) => s.name === "remote")?.state).toBe("ready");
    expect(servers.find((s) => s.name === "local")?.state).toBe("ready");
    expect(servers.find((s) => s.name === "late")?.state).toBe("failed");

    const doctor = await run(["doctor"]);
    expectNoSecret(doctor.stdout + doctor.stderr);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /FAIL\s+secrets\s+referenced but not stored in file \(.*\): LATE_TOKEN \(used by late\)/,
    );
    expect(doctor.stdout).toContain("secrets: voidmcp secret set LATE_TOKEN");

    const secrets = await run(["secret", "list"]);
    expect(secrets.code).toBe(0);
    expectNoSecret(secrets.stdout + secrets.stderr);
    expect(secrets.stdout).toMatch(/TOKEN\s+used by remote, local/);
    expect(secrets.stdout).toMatch(/LATE_TOKEN\s+used by late\s+voidmcp secret set LATE_TOKEN/);
    const secretsJson = await run(["secret", "list", "--json"]);
    expectNoSecret(secretsJson.stdout);
    expect(JSON.parse(secretsJson.stdout)).toEqual({
      backend: "file",
      location: credentials,
      secrets: [{ name: "TOKEN", usedBy: ["remote", "local"] }],
      missing: [{ name: "LATE_TOKEN", usedBy: ["late"] }],
    });
  });

  it("serve: list_servers and the log never show a value; a secret set meanwhile starts its server", async () => {
    const session = await connectGateway(box.registry, { env: { ...env, VOIDMCP_LOG_LEVEL: "debug" } });
    try {
      const status = async () =>
        JSON.stringify(await session.client.callTool({ name: "list_servers", arguments: {} }));
      expect(
        await eventually(async () => (await status()).includes("voidmcp secret set LATE_TOKEN"), 20_000),
      ).toBe(true);
      expectNoSecret(await status());
      const echo = await session.client.callTool({ name: "remote__echo", arguments: { text: "via serve" } });
      expect(JSON.stringify(echo)).toContain("via serve");

      // The late server needs the same token the fixture requires: set it from another process.
      expect((await withStdin(["secret", "set", "LATE_TOKEN"], SECRET)).code).toBe(0);
      const started = await eventually(async () => {
        try {
          const answer = await session.client.callTool({ name: "late__echo", arguments: { text: "late" } });
          return !answer.isError && JSON.stringify(answer).includes("late");
        } catch {
          return false;
        }
      }, 20_000);
      expect(started).toBe(true);
      expectNoSecret(await status());
      expectNoSecret(session.stderr());
      expect(session.stderr()).toContain('a secret of "late" changed: restarting it');
    } finally {
      await session.close();
    }
  });

  it("secret remove forgets a name, and an unknown name is a clear error", async () => {
    expect((await run(["secret", "remove", "LATE_TOKEN"])).code).toBe(0);
    expectFailure(await run(["secret", "remove", "LATE_TOKEN"]), 1, "no secret named LATE_TOKEN in file (");
  });

  it("a corrupt credential file is a clear error and is never overwritten", async () => {
    const good = await readFile(credentials, "utf8");
    const corrupt = `${good.slice(0, 20)}`;
    await writeFile(credentials, corrupt);
    try {
      const line = expectFailure(
        await withStdin(["secret", "set", "OTHER"], "v"),
        1,
        "is not a voidmcp credential file",
      );
      expectNoSecret(line);
      expect(await readFile(credentials, "utf8")).toBe(corrupt);
      const call = await run(["call", "remote", "echo", "text=x"]);
      expect(call.code).toBe(1);
      expect(call.stderr).toContain("is not a voidmcp credential file");
      expectNoSecret(call.stderr);
    } finally {
      await writeFile(credentials, good);
    }
  });

  it("import --move-secrets moves a literal Authorization header into the store", async () => {
    const source = await box.write("client.json", {
      mcpServers: {
        gh: { type: "http", url: "https://example.com/mcp", headers: { Authorization: `Bearer ${MOVED}` } },
      },
    });
    const registry = join(box.dir, "imported.json");
    const plain = await run(["import", source, "--config", registry, "--dry-run"]);
    expect(plain.stderr).toContain(
      "warning: literal secrets were copied into the registry file: gh headers.Authorization",
    );
    expect(plain.stderr).toContain("--move-secrets");
    expectNoSecret(plain.stdout + plain.stderr);

    const moved = await run(["import", source, "--config", registry, "--move-secrets"]);
    expect(moved.code).toBe(0);
    expectNoSecret(moved.stdout + moved.stderr);
    expect(moved.stderr).toContain("Moved 1 secret(s) into file (");
    expect(moved.stderr).toContain("gh headers.Authorization → ${secret:GH_AUTHORIZATION}");
    const text = await readFile(registry, "utf8");
    expectNoSecret(text);
    expect(JSON.parse(text).mcpServers.gh.headers).toEqual({
      Authorization: "Bearer ${secret:GH_AUTHORIZATION}",
    });
    const stored = JSON.parse(await readFile(credentials, "utf8")).credentials as Record<string, string>;
    expect(stored["secret:GH_AUTHORIZATION"]).toBe(MOVED);

    // The same import again changes nothing: the stored secret is reused.
    const again = await run(["import", source, "--config", registry, "--move-secrets", "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: [], identical: ["gh"], secretsMoved: [] });
    expectNoSecret(again.stdout);
  });
});
