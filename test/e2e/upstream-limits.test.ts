/**
 * Upstreams of any size and any behaviour, seen from an IDE connected to `voidmcp serve`:
 * answers far larger than the SDK's 10 MiB stdio buffer, answers over voidmcp's cap, servers
 * that restart under a connected client, and servers that would outlive a gateway killed hard.
 * Real processes, a real MCP client, real HTTP on 127.0.0.1.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { Client, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLI,
  eventually,
  fixtureEntry,
  type HttpFixture,
  isAlive,
  startHttpFixture,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

const MiB = 1024 * 1024;
/** voidmcp's default cap on one upstream answer. */
const CAP = 64 * MiB;

interface Gateway {
  readonly client: Client;
  readonly pid: number;
  stderr(): string;
  close(): Promise<void>;
}

/**
 * The client side of `voidmcp serve` over stdio, reading lines in linear time. The SDK's own
 * StdioClientTransport joins its whole buffer on every chunk (a 20 MiB answer takes it about
 * 15 s here, against about 1 s for the gateway itself), which would measure the test's client
 * instead of voidmcp.
 */
class LinesClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly child: ChildProcess;
  stderr = "";
  private pending: Buffer[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, args, {
      env: { ...process.env, VOIDMCP_LOG_LEVEL: "info" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.child.stdout?.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.once("exit", () => this.onclose?.());
  }

  private receive(chunk: Buffer): void {
    let rest = chunk;
    for (let newline = rest.indexOf(0x0a); newline !== -1; newline = rest.indexOf(0x0a)) {
      this.pending.push(rest.subarray(0, newline));
      const line = Buffer.concat(this.pending).toString("utf8");
      this.pending = [];
      rest = rest.subarray(newline + 1);
      if (line.trim() !== "") this.onmessage?.(JSON.parse(line) as JSONRPCMessage);
    }
    if (rest.length > 0) this.pending.push(rest);
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin?.end();
    await exited;
  }
}

/** `voidmcp serve --config registry`, connected as an IDE would connect. */
async function serve(registry: string): Promise<Gateway> {
  const transport = new LinesClientTransport([CLI, "serve", "--config", registry]);
  const client = new Client({ name: "voidmcp-e2e-limits", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    pid: transport.child.pid as number,
    stderr: () => transport.stderr,
    close: () => client.close(),
  };
}

/** A tool call's text, or the message of the JSON-RPC error it was answered with. */
async function callText(gateway: Gateway, name: string, args: Record<string, unknown>) {
  try {
    const result = await gateway.client.callTool({ name, arguments: args }, { timeout: 60_000 });
    return { ok: result.isError !== true, text: textOf(result) };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  }
}

interface Row {
  name: string;
  state: string;
  pid?: number;
  restarts: number;
}

async function row(gateway: Gateway, name: string): Promise<Row | undefined> {
  const result = await gateway.client.callTool({ name: "list_servers", arguments: {} });
  return (result.structuredContent as { servers: Row[] }).servers.find((s) => s.name === name);
}

describe("answers of any size", () => {
  let http: HttpFixture;
  let temp: TempDir;
  let gateway: Gateway;

  beforeAll(async () => {
    http = await startHttpFixture();
    temp = await tempRegistry({
      expose: "direct",
      mcpServers: {
        local: { ...fixtureEntry(), timeoutMs: 60_000 },
        remote: { url: http.url, timeoutMs: 60_000 },
      },
    });
    gateway = await serve(temp.registry);
  });

  afterAll(async () => {
    await gateway?.close();
    await http?.stop();
    await temp?.cleanup();
  });

  for (const server of ["local", "remote"] as const) {
    it(`${server}: a 20 MiB answer arrives whole`, async () => {
      const answer = await callText(gateway, `${server}__big`, { bytes: 20 * MiB });
      expect(answer.ok).toBe(true);
      expect(answer.text.length).toBe(20 * MiB);
    }, 90_000);

    it(`${server}: an answer over the cap fails at once, naming size and cap; the server stays usable`, async () => {
      const before = await row(gateway, server);
      const started = Date.now();
      const answer = await callText(gateway, `${server}__big`, { bytes: CAP + MiB });
      const elapsed = Date.now() - started;
      expect(answer.ok).toBe(false);
      expect(answer.text).toMatch(
        /answer is (over )?\d+(\.\d)? MiB, more than the 64 MiB \(67108864 bytes\)/,
      );
      expect(answer.text).toMatch(/maxResponseBytes/);
      // Far from the 60 s timeout the call used to wait before it was told "did not answer".
      expect(elapsed).toBeLessThan(30_000);
      const echo = await callText(gateway, `${server}__echo`, { text: "still here" });
      expect(echo).toEqual({ ok: true, text: "still here" });
      const after = await row(gateway, server);
      expect(after?.state).toBe("ready");
      expect(after?.restarts).toBe(before?.restarts);
      expect(after?.pid).toBe(before?.pid);
    }, 90_000);
  }
});

describe("a restarting server", () => {
  it("keeps its tools listed while it comes back, and clients hear no list_changed when nothing changed", async () => {
    const temp = await tempRegistry({
      expose: "direct",
      restart: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 400 },
      mcpServers: { victim: fixtureEntry(), other: fixtureEntry() },
    });
    const gateway = await serve(temp.registry);
    try {
      let toolsChanged = 0;
      gateway.client.setNotificationHandler("notifications/tools/list_changed", () => {
        toolsChanged += 1;
      });
      const names = async () => (await gateway.client.listTools()).tools.map((t) => t.name);
      expect(await names()).toContain("victim__echo");
      expect(await eventually(async () => (await row(gateway, "victim"))?.state === "ready")).toBe(true);
      const before = (await row(gateway, "victim")) as Row;
      const changedBefore = toolsChanged;
      process.kill(before.pid as number, "SIGKILL");
      // Poll the list through the whole restart: it must never lose the server's tools.
      const missing: number[] = [];
      let polls = 0;
      const back = await eventually(async () => {
        polls += 1;
        if (!(await names()).includes("victim__echo")) missing.push(polls);
        const now = await row(gateway, "victim");
        return now?.state === "ready" && now.pid !== before.pid;
      }, 15_000);
      expect(back).toBe(true);
      expect(polls).toBeGreaterThan(2);
      expect(missing).toEqual([]);
      // Give a late notification the time to arrive before counting.
      await new Promise((r) => setTimeout(r, 300));
      expect(toolsChanged - changedBefore).toBe(0);
      const echo = await gateway.client.callTool({ name: "victim__echo", arguments: { text: "back" } });
      expect(textOf(echo)).toBe("back");
    } finally {
      await gateway.close();
      await temp.cleanup();
    }
  }, 30_000);
});

describe("a gateway killed with SIGKILL", () => {
  it("leaves no upstream behind, even one that ignores stdin EOF and SIGTERM, nor what it spawned", async () => {
    const temp = await tempRegistry({
      mcpServers: { stubborn: fixtureEntry("--ignore-stdin-eof", "--spawn-grandchild") },
    });
    const gateway = await serve(temp.registry);
    let pids: { pid: number; grandchildPid: number } | undefined;
    try {
      const result = await gateway.client.callTool({ name: "stubborn__pids", arguments: {} });
      pids = JSON.parse(textOf(result)) as { pid: number; grandchildPid: number };
      expect(isAlive(pids.pid)).toBe(true);
      expect(isAlive(pids.grandchildPid)).toBe(true);
      process.kill(gateway.pid, "SIGKILL");
      const killedAt = Date.now();
      const gone = await eventually(
        () => !isAlive(pids?.pid as number) && !isAlive(pids?.grandchildPid as number),
        5_000,
      );
      expect(gone).toBe(true);
      // The contract is 2 s; the bound leaves room for a loaded machine.
      expect(Date.now() - killedAt).toBeLessThan(4_000);
    } finally {
      await gateway.close().catch(() => {});
      for (const pid of [pids?.pid, pids?.grandchildPid]) {
        if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
      }
      await temp.cleanup();
    }
  }, 30_000);
});
