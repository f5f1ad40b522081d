import { deserializeMessage, type JSONRPCMessage } from "@modelcontextprotocol/client";
import { isPlainMessage } from "../core/index.js";

export { isPlainMessage };

/**
 * One line from an upstream as a JSON-RPC message: parsed once, and the common shapes passed
 * through without the SDK's schema copying them (a tools/call result, however large, is walked
 * by one cheap check); every other message goes through the SDK's own deserializeMessage, so
 * what is accepted, rejected or normalised is exactly what the SDK does. Throws SyntaxError for
 * text that is not JSON, and the SDK's error for JSON that is not JSON-RPC.
 */
export function readMessage(line: string): JSONRPCMessage {
  const value: unknown = JSON.parse(line);
  return isPlainMessage(value) ? (value as JSONRPCMessage) : deserializeMessage(line);
}
