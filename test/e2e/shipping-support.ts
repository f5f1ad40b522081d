/**
 * What the tests of the shipped forms (npm tarball, single executable) share: running a command
 * to completion, a registry with the fixture server, and one MCP session that exercises a plain
 * tool call and Code Mode through whatever `voidmcp` the test starts.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { expect } from "vitest";
import { type CliResult, fixtureEntry, textOf } from "./harness.js";

export const ROOT = new URL("../../", import.meta.url);

function inherited(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]])),
  );
}

/** Runs `command args` to completion (never rejects; a failure is in `code`). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A registry document with the fixture server, for `serve` sessions. */
export function fixtureRegistry(): unknown {
  return { version: 1, expose: "direct", mcpServers: { fixture: fixtureEntry() } };
}

/** `--version`'s line: the version and the commit the build was made from. */
export const VERSION_LINE = /^\d+\.\d+\.\d+(?:-[\w.]+)? \(commit (?:[0-9a-f]{12}(?:-dirty)?|unknown)\)\n$/;

/**
 * Connects to `command args serve --config registry` as an IDE would and checks a tool call and an
 * execute_code run (TypeScript, two tool calls in parallel, the report) through it.
 */
export async function checkServeSession(
  command: string,
  args: readonly string[],
  registry: string,
): Promise<void> {
  const client = new Client({ name: "voidmcp-shipping-e2e", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command,
      args: [...args, "serve", "--config", registry],
      // The bundle's code cache goes beside the test's registry, never into the real home.
      env: { ...inherited(), XDG_CACHE_HOME: join(dirname(registry), "cache") },
      stderr: "ignore",
    }),
  );
  try {
    expect(client.getServerVersion()?.name).toBe("voidmcp");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["execute_code", "fixture__echo"]));
    const echo = await client.callTool({ name: "fixture__echo", arguments: { text: "shipped" } });
    expect(textOf(echo)).toBe("shipped");
    const result = (await client.callTool({
      name: "execute_code",
      arguments: {
        code: `
          interface Sum { sum: number }
          const [a, b] = await Promise.all([tools.fixture.add({ a: 1, b: 2 }), tools.fixture.add({ a: 3, b: 4 })]);
          console.log("sums", a, b);
          return (a as Sum).sum + (b as Sum).sum;
        `,
      },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("10");
    const texts = result.content.flatMap((block) => (block.type === "text" ? [block.text] : []));
    expect(texts.find((t) => t.startsWith("report:"))).toMatch(/2 tool calls \(fixture\.add ×2/);
  } finally {
    await client.close();
  }
}
