import { createLogger, describeError, VoidError } from "../../core/index.js";
import { serveStdio } from "../../downstream/index.js";
import { Gateway } from "../../gateway/index.js";
import { emptyRegistry, loadRegistryWithText, type Registry, watchRegistry } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION } from "../command.js";
import { registryPathFrom } from "../shared.js";
import { VERSION } from "../version.js";

/** How long calls in progress may take to finish when the gateway is asked to stop. */
const SHUTDOWN_GRACE_MS = 3_000;

export const serveCommand: Command = {
  name: "serve",
  summary: "run the gateway over stdio (what your IDE starts)",
  usage: "serve [options]",
  details: `Serves every registered server through one MCP endpoint on stdin/stdout. Upstreams start in
the background; the first tools/list waits briefly for them. Edits of the registry file (by hand
or with voidmcp add/remove) take effect within a second: only the servers that changed restart,
and clients are told with list_changed. A broken edit changes nothing and is reported. Servers
that crash or drop are restarted with backoff. Logs go to stderr
(VOIDMCP_LOG_LEVEL=debug|info|warn|error). Stops, with every upstream process, when stdin
closes or on SIGINT/SIGTERM, after giving calls in progress ${SHUTDOWN_GRACE_MS / 1000} s to finish.

An IDE entry looks like: { "command": "voidmcp", "args": ["serve"] }`,
  options: [CONFIG_OPTION, HELP_OPTION],
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
    gateway.start();
    const watcher = watchRegistry(
      registry.path,
      {
        onRegistry: (next) => gateway.applyRegistry(next),
        onProblem: (error) => gateway.registryProblem(error ? describeError(error) : undefined),
      },
      { initialText: text },
    );
    log.info(`serving ${registry.servers.length} server(s) from ${registry.path} over stdio`);
    const session = await serveStdio(gateway);
    const stop = () => void session.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await session.closed;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    watcher.close();
    await gateway.close(SHUTDOWN_GRACE_MS);
    return 0;
  },
};
