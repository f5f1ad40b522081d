import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { VoidError, type VoidErrorCode } from "../core/index.js";
import { toolFailure, toProtocolError } from "./errors.js";

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("toProtocolError", () => {
  it("uses the JSON-RPC codes of the spec", () => {
    expect(ProtocolErrorCode.InvalidParams).toBe(-32602);
    expect(ProtocolErrorCode.InternalError).toBe(-32603);
  });

  const voidCases: Array<{ code: VoidErrorCode; rpc: number }> = [
    { code: "not_found", rpc: -32602 },
    { code: "usage", rpc: -32602 },
    { code: "registry_invalid", rpc: -32603 },
    { code: "registry_io", rpc: -32603 },
    { code: "conflict", rpc: -32603 },
    { code: "upstream_unavailable", rpc: -32603 },
    { code: "timeout", rpc: -32603 },
    { code: "internal", rpc: -32603 },
  ];
  it.each(voidCases)("maps $code to $rpc with message and hint", ({ code, rpc }) => {
    const error = toProtocolError(new VoidError(code, `something ${code}`, { hint: "do this" }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe(rpc);
    expect(error.message).toBe(`something ${code} (do this)`);
  });

  it("passes an upstream's JSON-RPC code, message and data through", () => {
    const data = { field: "a", reason: ["missing"] };
    const error = toProtocolError(
      new VoidError("upstream_error", "Invalid arguments for tool add", {
        details: { rpcCode: -32602, rpcData: data, server: "math" },
      }),
    );
    expect(error.code).toBe(-32602);
    expect(error.message).toBe("Invalid arguments for tool add");
    expect(error.data).toEqual(data);
  });

  it("passes a server-defined upstream code through", () => {
    const error = toProtocolError(
      new VoidError("upstream_error", "rate limited", { details: { rpcCode: -32000 } }),
    );
    expect(error.code).toBe(-32000);
    expect(error.message).toBe("rate limited");
    expect(error.data).toBeUndefined();
  });

  it("maps an upstream_error without an rpcCode to InternalError", () => {
    const error = toProtocolError(
      new VoidError("upstream_error", "call was cancelled", { details: { rpcCode: "-32602" } }),
    );
    expect(error.code).toBe(-32603);
    expect(error.message).toBe("call was cancelled");
  });

  it("returns a ProtocolError as it is", () => {
    const original = new ProtocolError(-32601, "Method not found", { x: 1 });
    expect(toProtocolError(original)).toBe(original);
  });

  const unknown: Array<{ what: string; thrown: unknown; message: string }> = [
    { what: "an Error", thrown: new TypeError("x is undefined"), message: "x is undefined" },
    { what: "a string", thrown: "boom", message: "boom" },
    { what: "undefined", thrown: undefined, message: "undefined" },
    { what: "an object", thrown: { a: 1 }, message: "[object Object]" },
  ];
  it.each(unknown)("maps $what to InternalError", ({ thrown, message }) => {
    const error = toProtocolError(thrown);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe(-32603);
    expect(error.message).toBe(message);
  });
});

describe("toolFailure", () => {
  const resultCases: Array<{ error: VoidError; text: string }> = [
    {
      error: new VoidError("upstream_unavailable", 'server "math" is starting'),
      text: 'server "math" is starting',
    },
    {
      error: new VoidError("timeout", 'tool "add" on server "math" did not answer within 50 ms', {
        hint: 'raise "timeoutMs"',
      }),
      text: 'tool "add" on server "math" did not answer within 50 ms (raise "timeoutMs")',
    },
    {
      error: new VoidError("upstream_error", 'tool "add" on server "math" was cancelled'),
      text: 'tool "add" on server "math" was cancelled',
    },
  ];
  it.each(resultCases)("turns $error.code into an isError result", ({ error, text }) => {
    expect(toolFailure(error)).toEqual({ content: [{ type: "text", text }], isError: true });
  });

  const thrownCases: Array<{ what: string; error: unknown; rpc: number; message: string }> = [
    {
      what: "not_found",
      error: new VoidError("not_found", 'no tool "x"'),
      rpc: -32602,
      message: 'no tool "x"',
    },
    { what: "usage", error: new VoidError("usage", "bad arguments"), rpc: -32602, message: "bad arguments" },
    {
      what: "upstream_error with a code",
      error: new VoidError("upstream_error", "Invalid params", { details: { rpcCode: -32602 } }),
      rpc: -32602,
      message: "Invalid params",
    },
    { what: "internal", error: new VoidError("internal", "bug"), rpc: -32603, message: "bug" },
    { what: "a plain Error", error: new Error("oops"), rpc: -32603, message: "oops" },
  ];
  it.each(thrownCases)("throws a protocol error for $what", ({ error, rpc, message }) => {
    const thrown = caught(() => toolFailure(error));
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).code).toBe(rpc);
    expect((thrown as ProtocolError).message).toBe(message);
  });

  it("passes the upstream's data through when it throws", () => {
    const thrown = caught(() =>
      toolFailure(new VoidError("upstream_error", "bad", { details: { rpcCode: -32001, rpcData: [1, 2] } })),
    );
    expect((thrown as ProtocolError).data).toEqual([1, 2]);
  });
});
