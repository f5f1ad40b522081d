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
  const value = await new Promise<unknown>((resolve) => resolve(dispatch(host, server, tool, args, signal)));
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * The "servers" of the prelude's `resources` and `prompts` objects. No registered server can
 * have these names (a server name never starts with ":"), so they never shadow a real tool.
 */
export const HOST_SERVERS = { resources: ":resources", prompts: ":prompts", results: ":results" } as const;

function dispatch(host: SandboxHost, server: string, tool: string, args: unknown, signal: AbortSignal) {
  const input = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  const missing = (what: string) => Promise.reject(new Error(`${what} is not available in this sandbox`));
  if (server === HOST_SERVERS.resources && tool === "read") {
    return host.readResource ? host.readResource(String(input.uri ?? ""), signal) : missing("resources.read");
  }
  if (server === HOST_SERVERS.resources && tool === "list") {
    return host.listResources ? host.listResources(signal) : missing("resources.list");
  }
  if (server === HOST_SERVERS.prompts && tool === "get") {
    if (!host.getPrompt) return missing("prompts.get");
    const raw = (
      typeof input.arguments === "object" && input.arguments !== null ? input.arguments : {}
    ) as Record<string, unknown>;
    const promptArgs = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return host.getPrompt(String(input.server ?? ""), String(input.name ?? ""), promptArgs, signal);
  }
  if (server === HOST_SERVERS.results && tool === "get") {
    return host.getResult ? host.getResult(String(input.handle ?? ""), signal) : missing("results.get");
  }
  return host.callTool(server, tool, args, signal);
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
