import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  CLIENT_NAMES,
  type ClientName,
  isClientName,
  type MergeResult,
  mergeEntries,
  readClientServers,
} from "../../clients/index.js";
import { VoidError } from "../../core/index.js";
import { editRegistryFile, loadRegistryDocument } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { printJson } from "../io.js";
import { registryPathFrom } from "../shared.js";
import { clientConfigFile, FILE_OPTION, PROJECT_OPTION } from "./client-args.js";
import { selfFacts } from "./self-facts.js";

export const importCommand: Command = {
  name: "import",
  summary: "copy the servers of an MCP client (Claude, Cursor, VS Code, Codex, Gemini, …) into the registry",
  usage: "import <client | file> [options]",
  details: `Clients: ${CLIENT_NAMES.join(", ")}.

Reads an MCP client's config file and merges its servers into the registry. Name a client to
read its user-level file (see voidmcp init --help for where each one is; --project for the
project's file in this directory, --file for another), or give a file: an "mcpServers" object as
in Claude Desktop, Claude Code, Cursor, Windsurf and Gemini CLI, a "servers" object as in VS Code's
mcp.json (comments allowed), or Codex CLI's config.toml ([mcp_servers.*]). opencode's "mcp",
Zed's "context_servers" and Copilot CLI's entries are read when the client is named.
Entries that differ only in defaults (such as "type": "stdio" and "env": {}, which claude mcp add
writes) are the same server.
A server whose name is already registered with a different definition is a conflict and is left
alone unless --overwrite is given. voidmcp's own entry is never imported, nor is an entry that
reaches voidmcp itself (a voidmcp command, or its HTTP endpoint on 127.0.0.1). A name that is also a
client's is read as the client: write ./cursor for a file named so.

Examples:
  voidmcp import cursor
  voidmcp import codex --dry-run
  voidmcp import zed --project                   # this project's .zed/settings.json
  voidmcp import ~/.config/Code/User/mcp.json`,
  options: [
    FILE_OPTION,
    PROJECT_OPTION,
    { name: "overwrite", type: "boolean", description: "replace registered servers that have the same name" },
    { name: "dry-run", type: "boolean", description: "show what would change without writing" },
    CONFIG_OPTION,
    JSON_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    const [file, ...extra] = args.positionals;
    if (file === undefined)
      throw new VoidError("usage", "import needs a client or the path of a config file", {
        hint: `voidmcp import <${CLIENT_NAMES.join(" | ")} | file>`,
      });
    if (extra.length > 0) throw new VoidError("usage", `unexpected arguments: ${extra.join(" ")}`);
    const client: ClientName | undefined = isClientName(file) ? file : undefined;
    if (client === undefined && (args.options.file !== undefined || args.options.project === true)) {
      throw new VoidError(
        "usage",
        `--${args.options.file !== undefined ? "file" : "project"} goes with a client name`,
        {
          hint: "voidmcp import <client> --file PATH",
        },
      );
    }
    const source = client === undefined ? resolve(io.cwd, file) : clientConfigFile(client, args, io);
    let text: string;
    try {
      text = await readFile(source, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new VoidError(
        "registry_io",
        `cannot read ${source}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
    const format: ClientName = client ?? (source.toLowerCase().endsWith(".toml") ? "codex" : "cursor");
    const path = registryPathFrom(args, io);
    const parsed = readClientServers(format, text, source, { self: await selfFacts(path, io.env) });
    const overwrite = args.options.overwrite === true;
    const dryRun = args.options["dry-run"] === true;
    let report: MergeResult = { added: [], replaced: [], identical: [], conflicts: [] };
    const merge = (doc: Parameters<typeof mergeEntries>[0]) => {
      report = mergeEntries(doc, parsed.entries, { overwrite });
    };
    // Look before writing: an import that adds and replaces nothing leaves the file as it is.
    merge(await loadRegistryDocument(path));
    if (!dryRun && report.added.length + report.replaced.length > 0) await editRegistryFile(path, merge);
    if (args.options.json === true) {
      printJson(io, {
        source,
        registry: path,
        dryRun,
        ...report,
        skipped: parsed.skipped,
        renamed: parsed.entries.filter((e) => e.renamedFrom),
      });
      return report.conflicts.length > 0 ? 1 : 0;
    }
    const verb = dryRun ? "Would add" : "Added";
    if (report.added.length > 0) io.out(`${verb} ${report.added.length}: ${report.added.join(", ")}`);
    if (report.replaced.length > 0)
      io.out(
        `${dryRun ? "Would replace" : "Replaced"} ${report.replaced.length}: ${report.replaced.join(", ")}`,
      );
    if (report.identical.length > 0) io.out(`Already registered: ${report.identical.join(", ")}`);
    for (const entry of parsed.entries) {
      if (entry.note !== undefined) io.err(`note: "${entry.name}": ${entry.note}`);
      if (entry.renamedFrom)
        io.err(
          `note: "${entry.renamedFrom}" is registered as "${entry.name}" (server names allow letters, digits, - and _)`,
        );
    }
    for (const skipped of parsed.skipped) io.err(`skipped "${skipped.name}": ${skipped.reason}`);
    for (const conflict of report.conflicts) io.err(`conflict: "${conflict.name}": ${conflict.reason}`);
    if (report.conflicts.length > 0)
      io.err("Conflicting servers were left as they are; use --overwrite to replace them.");
    if (parsed.entries.length === 0) io.err(`No servers found in ${source}.`);
    else if (!dryRun && report.added.length + report.replaced.length > 0) io.err(`Registry: ${path}`);
    return report.conflicts.length > 0 ? 1 : 0;
  },
};
