/**
 * What the real-client tests share: where each pinned client's program is (installed by
 * `npm ci --ignore-scripts` in this folder), an isolated home per test with a registry holding
 * the fixture server, `voidmcp init` run from the built bundle, voidmcp's HTTP front, and running
 * a client with an environment of our own making (never the developer's: no API keys, no real
 * home), kept off the network.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedPort, freePort } from "../e2e/harness.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const modules = join(here, "node_modules");

/** voidmcp as npm installs it. */
export const BUNDLE = join(root, "dist", "bundle", "voidmcp.mjs");
export const FIXTURE = join(root, "dist", "test", "fixtures", "fixture-server.js");

/**
 * The clients' own programs. With install scripts off, @anthropic-ai/claude-code's bin is a
 * placeholder, so Claude Code runs from its platform package; Codex's npm bin is a Node launcher
 * around the same Rust binary, run directly here.
 */
export const CLAUDE = join(modules, "@anthropic-ai", "claude-code-linux-x64", "claude");
export const GEMINI = join(modules, "@google", "gemini-cli", "bundle", "gemini.js");
export const CODEX = join(
  modules,
  "@openai",
  "codex-linux-x64",
  "vendor",
  "x86_64-unknown-linux-musl",
  "bin",
  "codex",
);

for (const path of [BUNDLE, FIXTURE, CLAUDE, GEMINI, CODEX]) {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: run \`npm run test:clients\` (it builds and installs what it needs)`,
    );
  }
}

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end (or kills it after `timeoutMs`), with exactly the environment given. */
export function run(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 90_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Home {
  /** The temporary directory holding everything below. */
  readonly dir: string;
  /** HOME of voidmcp and the clients. */
  readonly home: string;
  /** The folder the clients run in (the "project"). */
  readonly work: string;
  /** voidmcp's registry, with the fixture server registered as "fixture". */
  readonly registry: string;
  /** The environment every process gets: nothing of the developer's but PATH. */
  readonly env: Record<string, string>;
  /** Runs `voidmcp <args>` from the bundle; fails the test on a non-zero exit. */
  voidmcp(args: readonly string[]): Promise<Result>;
  /**
   * Starts `voidmcp serve --http` on a free port, logging at debug level; `stderr()` is its log
   * so far. Stopped by cleanup.
   */
  serveHttp(): Promise<{ port: number; url: string; stderr: () => string }>;
  /**
   * The command and args of a stdio entry that runs `voidmcp serve` like the one `init` writes,
   * but logging at debug level into `stdioLog` (a client keeps its servers' stderr to itself).
   */
  readonly loggingServe: { readonly command: string; readonly args: readonly string[] };
  /** Where `loggingServe` writes voidmcp's log. */
  readonly stdioLog: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh home: HOME, XDG dirs and CODEX_HOME inside a temporary directory, a registry with the
 * fixture, and the variables that keep each client off the network (Claude Code's API on a
 * port that refuses, its non-essential traffic and updater off).
 */
export async function isolatedHome(): Promise<Home> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "voidmcp-clients-")));
  const home = join(dir, "home");
  const work = join(dir, "work");
  const registry = join(dir, "servers.json");
  await mkdir(home);
  await mkdir(work);
  await writeFile(
    registry,
    `${JSON.stringify({ version: 1, mcpServers: { fixture: { command: process.execPath, args: [FIXTURE] } } }, null, 2)}\n`,
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    XDG_CACHE_HOME: join(home, ".cache"),
    CODEX_HOME: join(home, ".codex"),
    VOIDMCP_CONFIG: registry,
    TERM: "dumb",
    NO_COLOR: "1",
    ANTHROPIC_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
  };
  const stdioLog = join(dir, "voidmcp-stdio.log");
  const loggingServe = {
    command: "/bin/sh",
    args: [
      "-c",
      `VOIDMCP_LOG_LEVEL=debug exec "$0" "$@" 2>>'${stdioLog}'`,
      process.execPath,
      BUNDLE,
      "serve",
      "--config",
      registry,
    ],
  };
  const servers: ChildProcess[] = [];
  const voidmcp = async (args: readonly string[]): Promise<Result> => {
    const result = await run(process.execPath, [BUNDLE, ...args], { env, cwd: work, timeoutMs: 60_000 });
    if (result.code !== 0)
      throw new Error(`voidmcp ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  return {
    dir,
    home,
    work,
    registry,
    env,
    voidmcp,
    loggingServe,
    stdioLog,
    async serveHttp() {
      const port = await freePort();
      let stderr = "";
      const child = spawn(process.execPath, [BUNDLE, "serve", "--http", "--port", String(port)], {
        env: { ...env, VOIDMCP_LOG_LEVEL: "debug" },
        cwd: work,
        stdio: ["ignore", "ignore", "pipe"],
      });
      servers.push(child);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve --http did not start: ${stderr}`)), 30_000);
        child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
          stderr += chunk;
          if (stderr.includes(`http://127.0.0.1:${port}/mcp`)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`serve --http exited ${code}: ${stderr}`));
        });
      });
      return { port, url: `http://127.0.0.1:${port}/mcp`, stderr: () => stderr };
    },
    async cleanup() {
      await Promise.all(
        servers.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        ),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What voidmcp's debug log says a client's tools/list got (see Gateway.listTools). */
export interface Recognised {
  readonly name: string;
  readonly version: string;
  readonly listed: "listed one by one" | "behind the meta-tools";
  readonly reason: string;
}

/** The clients voidmcp's debug log `log` says asked for tools/list, in order, by the name they gave. */
export function recognised(log: string): Recognised[] {
  const line =
    /^voidmcp debug: tools\/list for "([^"]*)" (\S*): upstream tools (listed one by one|behind the meta-tools) \((.*)\)$/gm;
  return [...log.matchAll(line)].map(([, name = "", version = "", listed, reason = ""]) => ({
    name,
    version,
    listed: listed as Recognised["listed"],
    reason,
  }));
}

/** The text of `path`, or "" while it does not exist. */
export async function readIfThere(path: string): Promise<string> {
  return readFile(path, "utf8").catch(() => "");
}
