import { VoidError } from "../../core/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION, TIMEOUT_OPTION } from "../command.js";
import { formatTable, oneLine, printJson } from "../io.js";
import { loadRegistryFrom, requireServer, startGateway, waitMsFrom } from "../shared.js";

export const toolsCommand: Command = {
  name: "tools",
  summary: "list the tools of every server (or of one)",
  usage: "tools [server] [options]",
  details: `Shows each tool under the name an MCP client sees (server__tool) with the first line of its
description. With a server name, only that server is started.`,
  options: [TIMEOUT_OPTION, CONFIG_OPTION, JSON_OPTION, HELP_OPTION],
  async run(args, io) {
    const [server, ...extra] = args.positionals;
    if (extra.length > 0) throw new VoidError("usage", `unexpected arguments: ${extra.join(" ")}`);
    const registry = await loadRegistryFrom(args, io);
    if (server !== undefined) requireServer(registry, server);
    const gateway = await startGateway(
      registry,
      io,
      waitMsFrom(args),
      server ? (n) => n === server : undefined,
    );
    try {
      const tools = gateway.catalogue.tools;
      const failed = gateway.report().servers.filter((s) => s.state !== "ready" && s.state !== "disabled");
      for (const s of failed)
        io.err(`warning: server "${s.name}" is ${s.state}${s.error ? `: ${s.error}` : ""}`);
      if (args.options.json === true) {
        printJson(
          io,
          tools.map((t) => ({
            name: t.exposedName,
            server: t.server,
            upstreamName: t.upstreamName,
            description: t.tool.description ?? "",
            inputSchema: t.tool.inputSchema,
          })),
        );
      } else if (tools.length > 0) {
        io.out(
          formatTable(
            ["TOOL", "DESCRIPTION"],
            tools.map((t) => [t.exposedName, oneLine(t.tool.description)]),
          ),
        );
      } else {
        io.err("No tools.");
      }
      return failed.length > 0 ? 1 : 0;
    } finally {
      await gateway.close();
    }
  },
};
