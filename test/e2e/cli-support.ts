/**
 * What the CLI end-to-end tests share on top of harness.ts: a sandbox whose environment points
 * every registry lookup (HOME, XDG_CONFIG_HOME, VOIDMCP_CONFIG) into a temporary directory, so a
 * test can never touch the real user's registry, and assertions about the CLI's error contract.
 */
import { mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { expect } from "vitest";
import { type CliResult, FIXTURE, runCli } from "./harness.js";

export interface RunOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

export interface Sandbox {
  /** The temporary directory (real path, no symlinks). */
  readonly dir: string;
  /** HOME for the CLI: `<dir>/home`, which does not exist until something creates it. */
  readonly home: string;
  /** `<dir>/servers.json`, the registry VOIDMCP_CONFIG points at unless a test overrides it. */
  readonly registry: string;
  /** Runs the CLI in `dir` with the sandbox's environment (plus `options.env`). */
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** Writes `content` (a string as is, anything else as the CLI would format it) to `dir/name`. */
  write(name: string, content: unknown): Promise<string>;
  cleanup(): Promise<void>;
}

/** The text the CLI writes for a registry document. */
export function registryText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function sandbox(): Promise<Sandbox> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "voidmcp-cli-")));
  const home = join(dir, "home");
  const registry = join(dir, "servers.json");
  return {
    dir,
    home,
    registry,
    run: (args, options = {}) =>
      runCli(args, {
        cwd: options.cwd ?? dir,
        env: {
          HOME: home,
          XDG_CONFIG_HOME: "",
          VOIDMCP_CONFIG: registry,
          VOIDMCP_LOG_LEVEL: "",
          ...options.env,
        },
      }),
    write: async (name, content) => {
      const path = join(dir, name);
      await writeFile(path, typeof content === "string" ? content : registryText(content));
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The file's bytes, or undefined when it does not exist. */
export async function bytesOf(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

/**
 * The CLI's failure contract: the exit code, nothing on stdout, and exactly one line on stderr,
 * `voidmcp: <message>`. Returns that line (without the prefix) for further checks.
 */
export function expectFailure(result: CliResult, code: number, message: RegExp | string): string {
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^voidmcp: [^\n]+\n$/);
  const line = result.stderr.slice("voidmcp: ".length, -1);
  if (typeof message === "string") expect(line).toContain(message);
  else expect(line).toMatch(message);
  expect(result.code).toBe(code);
  return line;
}

/** A success with JSON on stdout; returns the parsed value. */
export function jsonOf(result: CliResult): unknown {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as unknown;
}

export interface FixtureTool {
  readonly name: string;
  readonly description: string;
}

/**
 * The fixture's tools as an MCP client sees them when it talks to the fixture directly: the
 * oracle the CLI's own listings are compared with.
 */
export async function fixtureTools(): Promise<FixtureTool[]> {
  const client = new Client({ name: "voidmcp-cli-e2e-oracle", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [FIXTURE] }));
  try {
    const { tools } = await client.listTools();
    return tools.map((t) => ({ name: t.name, description: t.description ?? "" }));
  } finally {
    await client.close();
  }
}

/** Rows of a table the CLI prints (columns are separated by two or more spaces). */
export function tableRows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => line.split(/ {2,}/));
}
