import { VoidError } from "../../core/index.js";
import type { ServerReport } from "../../gateway/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION, TIMEOUT_OPTION } from "../command.js";
import { formatTable, printJson } from "../io.js";
import { loadRegistryFrom, startGateway, waitMsFrom } from "../shared.js";

function detail(server: ServerReport): string {
  switch (server.state) {
    case "ready":
      return `${server.serverInfo ? `${server.serverInfo.name} ${server.serverInfo.version}, ` : ""}started in ${server.startMs ?? "?"} ms`;
    case "failed":
      return server.error ?? "failed";
    case "needs-auth":
      return server.error ?? `needs sign-in: run \`voidmcp auth ${server.name}\``;
    case "starting":
      return "did not finish starting in time (try --timeout)";
    case "restarting":
      return `restarting after: ${server.error ?? "a failure"}`;
    case "idle":
      return "lazy, stopped until its next call";
    case "disabled":
      return "disabled in the registry";
    case "closed":
      return "stopped";
    default: {
      const exhaustive: never = server.state;
      return exhaustive;
    }
  }
}

/**
 * The era and version the server was last reached in ("modern 2026-07-28"), "-" before it ever
 * was; a pinned setting is shown while nothing is known yet.
 */
function protocolOf(server: ServerReport): string {
  if (server.era !== undefined) return `${server.era} ${server.protocolVersion ?? "?"}`;
  return server.protocol === "auto" ? "-" : `${server.protocol} (pinned)`;
}

export const listCommand: Command = {
  name: "list",
  summary: "show registered servers with their state and tool count",
  usage: "list [options]",
  details: `Starts every enabled server the way \`voidmcp serve\` would, waits for them (see --timeout),
and shows whether each one works. Exits with 1 when any enabled server failed.`,
  options: [TIMEOUT_OPTION, CONFIG_OPTION, JSON_OPTION, HELP_OPTION],
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new VoidError("usage", `unexpected arguments: ${args.positionals.join(" ")}`, {
        hint: "list shows every server; see `voidmcp tools <server>` for one",
      });
    const registry = await loadRegistryFrom(args, io);
    const gateway = await startGateway(registry, io, waitMsFrom(args));
    try {
      const report = gateway.report();
      if (report.loopError !== undefined && args.options.json !== true) {
        throw new VoidError("upstream_unavailable", report.loopError);
      }
      if (args.options.json === true) {
        // A CLI run has no connected clients: `clients` belongs to list_servers only.
        const { clients: _none, ...servers } = report;
        printJson(io, servers);
      } else if (report.servers.length === 0) {
        io.err(
          `No servers registered in ${registry.path}.\nAdd one with: voidmcp add <name> <url | command [args...]>`,
        );
      } else {
        const rows = report.servers.map((s) => [
          s.name,
          s.transport,
          s.state,
          s.state === "ready" ? String(s.exposedTools) : "-",
          protocolOf(s),
          detail(s),
        ]);
        io.out(formatTable(["NAME", "TRANSPORT", "STATE", "TOOLS", "PROTOCOL", "DETAIL"], rows));
        for (const c of report.collisions) {
          io.err(
            `warning: ${c.kind} "${c.name}" of "${c.dropped}" is hidden: "${c.kept}" already uses that name (set a prefix)`,
          );
        }
      }
      return report.loopError !== undefined ||
        report.servers.some((s) => s.state === "failed" || s.state === "starting" || s.state === "needs-auth")
        ? 1
        : 0;
    } finally {
      await gateway.close();
    }
  },
};
