import type { SandboxHost } from "./types.js";

/**
 * The gateway's side of a worker's tool calls and searches: JSON text from the sandbox in, the
 * real SandboxHost called, JSON text back. A rejection's message is what the script will see.
 */

/** JSON text of the tool's result; undefined when it returned nothing (or nothing JSON can say). */
export async function callToolJson(
  host: SandboxHost,
  server: string,
  tool: string,
  argsJson: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  let args: unknown;
  try {
    args = JSON.parse(argsJson);
  } catch {
    args = {};
  }
  // Inside a promise: a host that throws synchronously, or resolves with something that is not
  // JSON (a cycle), fails this call and nothing else.
  const value = await new Promise<unknown>((resolve) => resolve(host.callTool(server, tool, args, signal)));
  return value === undefined ? undefined : JSON.stringify(value);
}

export async function searchJson(host: SandboxHost, requestJson: string): Promise<string> {
  let request: { query?: unknown; options?: unknown } = {};
  try {
    request = (JSON.parse(requestJson) as typeof request | null) ?? {};
  } catch {
    // an unreadable request searches for nothing
  }
  const value = await host.search(String(request.query ?? ""), request.options ?? {});
  return JSON.stringify(value ?? null);
}

/** The text a script sees for a failed host operation. */
export function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
