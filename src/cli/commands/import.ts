import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  CLIENT_NAMES,
  type ClientName,
  isClientName,
  literalSecrets,
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
import { moveSecretsPlan, storeMoves } from "./secret-import.js";
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

Literal secrets (Authorization headers, env values whose names say TOKEN, SECRET, KEY, PASSWORD,
or values starting with "Bearer ") are copied as they are unless --move-secrets is given: then
they go into the credential store (see voidmcp secret --help) as <SERVER>_<KEY> and the entry
gets \${secret:<SERVER>_<KEY>} instead.

Examples:
  voidmcp import cursor
  voidmcp import codex --dry-run
  voidmcp import zed --project                   # this project's .zed/settings.json
  voidmcp import ~/.config/Code/User/mcp.json
  voidmcp import cursor --move-secrets`,
  options: [
    FILE_OPTION,
    PROJECT_OPTION,
    { name: "overwrite", type: "boolean", description: "replace registered servers that have the same name" },
    { name: "dry-run", type: "boolean", description: "show what would change without writing" },
    {
      name: "move-secrets",
      type: "boolean",
      description: "put literal tokens and passwords into the credential store, not the registry",
    },
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
    const read = readClientServers(format, text, source, { self: await selfFacts(path, io.env) });
    const overwrite = args.options.overwrite === true;
    const dryRun = args.options["dry-run"] === true;
    const moving =
      args.options["move-secrets"] === true ? await moveSecretsPlan(read.entries, io.env) : undefined;
    const parsed = moving ? { ...read, entries: moving.entries } : read;
    let report: MergeResult = { added: [], replaced: [], identical: [], conflicts: [] };
    const merge = (doc: Parameters<typeof mergeEntries>[0]) => {
      report = mergeEntries(doc, parsed.entries, { overwrite });
    };
    // Look before writing: an import that adds and replaces nothing leaves the file as it is.
    merge(await loadRegistryDocument(path));
    const writing = report.added.length + report.replaced.length > 0;
    const written = new Set([...report.added, ...report.replaced]);
    // Secrets first: a registry entry never references a secret that is not stored.
    const moves = (moving?.moves ?? []).filter((m) => written.has(m.server));
    if (!dryRun && moving && moves.length > 0) await storeMoves(moving.store, moves);
    if (!dryRun && writing) await editRegistryFile(path, merge);
    const literal = moving ? [] : literalSecrets(read.entries).filter((l) => written.has(l.server));
    if (args.options.json === true) {
      printJson(io, {
        source,
        registry: path,
        dryRun,
        ...report,
        skipped: parsed.skipped,
        renamed: parsed.entries
          .filter((e) => e.renamedFrom)
          .map((e) => ({ name: e.name, renamedFrom: e.renamedFrom })),
        secretsMoved: moves.map((m) => ({ server: m.server, field: m.field, secret: m.name })),
        literalSecrets: literal,
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
    if (moves.length > 0 && moving) {
      const list = moves.map((m) => `${m.server} ${m.field} → \${secret:${m.name}}`).join(", ");
      io.err(`${dryRun ? "Would move" : "Moved"} ${moves.length} secret(s) into ${moving.label}: ${list}`);
    }
    if (literal.length > 0) {
      const list = literal.map((l) => `${l.server} ${l.field}`).join(", ");
      io.err(
        `warning: literal secrets were copied into the registry file: ${list}; import with --move-secrets (and --overwrite for servers already imported) to keep them in the credential store`,
      );
    }
    for (const conflict of report.conflicts) io.err(`conflict: "${conflict.name}": ${conflict.reason}`);
    if (report.conflicts.length > 0)
      io.err("Conflicting servers were left as they are; use --overwrite to replace them.");
    if (parsed.entries.length === 0) io.err(`No servers found in ${source}.`);
    else if (!dryRun && report.added.length + report.replaced.length > 0) io.err(`Registry: ${path}`);
    return report.conflicts.length > 0 ? 1 : 0;
  },
};
