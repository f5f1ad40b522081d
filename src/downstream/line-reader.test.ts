import { PassThrough } from "node:stream";
import { deserializeMessage, type JSONRPCMessage, ReadBuffer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { describe, expect, it } from "vitest";
import { PlainReadBuffer, readClientMessage, usePlainReader } from "./line-reader.js";

/** Lines a client may send, valid and not: each is read by both readers and must come out the same. */
const LINES: readonly string[] = [
  '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"fx__echo","arguments":{"text":"hi"}}}',
  '{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"t","arguments":{"__proto__":{"x":1}}}}',
  '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"t","_meta":{"progressToken":5}}}',
  '{"jsonrpc":"2.0","id":3,"method":"ping"}',
  '{"jsonrpc":"2.0","method":"notifications/initialized"}',
  '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"x"}}',
  '{"jsonrpc":"2.0","id":4,"result":{}}',
  '{"jsonrpc":"2.0","id":4,"result":{"action":"accept","content":{"a":1}}}',
  '{"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no"}}',
  '{"jsonrpc":"2.0","id":6,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}',
  // Not JSON-RPC: both throw.
  '{"jsonrpc":"1.0","id":1,"method":"x"}',
  '{"jsonrpc":"2.0","id":1.5,"method":"x"}',
  '{"jsonrpc":"2.0","id":null,"method":"x"}',
  '{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}',
  '{"jsonrpc":"2.0","method":"x","extra":1}',
  '{"jsonrpc":"2.0","id":1,"method":"x","extra":1}',
  "[]",
  '"text"',
  "null",
  // Not JSON: both throw SyntaxError.
  "{not json",
  "",
];

const outcome = (read: () => unknown) => {
  try {
    return { value: JSON.stringify(read()) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
};

describe("readClientMessage", () => {
  it.each(LINES.map((line) => [line]))("%s: as the SDK reads it", (line) => {
    expect(outcome(() => readClientMessage(line))).toEqual(outcome(() => deserializeMessage(line)));
  });
});

/** Everything a reader yields for `chunks`, errors included, until it has nothing more. */
function drain(
  reader: { append(chunk: Buffer): void; readMessage(): JSONRPCMessage | null },
  chunks: Buffer[],
) {
  const out: string[] = [];
  for (const chunk of chunks) {
    try {
      reader.append(chunk);
    } catch (error) {
      out.push(`append: ${(error as Error).message}`);
      continue;
    }
    for (;;) {
      try {
        const message = reader.readMessage();
        if (message === null) break;
        out.push(JSON.stringify(message));
      } catch (error) {
        out.push(`error: ${(error as Error).name}`);
      }
    }
  }
  return out;
}

describe("PlainReadBuffer", () => {
  const all = Buffer.from(LINES.map((line, i) => (i % 3 === 0 ? `${line}\r\n` : `${line}\n`)).join(""));

  it("yields what the SDK's read buffer yields, in one chunk and split anywhere", () => {
    expect(drain(new PlainReadBuffer(), [all])).toEqual(drain(new ReadBuffer(), [all]));
    for (const size of [1, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < all.length; at += size) chunks.push(all.subarray(at, at + size));
      expect(drain(new PlainReadBuffer(), chunks)).toEqual(drain(new ReadBuffer(), chunks));
    }
  });

  it("refuses to buffer past its limit, as the SDK's does", () => {
    const chunks = [Buffer.from('{"jsonrpc":'), Buffer.alloc(40, 32), Buffer.from('"2.0","method":"x"}\n')];
    const ours = drain(new PlainReadBuffer(32), chunks);
    expect(ours).toEqual(drain(new ReadBuffer({ maxBufferSize: 32 }), chunks));
    expect(ours[0]).toMatch(/exceeded maximum size of 32 bytes/);
  });
});

describe("usePlainReader", () => {
  it("takes over the read buffer of the SDK's stdio transport, which still delivers every message", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const transport = new StdioServerTransport(stdin, stdout);
    expect(usePlainReader(transport)).toBe(true);
    const seen: JSONRPCMessage[] = [];
    const errors: string[] = [];
    transport.onmessage = (message) => seen.push(message);
    transport.onerror = (error) => errors.push(error.name);
    await transport.start();
    stdin.write(`${LINES[0]}\n${LINES[2]}\n{not json\n${LINES[10]}\n${LINES[3]}`);
    stdin.write("\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.map((m) => ("id" in m ? m.id : undefined))).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);
    await transport.close();
  });
});
