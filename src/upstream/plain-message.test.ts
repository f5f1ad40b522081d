import { deserializeMessage } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { isPlainMessage, readMessage } from "./plain-message.js";

// Each case is checked against the SDK itself: a message taken as plain must be one the SDK's
// schema accepts and returns unchanged.
const PLAIN: unknown[] = [
  { jsonrpc: "2.0", id: 1, result: {} },
  { jsonrpc: "2.0", id: "a", result: { content: [{ type: "text", text: "x" }], isError: false } },
  { jsonrpc: "2.0", id: 7, result: { tools: [{ name: "t", inputSchema: { type: "object" } }], extra: 1 } },
  { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "x" } } },
  { jsonrpc: "2.0", id: 3, method: "ping" },
  { jsonrpc: "2.0", method: "notifications/tools/list_changed" },
  { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "hi" } },
];

const NOT_PLAIN: unknown[] = [
  // Left to the SDK: shapes it normalises or checks more closely.
  { jsonrpc: "2.0", id: 1, result: { _meta: { progressToken: 1 } } },
  { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: { progressToken: "p" } } },
  { jsonrpc: "2.0", id: 1, error: { code: -32601, message: "no" } },
  // Invalid: the SDK rejects them.
  { jsonrpc: "1.0", id: 1, result: {} },
  { jsonrpc: "2.0", id: 1.5, result: {} },
  { jsonrpc: "2.0", id: null, result: {} },
  { jsonrpc: "2.0", id: 1, result: [] },
  { jsonrpc: "2.0", id: 1, result: null },
  { jsonrpc: "2.0", id: 1, result: {}, extra: true },
  { jsonrpc: "2.0", id: 1, method: 5 },
  { jsonrpc: "2.0", id: 1, method: "x", params: [1] },
  { jsonrpc: "2.0", method: "x", extra: 1 },
  { jsonrpc: "2.0", id: {}, method: "x" },
  [],
  "text",
  null,
];

describe("isPlainMessage", () => {
  it.each(PLAIN.map((message) => [JSON.stringify(message), message]))(
    "passes %s through as the SDK would",
    (line, message) => {
      expect(isPlainMessage(message)).toBe(true);
      expect(deserializeMessage(line)).toEqual(message);
      expect(readMessage(line)).toEqual(message);
    },
  );

  it.each(NOT_PLAIN.map((message) => [JSON.stringify(message), message]))(
    "leaves %s to the SDK",
    (line, message) => {
      expect(isPlainMessage(message)).toBe(false);
      let sdk: unknown;
      let sdkError: unknown;
      try {
        sdk = deserializeMessage(line);
      } catch (error) {
        sdkError = error;
      }
      if (sdkError === undefined) expect(readMessage(line)).toEqual(sdk);
      else expect(() => readMessage(line)).toThrow();
    },
  );

  it("throws SyntaxError for text that is not JSON", () => {
    expect(() => readMessage("not json")).toThrow(SyntaxError);
  });
});
