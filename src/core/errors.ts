/**
 * The one error family of voidmcp. Every failure a user can meet is a VoidError with a literal
 * `code`; the CLI maps codes to exit codes (`exitCodeFor`) and the downstream server maps them to
 * MCP errors. Messages say what was wrong and where; `hint` says what to do about it.
 */
export type VoidErrorCode =
  | "usage" // wrong CLI usage or arguments
  | "registry_invalid" // the registry file cannot be parsed or breaks the schema
  | "registry_io" // the registry file cannot be read or written
  | "not_found" // unknown server, tool, resource or prompt
  | "conflict" // a name that is already taken
  | "upstream_unavailable" // the upstream is not connected (starting, failed, disabled)
  | "upstream_error" // the upstream answered with a protocol error
  | "timeout" // a call took longer than its timeout
  | "denied" // the registry's policy, or the person asked, refused a call
  | "credentials" // the credential store cannot be read or written, or holds no such secret
  | "internal"; // a bug in voidmcp

export interface VoidErrorOptions {
  readonly hint?: string;
  readonly cause?: unknown;
  /** Machine-readable facts for whoever maps the error (for example the upstream's JSON-RPC code). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class VoidError extends Error {
  override readonly name = "VoidError";
  readonly code: VoidErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: VoidErrorCode, message: string, options: VoidErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

export function isVoidError(value: unknown): value is VoidError {
  return value instanceof VoidError;
}

/** Process exit code for a failure: 2 for usage errors, 1 for everything else. */
export function exitCodeFor(code: VoidErrorCode): number {
  return code === "usage" ? 2 : 1;
}

/** One line for a human: the message, then the hint when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof VoidError) {
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A JSON-RPC error object, as it goes on the wire. */
export interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

/**
 * The one mapping from a failure to a JSON-RPC error, for every MCP peer voidmcp answers (its
 * clients, and upstreams whose requests it relays). Unknown names and bad arguments are the
 * caller's mistake (invalid params); an upstream's or client's own JSON-RPC error keeps its code,
 * message and data; everything else is an internal error with a message that says what happened.
 */
export function rpcErrorOf(error: unknown): RpcError {
  if (!(error instanceof VoidError)) return { code: INTERNAL_ERROR, message: describeError(error) };
  switch (error.code) {
    case "not_found":
    case "usage":
      return { code: INVALID_PARAMS, message: describeError(error) };
    case "upstream_error": {
      const rpcCode = error.details.rpcCode;
      return {
        code: typeof rpcCode === "number" ? rpcCode : INTERNAL_ERROR,
        message: error.message,
        ...(error.details.rpcData !== undefined ? { data: error.details.rpcData } : {}),
      };
    }
    case "registry_invalid":
    case "registry_io":
    case "conflict":
    case "upstream_unavailable":
    case "timeout":
    case "denied":
    case "credentials":
    case "internal":
      return { code: INTERNAL_ERROR, message: describeError(error) };
    default: {
      const exhaustive: never = error.code;
      return exhaustive;
    }
  }
}
