import { createLogger, describeError, VoidError } from "../../core/index.js";
import { type HttpEndpoint, type StdioSession, serveHttp, serveStdio } from "../../downstream/index.js";
import { Gateway } from "../../gateway/index.js";
import { loadToken } from "../../gateway/token.js";
import { emptyRegistry, loadRegistryWithText, type Registry, watchRegistry } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION } from "../command.js";
import { registryPathFrom } from "../shared.js";
import { VERSION } from "../version.js";

/** How long calls in progress may take to finish when the gateway is asked to stop. */
const SHUTDOWN_GRACE_MS = 3_000;
export const DEFAULT_HTTP_PORT = 7_420;

function positiveMs(raw: unknown, option: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new VoidError("usage", `${option} must be a positive number of milliseconds, not "${String(raw)}"`);
  }
  return value;
}

function portFrom(raw: unknown): number {
  if (raw === undefined) return DEFAULT_HTTP_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new VoidError("usage", `--port must be a port number (0-65535), not "${String(raw)}"`);
  }
  return port;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "run the gateway over stdio (what your IDE starts)",
  usage: "serve [--http [--port N] [--host H] [--no-auth] [--stdio]] [options]",
  details: `Serves every registered server through one MCP endpoint on stdin/stdout. Upstreams start in
the background; the first tools/list waits briefly for them. Edits of the registry file (by hand
or with voidmcp add/remove) take effect within a second: only the servers that changed restart,
and clients are told with list_changed. A broken edit changes nothing and is reported. Servers
that crash or drop are restarted with backoff. Logs go to stderr
(VOIDMCP_LOG_LEVEL=debug|info|warn|error). Stops, with every upstream process, when stdin
closes or on SIGINT/SIGTERM, after giving calls in progress ${SHUTDOWN_GRACE_MS / 1000} s to finish.

With --http it serves Streamable HTTP at http://127.0.0.1:${DEFAULT_HTTP_PORT}/mcp instead (add --stdio to
serve both). Clients must send "Authorization: Bearer <token>" (see \`voidmcp token\`) unless
--no-auth is given; requests with a foreign Host or Origin are refused.

An IDE entry looks like: { "command": "voidmcp", "args": ["serve"] }`,
  options: [
    { name: "http", type: "boolean", description: "serve Streamable HTTP at /mcp instead of stdio" },
    {
      name: "port",
      type: "string",
      value: "N",
      description: `HTTP port (default ${DEFAULT_HTTP_PORT}; 0 picks a free one)`,
    },
    { name: "host", type: "string", value: "H", description: "HTTP address to bind (default 127.0.0.1)" },
    { name: "no-auth", type: "boolean", description: "accept HTTP requests without the bearer token" },
    { name: "stdio", type: "boolean", description: "with --http, also serve stdio" },
    {
      name: "session-timeout",
      type: "string",
      value: "MS",
      description: "end HTTP sessions idle this long without DELETE (default 1800000)",
    },
    CONFIG_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new VoidError("usage", `unexpected arguments: ${args.positionals.join(" ")}`);
    const log = createLogger({ write: (line) => io.err(line) });
    const path = registryPathFrom(args, io);
    let registry: Registry;
    let text: string | undefined;
    let registryError: string | undefined;
    try {
      ({ registry, text } = await loadRegistryWithText(path));
    } catch (error) {
      // A broken registry must not keep the IDE from connecting: serve nothing, say why, and
      // pick the file up as soon as it is fixed.
      registryError = describeError(error);
      log.error(registryError);
      registry = emptyRegistry(path);
    }
    const gateway = new Gateway({
      registry,
      log,
      version: VERSION,
      env: io.env,
      heal: true,
      ...(registryError ? { registryError } : {}),
    });
    gateway.startWithFirstClient(args.options.http === true);
    const watcher = watchRegistry(
      registry.path,
      {
        onRegistry: (next) => gateway.applyRegistry(next),
        onProblem: (error) => gateway.registryProblem(error ? describeError(error) : undefined),
      },
      { initialText: text },
    );
    const http = args.options.http === true;
    const stdio = !http || args.options.stdio === true;
    if (
      !http &&
      (args.options.port !== undefined || args.options.host !== undefined || args.options["no-auth"] === true)
    ) {
      watcher.close();
      await gateway.close();
      throw new VoidError("usage", "--port, --host, --no-auth and --session-timeout need --http");
    }
    let endpoint: HttpEndpoint | undefined;
    let session: StdioSession | undefined;
    let stopRequested: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stopRequested = resolve;
    });
    try {
      if (http) {
        const token = args.options["no-auth"] === true ? undefined : await loadToken(registry.path, io.env);
        endpoint = await serveHttp(gateway, {
          host: typeof args.options.host === "string" ? args.options.host : "127.0.0.1",
          port: portFrom(args.options.port),
          token: token?.value,
          ...(args.options["session-timeout"] !== undefined
            ? { sessionIdleMs: positiveMs(args.options["session-timeout"], "--session-timeout") }
            : {}),
          log,
        });
        const auth = token
          ? `bearer token ${token.source === "env" ? "from VOIDMCP_TOKEN" : `in ${token.path} (voidmcp token)`}`
          : "no auth (--no-auth)";
        io.err(`voidmcp: serving ${registry.servers.length} server(s) at ${endpoint.url} (${auth})`);
      }
      if (stdio) {
        log.info(`serving ${registry.servers.length} server(s) from ${registry.path} over stdio`);
        session = await serveStdio(gateway);
        // With stdio, the client going away ends the gateway.
        void session.closed.then(() => stopRequested());
      }
    } catch (error) {
      watcher.close();
      await gateway.close();
      throw error;
    }
    const stop = () => stopRequested();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await stopped;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    watcher.close();
    await session?.close();
    await endpoint?.close();
    await gateway.close(SHUTDOWN_GRACE_MS);
    return 0;
  },
};
