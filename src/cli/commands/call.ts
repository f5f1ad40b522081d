import { isVoidError, VoidError } from "../../core/index.js";
import type { CallToolResult } from "../../gateway/index.js";
import { parseToolArguments } from "../args.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION, TIMEOUT_OPTION } from "../command.js";
import { type Io, printJson } from "../io.js";
import { loadRegistryFrom, requireServer, startGateway, waitMsFrom } from "../shared.js";

type Block = CallToolResult["content"][number];

function describeBlock(block: Block): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
    case "audio":
      return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
    case "resource":
      return "text" in block.resource ? block.resource.text : `[resource ${block.resource.uri}]`;
    case "resource_link":
      return `[link ${block.uri}]`;
    default:
      return JSON.stringify(block);
  }
}

function printResult(io: Io, result: CallToolResult): void {
  const text = result.content.map(describeBlock).join("\n");
  const body =
    text === "" && result.structuredContent !== undefined
      ? JSON.stringify(result.structuredContent, null, 2)
      : text;
  if (result.isError) io.err(`The tool reported an error: ${body}`);
  else io.out(body);
}

export const callCommand: Command = {
  name: "call",
  summary: "call one tool of one server and print the result",
  usage: "call <server> <tool> [json | key=value ...] [options]",
  details: `Starts only that server, calls the tool the way the gateway would, prints the result and exits.
Arguments are one JSON object or key=value pairs; values are read as JSON when the tool's schema
does not say the property is a string. Exits with 1 when the tool reports an error.

Examples:
  voidmcp call everything echo message=hello
  voidmcp call files read_file '{"path": "README.md"}'`,
  options: [TIMEOUT_OPTION, CONFIG_OPTION, JSON_OPTION, HELP_OPTION],
  async run(args, io) {
    const [server, tool, ...inputs] = args.positionals;
    if (server === undefined || tool === undefined) {
      throw new VoidError("usage", "call needs a server and a tool", {
        hint: "voidmcp call <server> <tool> [key=value ...]",
      });
    }
    const registry = await loadRegistryFrom(args, io);
    requireServer(registry, server);
    const waitMs = waitMsFrom(args);
    const gateway = await startGateway(registry, io, waitMs, (n) => n === server);
    try {
      const status = gateway.report().servers.find((s) => s.name === server);
      if (status?.state === "needs-auth" && status.error !== undefined) {
        throw new VoidError("upstream_unavailable", status.error);
      }
      if (status?.state !== "ready") {
        throw new VoidError(
          "upstream_unavailable",
          `server "${server}" is ${status?.state ?? "unknown"}${status?.error ? `: ${status.error}` : ""}`,
          status?.state === "starting"
            ? { hint: `it did not finish starting within ${waitMs} ms; try a longer --timeout` }
            : {},
        );
      }
      const entry = gateway.catalogue.toolOf(server, tool) ?? gateway.catalogue.tool(tool);
      if (!entry || entry.server !== server) {
        const names = gateway.catalogue.tools.filter((t) => t.server === server).map((t) => t.upstreamName);
        const hidden = gateway.listedTools(server).some((t) => t.name === tool);
        throw new VoidError(
          "not_found",
          hidden
            ? `tool "${tool}" of "${server}" is hidden by the registry's tool filter`
            : `server "${server}" has no tool "${tool}"`,
          { hint: names.length > 0 ? `its tools: ${names.join(", ")}` : `run \`voidmcp tools ${server}\`` },
        );
      }
      const toolArgs = parseToolArguments(inputs, entry.tool.inputSchema as Record<string, unknown>);
      const result = await gateway
        .callToolOf(server, entry.upstreamName, toolArgs)
        .catch((error: unknown) => {
          // An upstream's JSON-RPC error message is passed on as written, which says nothing of where.
          if (!isVoidError(error) || error.details.rpcCode === undefined) throw error;
          throw new VoidError(
            "upstream_error",
            `tool "${tool}" of server "${server}" failed: ${error.message} (JSON-RPC error ${String(error.details.rpcCode)})`,
            { cause: error },
          );
        });
      if (args.options.json === true) printJson(io, result);
      else printResult(io, result);
      return result.isError ? 1 : 0;
    } finally {
      await gateway.close();
    }
  },
};
