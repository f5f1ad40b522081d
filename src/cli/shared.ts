import { createLogger, type Logger, parseLogLevel, VoidError } from "../core/index.js";
import { DEFAULT_HTTP_PORT, Gateway } from "../gateway/index.js";
import { loadRegistry, type Registry, resolveRegistryPath } from "../registry/index.js";
import type { ParsedArgs } from "./args.js";
import type { Io } from "./io.js";
import { VERSION } from "./version.js";

export const DEFAULT_WAIT_MS = 15_000;
const CONNECT_GRACE_MS = 5_000;

/**
 * `--port`, checked: the port of `serve --http` (default DEFAULT_HTTP_PORT). `lowest` is 0 where
 * "any free port" makes sense (serve), 1 where a real port must be named (init writes a URL).
 * Throws VoidError("usage").
 */
export function portFrom(raw: unknown, lowest: 0 | 1): number {
  if (raw === undefined) return DEFAULT_HTTP_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < lowest || port > 65_535) {
    throw new VoidError("usage", `--port must be a port number (${lowest}-65535), not "${String(raw)}"`);
  }
  return port;
}

export function registryPathFrom(args: ParsedArgs, io: Io): string {
  const flag = args.options.config;
  return resolveRegistryPath({
    ...(typeof flag === "string" ? { flag } : {}),
    env: io.env,
    cwd: io.cwd,
  });
}

export function loadRegistryFrom(args: ParsedArgs, io: Io): Promise<Registry> {
  return loadRegistry(registryPathFrom(args, io));
}

export function waitMsFrom(args: ParsedArgs): number {
  const raw = args.options.timeout;
  if (raw === undefined) return DEFAULT_WAIT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new VoidError("usage", `--timeout must be a positive number of milliseconds, not "${String(raw)}"`);
  }
  return value;
}

/**
 * Logs for one-shot commands: upstream chatter (their stderr) stays quiet unless asked for with
 * VOIDMCP_LOG_LEVEL, because the command reports what matters itself.
 */
export function commandLogger(io: Io): Logger {
  return createLogger({
    level: parseLogLevel(io.env.VOIDMCP_LOG_LEVEL, "error"),
    write: (line) => io.err(line),
  });
}

/** Starts a gateway over (a subset of) the registry and waits for it; the caller closes it. */
export async function startGateway(
  registry: Registry,
  io: Io,
  waitMs: number,
  only?: (name: string) => boolean,
): Promise<Gateway> {
  const scoped: Registry = only
    ? { ...registry, servers: registry.servers.filter((s) => only(s.name)) }
    : registry;
  const gateway = new Gateway({
    registry: scoped,
    log: commandLogger(io),
    version: VERSION,
    env: io.env,
    // Longer than the wait: a server still starting when the wait ends is then always reported as
    // starting, instead of racing its own connect timeout (which kills it and reports a failure).
    connectTimeoutMs: waitMs + CONNECT_GRACE_MS,
  });
  gateway.start();
  await gateway.whenSettled(waitMs);
  return gateway;
}

export function requireServer(registry: Registry, name: string): void {
  if (registry.servers.some((s) => s.name === name)) return;
  const known = registry.servers.map((s) => s.name);
  throw new VoidError("not_found", `no server named "${name}" in ${registry.path}`, {
    hint: known.length > 0 ? `registered: ${known.join(", ")}` : "add one with `voidmcp add`",
  });
}
