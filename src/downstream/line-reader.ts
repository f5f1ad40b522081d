import {
  deserializeMessage,
  type JSONRPCMessage,
  STDIO_DEFAULT_MAX_BUFFER_SIZE,
} from "@modelcontextprotocol/server";
import type { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { isPlainMessage } from "../core/index.js";

/**
 * One line from the client as a JSON-RPC message: parsed once, the common shapes (a tools/call
 * request without `_meta`, most notifications) taken as they are, everything else through the
 * SDK's own deserializeMessage, so what is accepted, rejected or normalised is what the SDK does.
 * Throws SyntaxError for text that is not JSON, and the SDK's error for JSON that is not JSON-RPC.
 */
export function readClientMessage(line: string): JSONRPCMessage {
  const value: unknown = JSON.parse(line);
  return isPlainMessage(value) ? (value as JSONRPCMessage) : deserializeMessage(line);
}

/**
 * The SDK's stdio read buffer with one difference, the line reader above: it buffers up to
 * `maxBufferSize` bytes (more fails the append, as the SDK's does), splits on newlines, drops a
 * trailing CR, skips lines that are not JSON, and throws for JSON that is not JSON-RPC.
 */
export class PlainReadBuffer {
  private buffer: Buffer | undefined;
  private readonly maxBufferSize: number;

  constructor(maxBufferSize: number = STDIO_DEFAULT_MAX_BUFFER_SIZE) {
    this.maxBufferSize = maxBufferSize;
  }

  append(chunk: Buffer): void {
    if ((this.buffer?.length ?? 0) + chunk.length > this.maxBufferSize) {
      this.clear();
      throw new Error(`ReadBuffer exceeded maximum size of ${this.maxBufferSize} bytes`);
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
  }

  readMessage(): JSONRPCMessage | null {
    while (this.buffer) {
      const index = this.buffer.indexOf("\n");
      if (index === -1) return null;
      const line = this.buffer.toString("utf8", 0, index).replace(/\r$/, "");
      this.buffer = this.buffer.subarray(index + 1);
      try {
        return readClientMessage(line);
      } catch (error) {
        if (error instanceof SyntaxError) continue;
        throw error;
      }
    }
    return null;
  }

  clear(): void {
    this.buffer = undefined;
  }
}

/**
 * Gives the SDK's stdio transport the read buffer above, before it starts; everything else about
 * the transport (stdin end, stdout errors, drain, close) stays the SDK's. Returns false, leaving
 * the transport as it was, when the SDK no longer has the buffer this replaces (the SDK is pinned
 * exactly; line-reader.test.ts fails if that changes).
 */
export function usePlainReader(transport: StdioServerTransport): boolean {
  const fields = transport as unknown as { _readBuffer?: { readMessage?: unknown } };
  if (typeof fields._readBuffer?.readMessage !== "function") return false;
  (fields as { _readBuffer: PlainReadBuffer })._readBuffer = new PlainReadBuffer();
  return true;
}
