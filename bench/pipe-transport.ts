/**
 * A stdio client transport for the SDK `Client` that also lets the bench send raw JSON-RPC
 * requests on the same pipe, so one gateway process can be timed both at an SDK client (which
 * validates every answer with zod) and at a raw client (write one line, read the whole answer
 * line, `JSON.parse` once): the difference is the client's share, the raw time the gateway's.
 *
 * Lines for the SDK go through the SDK's own `ReadBuffer` (the same parse and validation its
 * `StdioClientTransport` does), so the SDK rows cost what they cost with the SDK's transport.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { type JSONRPCMessage, ReadBuffer, type Transport } from "@modelcontextprotocol/client";

/** Raw requests carry string ids with this prefix; the SDK's ids are numbers. */
const RAW_ID = "bench-raw-";
/** Where the top-level `id` of an answer can be: near the start or the end of its line. */
const ID_WINDOW = 160;

interface RawWaiter {
  readonly resolve: (answer: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class PipeTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;

  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly sdkBuffer = new ReadBuffer();
  private readonly raw = new Map<string, RawWaiter>();
  private pending: Buffer[] = [];
  private nextRaw = 1;
  private closed = false;

  private readonly command: string;
  private readonly args: readonly string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.command = command;
    this.args = args;
    this.env = env;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn(this.command, [...this.args], { stdio: ["pipe", "pipe", "pipe"], env: this.env });
    this.child = child;
    child.stderr.resume();
    child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    child.once("exit", () => this.closedByPeer(new Error("the process exited")));
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    child.on("error", (error) => this.onerror?.(error));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * Sends `method` with `params` as a raw request and resolves with the parsed answer line
   * (the whole JSON-RPC response object), parsed once.
   */
  request(method: string, params?: Record<string, unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the transport is closed"));
    const id = `${RAW_ID}${this.nextRaw++}`;
    return new Promise((resolve, reject) => {
      this.raw.set(id, { resolve, reject });
      this.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) })}\n`);
    });
  }

  /** Ends stdin, then SIGTERM after 2 s, then SIGKILL after 2 more; idempotent. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closed) return;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    child.stdin.end();
    const term = setTimeout(() => child.kill("SIGTERM"), 2000);
    const kill = setTimeout(() => child.kill("SIGKILL"), 4000);
    await exited;
    clearTimeout(term);
    clearTimeout(kill);
    child.stdout.destroy();
    child.stderr.destroy();
    this.closedByPeer(new Error("closed"));
  }

  private write(line: string): void {
    if (this.closed || !this.child) throw new Error("the transport is closed");
    this.child.stdin.write(line);
  }

  private receive(chunk: Buffer): void {
    let from = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, from)) {
      this.pending.push(chunk.subarray(from, at));
      const line = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
      this.pending = [];
      this.line(line);
      from = at + 1;
    }
    if (from < chunk.length) this.pending.push(chunk.subarray(from));
  }

  private line(line: Buffer): void {
    const head = line.subarray(0, ID_WINDOW).toString("latin1");
    const tail = line.subarray(Math.max(0, line.length - ID_WINDOW)).toString("latin1");
    const id = /"id":"(bench-raw-\d+)"/.exec(head)?.[1] ?? /"id":"(bench-raw-\d+)"/.exec(tail)?.[1];
    const waiter = id === undefined ? undefined : this.raw.get(id);
    if (id !== undefined && waiter) {
      this.raw.delete(id);
      try {
        waiter.resolve(JSON.parse(line.toString("utf8")));
      } catch (error) {
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return;
    }
    this.sdkBuffer.append(Buffer.concat([line, NEWLINE]));
    try {
      for (let message = this.sdkBuffer.readMessage(); message; message = this.sdkBuffer.readMessage()) {
        this.onmessage?.(message);
      }
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private closedByPeer(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.raw.values()) waiter.reject(error);
    this.raw.clear();
    this.onclose?.();
  }
}

const NEWLINE = Buffer.from("\n");
