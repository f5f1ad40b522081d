import type { ChildProcess } from "node:child_process";
import { type JSONRPCMessage, serializeMessage, type Transport } from "@modelcontextprotocol/client";
import type { Logger } from "../core/index.js";
import { spawnTracked, stopTree } from "./child-process.js";
import { type LineEvent, MessageLines } from "./message-lines.js";
import { readMessage } from "./plain-message.js";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  leadingId,
  tooLargeMessage,
  tooLargeResponse,
  trailingId,
} from "./response-limit.js";

const STDERR_TAIL_LINES = 20;
const STOP_GRACE_MS = 2_000;
/** How long an exited child's stderr may take to drain before the transport closes anyway. */
const STDERR_DRAIN_MS = 250;
/** How many request methods methodsSent() keeps: enough to see how a session opened. */
const MAX_METHODS_KEPT = 4;

export interface StdioTransportOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment of the child (the caller merges the gateway's own). */
  readonly env: Record<string, string | undefined>;
  readonly cwd: string | undefined;
  /** Receives the child's stderr, one line at a time. */
  readonly log: Logger;
  /** The largest message accepted from the child, in bytes (default 64 MiB). */
  readonly maxMessageBytes?: number;
}

/**
 * MCP over a child's stdin/stdout, newline-delimited JSON. Unlike the SDK's own stdio transport
 * it starts the child in its own process group (so close() also stops grandchildren), hands
 * stderr to the gateway's log with the server's name, and keeps the last lines of stderr so a
 * crash can be explained. A message over `maxMessageBytes` is discarded as it streams in, and
 * the request it answers is failed at once with an error naming the size and the cap (see
 * response-limit.ts); the session goes on.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly lines: MessageLines;
  private readonly maxMessageBytes: number;
  /** Whether the line being discarded has been answered already (its id was at its start). */
  private oversizedAnswered = false;
  /** A notification was handed on in this turn of the event loop (see deliver). */
  private notifiedThisTurn = false;
  /** Responses waiting for the next turn; while any wait, later ones wait too, to keep their order. */
  private deferred = 0;
  private readonly tail: string[] = [];
  private closed = false;
  private markStderrEnded: () => void = () => {};
  private readonly stderrEnded = new Promise<void>((resolve) => {
    this.markStderrEnded = resolve;
  });
  private exitDescription: string | undefined;
  private readonly sentMethods: string[] = [];

  private readonly options: StdioTransportOptions;

  constructor(options: StdioTransportOptions) {
    this.options = options;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.lines = new MessageLines(this.maxMessageBytes);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * The SDK client tells a stdio transport from an HTTP one by a `stderr` and a `pid` property;
   * that decides what an unanswered `server/discover` probe means (stdio: a legacy server; HTTP:
   * an outage). The child's stderr itself is this transport's to read (see stderrTail).
   */
  get stderr(): null {
    return null;
  }

  /** The methods of the first requests written to the child, in order (a few at most). */
  methodsSent(): readonly string[] {
    return this.sentMethods;
  }

  /** The last lines the child wrote to stderr. */
  stderrTail(): string {
    return this.tail.join("\n");
  }

  /** How the child ended ("exited with code 1"), once it has. */
  get exit(): string | undefined {
    return this.exitDescription;
  }

  start(): Promise<void> {
    if (this.child) throw new Error("StdioTransport already started");
    return new Promise((resolve, reject) => {
      const child = spawnTracked(this.options);
      this.child = child;
      let started = false;
      child.once("spawn", () => {
        started = true;
        resolve();
      });
      child.once("error", (error: NodeJS.ErrnoException) => {
        const message =
          error.code === "ENOENT"
            ? `command not found: ${this.options.command}`
            : error.code === "EACCES"
              ? `permission denied running ${this.options.command}`
              : `cannot start ${this.options.command}: ${error.message}`;
        const wrapped = new Error(message, { cause: error });
        if (!started) reject(wrapped);
        else this.onerror?.(wrapped);
        this.finish();
      });
      child.once("exit", (code, signal) => {
        this.exitDescription = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        // Node may report the exit before the last stderr lines are read; those lines are
        // usually the explanation, so wait (briefly) for the stream to end first.
        const timer = setTimeout(() => this.finish(), STDERR_DRAIN_MS);
        this.stderrEnded.then(() => {
          clearTimeout(timer);
          this.finish();
        });
      });
      child.stdout?.on("data", (chunk: Buffer) => this.receive(chunk));
      child.stdin?.on("error", (error) => this.onerror?.(error));
      this.pipeStderr(child);
    });
  }

  private pipeStderr(child: ChildProcess): void {
    let partial = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.stderrLine(line);
    });
    const ended = () => {
      if (partial) this.stderrLine(partial);
      partial = "";
      this.markStderrEnded();
    };
    child.stderr?.on("end", ended);
    child.stderr?.on("close", ended);
    if (!child.stderr) this.markStderrEnded();
  }

  private stderrLine(raw: string): void {
    const line = raw.replace(/\r$/, "");
    if (line === "") return;
    this.tail.push(line);
    if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
    this.options.log.info(line);
  }

  private receive(chunk: Buffer): void {
    for (const event of this.lines.push(chunk)) this.handle(event);
  }

  private handle(event: LineEvent): void {
    switch (event.kind) {
      case "line": {
        if (event.text.trim() === "") return;
        let message: JSONRPCMessage;
        try {
          message = readMessage(event.text);
        } catch (error) {
          // Not JSON at all (a stray console.log in the server): skip it quietly, as the SDK does.
          // JSON that is not JSON-RPC: report it. Either way the stream goes on.
          if (!(error instanceof SyntaxError)) this.reportError(error);
          return;
        }
        this.deliver(message);
        return;
      }
      case "oversized": {
        const id = leadingId(event.head);
        this.oversizedAnswered = id !== undefined;
        if (id !== undefined) {
          this.options.log.warn(tooLargeMessage(event.bytesSoFar, this.maxMessageBytes, false));
          this.deliver(tooLargeResponse(id, event.bytesSoFar, this.maxMessageBytes, false));
        }
        return;
      }
      case "oversized-end": {
        if (this.oversizedAnswered) {
          this.oversizedAnswered = false;
          return;
        }
        const id = trailingId(event.tail);
        const message = tooLargeMessage(event.bytes, this.maxMessageBytes, true);
        this.options.log.warn(message);
        if (id !== undefined) this.deliver(tooLargeResponse(id, event.bytes, this.maxMessageBytes, true));
        else this.reportError(new Error(`a message was dropped: ${message}`));
        return;
      }
      default: {
        const exhaustive: never = event;
        void exhaustive;
      }
    }
  }

  /** Never throws from a stream handler, which would take the whole gateway down. */
  private reportError(error: unknown): void {
    this.onerror?.(error instanceof Error ? error : new Error(String(error)));
  }

  /**
   * Hands a message to the client. The SDK client runs notification handlers a little later than
   * response handlers, so a progress notification that arrives together with its call's response
   * would find the call already finished and be dropped (typescript-sdk issue #2580). So a
   * response waits for the next turn of the event loop when a notification was handed on in this
   * turn; otherwise (most answers: no notification went before them) it is handed on at once,
   * without the extra turn. Deferred responses keep their order (immediates run first in, first out).
   */
  private deliver(message: JSONRPCMessage): void {
    if ("id" in message && !("method" in message)) {
      if (this.notifiedThisTurn || this.deferred > 0) {
        this.deferred += 1;
        setImmediate(() => {
          this.deferred -= 1;
          this.onmessage?.(message);
        });
        return;
      }
      this.onmessage?.(message);
      return;
    }
    if ("method" in message && !("id" in message) && !this.notifiedThisTurn) {
      this.notifiedThisTurn = true;
      setImmediate(() => {
        this.notifiedThisTurn = false;
      });
    }
    this.onmessage?.(message);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || !stdin.writable) {
      return Promise.reject(new Error("the server process is not running"));
    }
    if ("method" in message && "id" in message && this.sentMethods.length < MAX_METHODS_KEPT) {
      this.sentMethods.push(message.method);
    }
    return new Promise((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child) {
      child.stdin?.end();
      await stopTree(child, STOP_GRACE_MS);
    }
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.lines.clear();
    this.onclose?.();
  }
}
