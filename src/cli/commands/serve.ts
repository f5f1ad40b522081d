import { createLogger, describeError, VoidError } from "../../core/index.js";
import { serveStdio } from "../../downstream/index.js";
import { Gateway } from "../../gateway/index.js";
import { emptyRegistry, loadRegistry, type Registry } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION } from "../command.js";
import { registryPathFrom } from "../shared.js";
import { VERSION } from "../version.js";

export const serveCommand: Command = {
  name: "serve",
  summary: "run the gateway over stdio (what your IDE starts)",
  usage: "serve [options]",
  details: `Serves every registered server through one MCP endpoint on stdin/stdout. Upstreams start in
the background; the first tools/list waits briefly for them. Logs go to stderr
(VOIDMCP_LOG_LEVEL=debug|info|warn|error). Stops, with every upstream process, when stdin
closes or on SIGINT/SIGTERM.

An IDE entry looks like: { "command": "voidmcp", "args": ["serve"] }`,
  options: [CONFIG_OPTION, HELP_OPTION],
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new VoidError("usage", `unexpected arguments: ${args.positionals.join(" ")}`);
    const log = createLogger({ write: (line) => io.err(line) });
    const path = registryPathFrom(args, io);
    let registry: Registry;
    let registryError: string | undefined;
    try {
      registry = await loadRegistry(path);
    } catch (error) {
      // A broken registry must not keep the IDE from connecting: serve nothing and say why.
      registryError = describeError(error);
      log.error(registryError);
      registry = emptyRegistry(path);
    }
    const gateway = new Gateway({
      registry,
      log,
      version: VERSION,
      env: io.env,
      ...(registryError ? { registryError } : {}),
    });
    gateway.start();
    log.info(`serving ${registry.servers.length} server(s) from ${path} over stdio`);
    const session = await serveStdio(gateway);
    const stop = () => void session.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await session.closed;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await gateway.close();
    return 0;
  },
};
