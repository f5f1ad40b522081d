import { randomUUID } from "node:crypto";
import type {
  ClientCapabilities,
  Implementation,
  JSONRPCMessage,
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/server";
import { StdioServerTransport, serveStdio as serveStdioEras } from "@modelcontextprotocol/server/stdio";
import type { Logger } from "../core/index.js";
import type { ClientChannel, GatewayBackend } from "./backend.js";
import { CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, openingEra } from "./era.js";
import { Continuations } from "./input-required.js";
import { usePlainReader } from "./line-reader.js";
import { createDownstreamServer } from "./server.js";

export interface StdioSession {
  /** Resolves when the client goes away (stdin closes) or `close()` is called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * The process's stdio transport, watched: the entry (the SDK's `serveStdio`) owns it, this
 * wrapper only sees the first message go by and the end of the connection.
 */
class WatchedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  private readonly inner: StdioServerTransport;
  private readonly first: (message: JSONRPCMessage) => void;
  private readonly ended: () => void;
  private seen = false;

  constructor(inner: StdioServerTransport, first: (message: JSONRPCMessage) => void, ended: () => void) {
    this.inner = inner;
    this.first = first;
    this.ended = ended;
  }

  start(): Promise<void> {
    this.inner.onmessage = (message) => {
      if (!this.seen) {
        this.seen = true;
        this.first(message);
      }
      this.onmessage?.(message);
    };
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => {
      this.onclose?.();
      this.ended();
    };
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    void options;
    return this.inner.send(message);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Serves the backend over this process's stdin/stdout, in the era the client opens with:
 * `initialize` (2025-11-25 and older) pins a legacy session as before; `server/discover` or any
 * request carrying the 2026-07-28 `_meta` envelope pins a modern connection (per-request
 * envelope, input_required instead of server→client requests, `subscriptions/listen` for
 * change notifications). stdout carries only the protocol.
 */
export async function serveStdio(backend: GatewayBackend, log?: Logger): Promise<StdioSession> {
  let finish: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    finish = resolve;
  });
  // One connection: its own continuations and its own identity for requestState.
  const continuations = new Continuations();
  const connection = `stdio-${randomUUID()}`;
  /** What a modern client declared in its first request: upstreams are told, as for initialize. */
  let declared: ClientCapabilities | undefined;
  let declaredInfo: Implementation | undefined;
  const stdio = new StdioServerTransport();
  // The client's lines are read once, the common shapes without the SDK's schema copy.
  usePlainReader(stdio);
  const transport = new WatchedTransport(
    stdio,
    (message) => {
      const opening = openingEra(message);
      if (opening.era === "modern") {
        const meta = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
        declared = meta?.[CLIENT_CAPABILITIES_KEY] as ClientCapabilities | undefined;
        declaredInfo = meta?.[CLIENT_INFO_KEY] as Implementation | undefined;
      }
      log?.debug(
        opening.era === "modern"
          ? `stdio client speaks ${opening.version} (modern)`
          : opening.era === "legacy"
            ? "stdio client speaks 2025-11-25 or older (legacy)"
            : `stdio client claims protocol ${opening.requested}, which voidmcp does not serve`,
      );
    },
    () => {
      continuations.close();
      finish();
    },
  );
  const handle = serveStdioEras(
    ({ era }) => {
      const { server, dispose } = createDownstreamServer(backend, {
        era,
        continuations,
        principal: connection,
      });
      if (era !== "modern") {
        server.onclose = dispose;
        return server;
      }
      // A modern connection has no initialize: it is a client of the backend from its first
      // request to its end (the SDK makes one instance per connection, plus a discarded one for
      // a discover probe that falls back to initialize).
      const channel: ClientChannel = {
        id: connection,
        capabilities: () => declared,
        info: () => declaredInfo,
        logLevel: () => undefined,
        request: (method) =>
          Promise.reject(
            new Error(`a 2026-07-28 client can only be asked ${method} during one of its calls`),
          ),
        notify: () => Promise.resolve(),
      };
      backend.clientConnected(channel);
      server.onclose = () => {
        dispose();
        backend.clientClosed(channel);
      };
      return server;
    },
    { transport, onerror: (error) => log?.debug(`stdio: ${error.message}`) },
  );
  // The SDK transport does not notice every way stdin can end; make sure it does.
  process.stdin.once("end", () => void handle.close());
  return {
    closed,
    close: async () => {
      await handle.close();
      continuations.close();
      finish();
    },
  };
}
