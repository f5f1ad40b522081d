import { type CallToolResult, ProtocolError } from "@modelcontextprotocol/server";
import { describeError, isVoidError, rpcErrorOf } from "../core/index.js";

/**
 * The one place where a failure becomes an MCP answer.
 * - Unknown names and bad arguments are the client's mistake: JSON-RPC errors.
 * - An upstream's own JSON-RPC error passes through with its code and message.
 * - An upstream that is down, slow or failing, or a call the policy refused, is news for the
 *   model: an `isError` result.
 */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const { code, message, data } = rpcErrorOf(error);
  return new ProtocolError(code, message, data);
}

/** A tool call's failure as the client should see it (see toProtocolError for the rules). */
export function toolFailure(error: unknown): CallToolResult {
  if (
    isVoidError(error) &&
    (error.code === "upstream_unavailable" || error.code === "timeout" || error.code === "denied")
  ) {
    return { content: [{ type: "text", text: describeError(error) }], isError: true };
  }
  if (isVoidError(error) && error.code === "upstream_error" && typeof error.details.rpcCode !== "number") {
    return { content: [{ type: "text", text: describeError(error) }], isError: true };
  }
  throw toProtocolError(error);
}
