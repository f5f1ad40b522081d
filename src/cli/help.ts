import type { OptionSpec } from "./args.js";
import type { Command } from "./command.js";
import { formatTable } from "./io.js";
import { VERSION } from "./version.js";

function optionLabel(option: OptionSpec): string {
  const long = `--${option.name}${option.type === "boolean" ? "" : ` ${option.value ?? "VALUE"}`}`;
  return option.short ? `-${option.short}, ${long}` : `    ${long}`;
}

export function commandHelp(command: Command): string {
  const options = formatTable(
    ["", ""],
    command.options.map((o) => [`  ${optionLabel(o)}`, o.description]),
  )
    .split("\n")
    .slice(1)
    .join("\n");
  return `Usage: voidmcp ${command.usage}\n\n${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.\n\n${command.details}\n\nOptions:\n${options}\n`;
}

export function mainHelp(commands: readonly Command[]): string {
  const rows = commands.map((c) => [`  ${c.name}`, c.summary]);
  return `voidmcp ${VERSION}: one MCP endpoint for all your MCP servers.

Usage: voidmcp <command> [options]

Commands:
${formatTable(["", ""], rows).split("\n").slice(1).join("\n")}

Options:
  -h, --help      show help (also after a command: voidmcp add --help)
  -V, --version   print the version
      --config    registry file for any command (default: $VOIDMCP_CONFIG, else
                  $XDG_CONFIG_HOME/voidmcp/servers.json, else ~/.config/voidmcp/servers.json)

Get started:
  voidmcp add everything npx -y @modelcontextprotocol/server-everything
  voidmcp list
  voidmcp init cursor  (point a client at voidmcp; voidmcp init --help lists the ten clients)
`;
}
