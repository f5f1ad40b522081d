/**
 * Codex (its Rust MCP client, pinned in this folder's lockfile) set up by `voidmcp init codex`,
 * driven through `codex app-server` (JSON-RPC over stdio): `mcpServerStatus/list` must show
 * voidmcp with the fixture's tools, and `mcpServer/tool/call` must really call one through it,
 * and call `list_servers`, where voidmcp must name Codex by the clientInfo it sent.
 * A model provider on a port that refuses keeps Codex off the network.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPort } from "../e2e/harness.js";
import { CODEX, type Home, isolatedHome } from "./support.js";

let box: Home;
let server: AppServer | undefined;
beforeEach(async () => {
  box = await isolatedHome();
  await mkdir(join(box.home, ".codex"));
  await writeFile(
    join(box.home, ".codex", "config.toml"),
    `model = "offline-model"
model_provider = "offline"

[model_providers.offline]
name = "offline"
base_url = "http://127.0.0.1:${await closedPort()}/v1"
wire_api = "responses"
`,
  );
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await box.cleanup();
});

interface RpcResponse {
  readonly id: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { message: string };
}

/** `codex app-server`, spoken to one JSON-RPC request at a time. */
class AppServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, (response: RpcResponse) => void>();
  private nextId = 0;
  stderr = "";

  constructor(env: Record<string, string>, cwd: string) {
    this.child = spawn(CODEX, ["app-server"], { env, cwd });
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      const message = JSON.parse(line) as Partial<RpcResponse>;
      if (typeof message.id === "number" && ("result" in message || "error" in message)) {
        this.pending.get(message.id)?.(message as RpcResponse);
        this.pending.delete(message.id);
      }
    });
  }

  request(method: string, params: unknown): Promise<RpcResponse> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.once("exit", (code) => reject(new Error(`codex app-server exited ${code}: ${this.stderr}`)));
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  notify(method: string): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method })}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once("exit", () => resolve());
      this.child.stdin.end();
      this.child.kill("SIGTERM");
    });
  }
}

interface ServerStatus {
  readonly name: string;
  readonly serverInfo: { name: string } | null;
  readonly tools: Record<string, unknown>;
  readonly toolsError: string | null;
}

async function connectAndCall(): Promise<void> {
  server = new AppServer(box.env, box.work);
  const init = await server.request("initialize", {
    clientInfo: { name: "voidmcp-client-suite", version: "1.0.0" },
    capabilities: null,
  });
  expect(init.error).toBeUndefined();
  server.notify("initialized");

  const status = await server.request("mcpServerStatus/list", {});
  expect(status.error).toBeUndefined();
  const servers = (status.result?.data ?? []) as ServerStatus[];
  const voidmcp = servers.find((s) => s.name === "voidmcp");
  expect(voidmcp?.toolsError ?? null).toBeNull();
  expect(voidmcp?.serverInfo?.name).toBe("voidmcp");
  expect(Object.keys(voidmcp?.tools ?? {})).toEqual(
    expect.arrayContaining(["search", "execute_code", "list_servers", "fixture__echo"]),
  );

  const thread = await server.request("thread/start", { ephemeral: true });
  const threadId = (thread.result?.thread as { id?: string } | undefined)?.id;
  expect(typeof threadId).toBe("string");
  const call = await server.request("mcpServer/tool/call", {
    threadId,
    server: "voidmcp",
    tool: "fixture__echo",
    arguments: { text: "hello from codex" },
  });
  expect(call.error).toBeUndefined();
  expect(call.result).toMatchObject({ content: [{ type: "text", text: "hello from codex" }] });
  expect(call.result?.isError ?? false).toBe(false);

  // voidmcp's own record of this client: who it said it is and the exposure that gave it.
  const report = await server.request("mcpServer/tool/call", {
    threadId,
    server: "voidmcp",
    tool: "list_servers",
    arguments: {},
  });
  expect(report.error).toBeUndefined();
  const clients = (report.result?.structuredContent as { clients?: unknown[] } | undefined)?.clients;
  expect(clients).toEqual([
    expect.objectContaining({
      name: "codex-mcp-client",
      version: "0.171.0",
      exposure: "direct",
      reason: expect.stringContaining('"codex-mcp-client", a client of unknown limits'),
    }),
  ]);
}

describe("Codex (codex app-server)", () => {
  it("stdio: lists voidmcp's tools, calls one through it, and is recognised", async () => {
    await box.voidmcp(["init", "codex"]);
    await connectAndCall();
  });

  it("HTTP: init --http (http_headers with the token) lists, calls and is recognised the same", async () => {
    const { url } = await box.serveHttp();
    await box.voidmcp(["init", "codex", "--http", "--port", new URL(url).port]);
    await connectAndCall();
  });
});
