import { createLogger, VoidError } from "../../core/index.js";
import { DEFAULT_HTTP_PORT, SHUTDOWN_GRACE_MS, serve } from "../../gateway/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION } from "../command.js";
import { portFrom, registryPathFrom } from "../shared.js";
import { VERSION } from "../version.js";

function positiveMs(raw: unknown, option: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new VoidError("usage", `${option} must be a positive number of milliseconds, not "${String(raw)}"`);
  }
  return value;
}

function profileFrom(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || raw === "")
    throw new VoidError("usage", "--profile needs the name of a profile");
  return raw;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "run the gateway over stdio (what your IDE starts)",
  usage: "serve [--profile NAME] [--http [--port N] [--host H] [--no-auth] [--stdio]] [options]",
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

With --profile NAME only that profile of the registry is served (its servers, tools and exposure;
see "profiles" in the README), over stdio and at /mcp; over HTTP every profile is also served at
/mcp/NAME with the same token. An unknown profile is an error (exit 2), never an empty gateway.

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
      name: "profile",
      type: "string",
      value: "NAME",
      description: "serve only this profile of the registry (its servers and tools)",
    },
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
    const http = args.options.http === true;
    if (
      !http &&
      (args.options.port !== undefined ||
        args.options.host !== undefined ||
        args.options["no-auth"] === true ||
        args.options["session-timeout"] !== undefined)
    ) {
      throw new VoidError("usage", "--port, --host, --no-auth and --session-timeout need --http");
    }
    const profile = profileFrom(args.options.profile);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const serving = await serve({
        registryPath: registryPathFrom(args, io),
        version: VERSION,
        env: io.env,
        log: createLogger({ write: (line) => io.err(line) }),
        stdio: !http || args.options.stdio === true,
        ...(http
          ? {
              http: {
                host: typeof args.options.host === "string" ? args.options.host : "127.0.0.1",
                port: portFrom(args.options.port, 0),
                auth: args.options["no-auth"] !== true,
                ...(args.options["session-timeout"] !== undefined
                  ? { sessionIdleMs: positiveMs(args.options["session-timeout"], "--session-timeout") }
                  : {}),
              },
            }
          : {}),
        stop: stop.signal,
        ...(profile !== undefined ? { profile } : {}),
      });
      if (serving.http) {
        io.err(`voidmcp: serving ${serving.servers} server(s) at ${serving.http.url} (${serving.http.auth})`);
      }
      await serving.done;
      return 0;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};
