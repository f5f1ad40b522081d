import { Client, InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPlainToolResult, relayedToolResultSchema } from "./plain-result.js";

const text = (t: string) => ({ type: "text", text: t });

/** Results an upstream may send, and whether the fast path may take them as they are. */
const RESULTS: ReadonlyArray<[string, unknown, boolean]> = [
  ["one text block", { content: [text("hi")] }, true],
  ["empty content", { content: [] }, true],
  ["isError", { content: [text("no")], isError: true }, true],
  ["structured", { content: [text("{}")], structuredContent: { a: 1, b: [1, { c: null }] } }, true],
  ["all keys", { content: [text("x")], structuredContent: {}, isError: false }, true],
  ["keys out of order", { isError: false, content: [text("x")] }, false],
  ["text keys out of order", { content: [{ text: "x", type: "text" }] }, false],
  ["text with annotations", { content: [{ type: "text", text: "x", annotations: { priority: 1 } }] }, false],
  ["text with an unknown key", { content: [{ type: "text", text: "x", extra: 1 }] }, false],
  ["image", { content: [{ type: "image", data: "aGk=", mimeType: "image/png" }] }, false],
  ["_meta", { content: [text("x")], _meta: { a: 1 } }, false],
  ["unknown top-level key", { content: [text("x")], extra: true }, false],
  ["no content", { isError: false }, false],
  ["no content at all", {}, false],
  ["content not an array", { content: "x" }, false],
  ["text not a string", { content: [{ type: "text", text: 3 }] }, false],
  ["isError not a boolean", { content: [], isError: "yes" }, false],
  ["structuredContent an array", { content: [], structuredContent: [1] }, false],
  [
    "structuredContent with __proto__",
    { content: [], structuredContent: JSON.parse('{"__proto__":{"x":1}}') },
    false,
  ],
  ["a list result", { tools: [] }, false],
];

describe("isPlainToolResult", () => {
  it.each(RESULTS)("%s → %s", (_name, result, plain) => {
    expect(isPlainToolResult(result)).toBe(plain);
  });
});

/**
 * A real SDK client against a raw JSON-RPC peer that answers each tools/call with the result the
 * tool's name picks from RESULTS, byte for byte (a real MCP server would check its own results).
 */
describe("relayedToolResultSchema", () => {
  let client: Client;
  beforeAll(async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    serverSide.onmessage = (message: JSONRPCMessage) => {
      if (!("id" in message) || !("method" in message)) return;
      const result =
        message.method === "initialize"
          ? {
              protocolVersion: "2025-11-25",
              capabilities: { tools: {} },
              serverInfo: { name: "raw", version: "1" },
            }
          : RESULTS[Number((message.params as { name: string }).name)]?.[1];
      void serverSide.send(JSON.parse(JSON.stringify({ jsonrpc: "2.0", id: message.id, result })));
    };
    await serverSide.start();
    client = new Client({ name: "test", version: "1" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client.close();
  });

  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );

  it("exists for a 2025-11-25 connection", () => {
    expect(relayedToolResultSchema(client)).toBeDefined();
  });

  it.each(RESULTS.map(([name], index) => [name, index] as const))(
    "%s: the same value or error as the SDK's own check",
    async (_name, index) => {
      const request = { method: "tools/call" as const, params: { name: String(index) } };
      const schema = relayedToolResultSchema(client);
      if (!schema) throw new Error("no schema");
      const fast = await outcome(client.request(request, schema));
      const sdk = await outcome(client.request(request));
      expect(fast).toEqual(sdk);
      // Same bytes on the wire onward: key order included.
      expect(JSON.stringify(fast)).toBe(JSON.stringify(sdk));
    },
  );
});
