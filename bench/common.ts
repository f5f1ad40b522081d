/** Helpers shared by the peer, context, task and scale suites: processes, clients, ports, RSS. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { PipeTransport } from "./pipe-transport.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(root, "dist/src/cli/main.js");
export const BUNDLE = join(root, "dist/bundle/voidmcp.mjs");
export const FIXTURE = join(root, "dist/test/fixtures/fixture-server.js");
export const SYNTHETIC = join(root, "dist/bench/synthetic-server.js");

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connected client plus the pid of the process it talks to (when it started one). */
export interface Connected {
  readonly client: Client;
  readonly pid?: number;
}

/** A gateway spawned over stdio: its SDK client, and raw JSON-RPC on the same pipe. */
export interface OpenGateway extends Connected {
  readonly transport: PipeTransport;
}

export async function stdioClient(command: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
  const transport = new StdioClientTransport({
    command,
    args: [...args],
    stderr: "ignore",
    ...(env ? { env: env as Record<string, string> } : {}),
  });
  const client = new Client({ name: "voidmcp-bench", version: "1.0.0" });
  await client.connect(transport);
  const pid = transport.pid ?? undefined;
  return pid === undefined ? { client } : { client, pid };
}

export async function httpClient(url: string, kind: "streamable" | "sse" = "streamable"): Promise<Client> {
  const client = new Client({ name: "voidmcp-bench-http", version: "1.0.0" });
  const transport =
    kind === "sse" ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));
  try {
    await client.connect(transport);
  } catch (error) {
    // A failed SSE connect leaves an EventSource retrying (and the bench alive) unless closed.
    await transport.close().catch(() => {});
    throw error;
  }
  return client;
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a process with its output collected (last 4 KiB) for error messages. */
export function start(command: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
  const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4096);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, output: () => output };
}

/** Retries `connect` until it succeeds, the child exits, or `timeoutMs` passes. */
export async function connectWhenUp<T>(
  proc: { child: ChildProcess; output: () => string },
  connect: () => Promise<T>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(
        `exited with ${proc.child.exitCode}: ${proc.output().trim().split("\n").slice(-3).join(" | ")}`,
      );
    }
    try {
      return await connect();
    } catch (error) {
      last = error;
      await sleep(100);
    }
  }
  throw new Error(`not up within ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`);
}

/**
 * SIGTERM (SIGKILL after 3 s), then drops our ends of its pipes: a grandchild that inherited them
 * must not keep the bench alive.
 */
export async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** Resident set size of one process (not its children), in MiB, from /proc; NaN when unknown. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** RSS after `settleMs` of idling, so start-up garbage has had a chance to go. */
export async function idleRssMiB(pid: number | undefined, settleMs = 1500): Promise<number> {
  await sleep(settleMs);
  return rssMiB(pid);
}

export const mib = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "n/a");

export interface ServerEntry {
  readonly command: string;
  readonly args: readonly string[];
}

/** `count` synthetic servers named s00…, each listing `tools` realistic tools (offsets vary). */
export function syntheticServers(count: number, tools: number): Record<string, ServerEntry> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `s${String(i).padStart(2, "0")}`,
      {
        command: process.execPath,
        args: [SYNTHETIC, "--tools", String(tools), "--offset", String((i * 7) % 50)],
      },
    ]),
  );
}

/**
 * Starts `voidmcp serve` (the bundle) over stdio on a registry written to `file`, and waits until
 * every server is ready (list_servers), so what follows measures a warm gateway.
 */
export async function openGateway(
  file: string,
  registry: Record<string, unknown>,
  timeoutMs = 120_000,
): Promise<OpenGateway> {
  await writeFile(file, JSON.stringify(registry));
  const env = { ...process.env, VOIDMCP_LOG_LEVEL: "warn" };
  const transport = new PipeTransport(process.execPath, [BUNDLE, "serve", "--config", file], env);
  const client = new Client({ name: "voidmcp-bench", version: "1.0.0" });
  await client.connect(transport);
  const gateway = { client, transport, ...(transport.pid === undefined ? {} : { pid: transport.pid }) };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await gateway.client.callTool({ name: "list_servers", arguments: {} });
    const servers =
      (result.structuredContent as { servers?: { state: string }[] } | undefined)?.servers ?? [];
    const expected = Object.keys((registry.mcpServers as Record<string, unknown> | undefined) ?? {}).length;
    if (servers.length === expected && servers.every((s) => s.state === "ready")) return gateway;
    if (Date.now() > deadline) {
      await gateway.client.close();
      throw new Error(`servers not ready within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}
