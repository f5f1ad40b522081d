/**
 * What the end-to-end tests share: paths of the built CLI and fixture, temporary registries,
 * running the CLI as a user would, and connecting to `voidmcp serve` as an IDE would.
 * Everything here is real: real processes, real files, real HTTP on 127.0.0.1.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type AddressInfo, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(root, "dist/src/cli/main.js");
export const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");
export const EVERYTHING = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);
export const INSPECTOR_CLI = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/inspector-cli/build/cli.js",
);

if (!existsSync(CLI) || !existsSync(FIXTURE)) {
  throw new Error("the end-to-end tests need the build: run `npm run build` first (npm test does)");
}

/** A stdio registry entry that runs the fixture with `node`. */
export function fixtureEntry(...args: string[]): Record<string, unknown> {
  return { command: process.execPath, args: [FIXTURE, ...args] };
}

export interface TempDir {
  readonly dir: string;
  readonly registry: string;
  cleanup(): Promise<void>;
}

/** A fresh directory with `servers.json` holding `document` (or no file when undefined). */
export async function tempRegistry(document?: unknown): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-e2e-"));
  const registry = join(dir, "servers.json");
  if (document !== undefined) {
    await writeFile(
      registry,
      typeof document === "string" ? document : `${JSON.stringify(document, null, 2)}\n`,
    );
  }
  return { dir, registry, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `voidmcp ...args` to completion. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { ...process.env, ...options.env },
        cwd: options.cwd,
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface GatewaySession {
  readonly client: Client;
  readonly transport: StdioClientTransport;
  /** Everything the gateway wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly env?: Record<string, string>;
  readonly capabilities?: ConstructorParameters<typeof Client>[1];
}

/** Spawns `voidmcp serve --config registry` and connects an SDK client to it, as an IDE would. */
export async function connectGateway(
  registry: string,
  options: ConnectOptions = {},
): Promise<GatewaySession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "serve", "--config", registry],
    env: { ...(process.env as Record<string, string>), VOIDMCP_LOG_LEVEL: "info", ...options.env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "voidmcp-e2e", version: "1.0.0" }, options.capabilities);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

export interface HttpFixture {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the fixture as a Streamable HTTP (or legacy SSE) server on a free port of 127.0.0.1. */
export function startHttpFixture(...args: string[]): Promise<HttpFixture> {
  return startHttpScript(FIXTURE, ["--http", "--port", "0", ...args]);
}

/**
 * Runs a fixture script that serves HTTP and prints `{"url": …}` on stdout once it listens;
 * resolves with that URL. Rejects, with the script's stderr, if it exits before listening.
 */
export function startHttpScript(script: string, args: readonly string[]): Promise<HttpFixture> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`${script} exited with ${code} before listening:\n${stderr}`)),
    );
  });
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
/** A port that was free a moment ago, for a server the test starts itself on a fixed port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on, for "connection refused". */
export async function closedPort(): Promise<number> {
  // Below the range the system hands out for port 0, so no server of a test running meanwhile
  // can take it between this check and its use (a freed ephemeral port could be). Not one of
  // the ports fetch refuses to reach (1, 9, …), which would fail for another reason.
  for (const port of [1023, 1022, 999, 998]) {
    if (await refused(port)) return port;
  }
  throw new Error("no closed port below 1024 on 127.0.0.1");
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/** Whether a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return true;
  }
}

/** Polls `check` until it is true or `timeoutMs` passes; returns its last answer. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The text of the first text block of a tool result. */
export function textOf(result: { content?: unknown }): string {
  const blocks = Array.isArray(result.content)
    ? (result.content as Array<{ type: string; text?: string }>)
    : [];
  return blocks.find((b) => b.type === "text")?.text ?? "";
}

export interface InspectorResult {
  readonly code: number;
  /** stdout parsed as JSON; undefined when it is not JSON. */
  readonly json: unknown;
  readonly stderr: string;
}

/**
 * Runs the MCP Inspector CLI (`mcp-inspector-cli --cli ...args`). inspector-cli 1.0.3 resolves
 * its own package.json against the working directory, so it runs from its build folder.
 */
export function runInspector(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<InspectorResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [INSPECTOR_CLI, "--cli", ...args],
      { cwd: dirname(INSPECTOR_CLI), env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code: error ? Number(error.code ?? 1) : 0, json, stderr });
      },
    );
  });
}
