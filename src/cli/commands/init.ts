import {
  assertWritable,
  CLIENT_NAMES,
  CLIENTS,
  type ClientName,
  ENTRY_NAME,
  gatewayEntry,
  type ImportedEntry,
  type MergeResult,
  mergeEntries,
  planSetup,
  readClientFile,
  readClientServers,
  writeClientFile,
} from "../../clients/index.js";
import { VoidError } from "../../core/index.js";
import { renderTable, type TomlWritable } from "../../formats/index.js";
import { unknownProfileMessage } from "../../gateway/index.js";
import {
  editRegistryFile,
  loadRegistry,
  loadRegistryDocument,
  resolveRegistryPath,
} from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { type Io, printJson } from "../io.js";
import { selfLaunch } from "../self-command.js";
import { registryPathFrom } from "../shared.js";
import { clientConfigFile, clientFrom, FILE_OPTION, homeOf } from "./client-args.js";
import { selfFacts } from "./self-facts.js";

function snippet(client: ClientName, entry: ReturnType<typeof gatewayEntry>): string {
  const info = CLIENTS[client];
  if (info.format === "toml") {
    return renderTable([...info.serversPath, ENTRY_NAME], entry as { readonly [key: string]: TomlWritable });
  }
  let value: unknown = { [ENTRY_NAME]: entry };
  for (const part of [...info.serversPath].reverse()) value = { [part]: value };
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The registry path to write into the entry: none when it is the default one that a voidmcp
 * started with no environment at all would find (a desktop app's environment is minimal).
 */
function registryArgument(registry: string, io: Io): string | undefined {
  const home = homeOf(io);
  return registry === resolveRegistryPath({ env: {}, home, cwd: io.cwd }) ? undefined : registry;
}

/**
 * `--profile NAME`, checked against the registry now, so the client is never set up to start a
 * gateway that would refuse to run. Undefined without the option.
 */
async function profileArgument(raw: unknown, registry: string): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || raw === "")
    throw new VoidError("usage", "--profile needs the name of a profile");
  const profiles = Object.keys((await loadRegistry(registry)).settings.profiles);
  if (!profiles.includes(raw)) {
    throw new VoidError("usage", unknownProfileMessage(raw, profiles), {
      hint: `define it under "profiles" in ${registry} first`,
    });
  }
  return raw;
}

/** The entry that starts `serve --profile NAME` instead of the whole gateway. */
function withProfile(
  entry: ReturnType<typeof gatewayEntry>,
  profile: string | undefined,
): ReturnType<typeof gatewayEntry> {
  if (profile === undefined) return entry;
  const args = Array.isArray(entry.args) ? (entry.args as readonly string[]) : [];
  return { ...entry, args: [...args, "--profile", profile] };
}

interface Moved {
  readonly imported: readonly ImportedEntry[];
  readonly merge: MergeResult;
}

export const initCommand: Command = {
  name: "init",
  summary: "set up an MCP client (Claude Code, Claude Desktop, Cursor, VS Code, Codex) to use voidmcp",
  usage: `init <${CLIENT_NAMES.join(" | ")}> [options]`,
  details: `Adds the entry that makes the client start \`voidmcp serve\` to the client's own config file,
with absolute paths (desktop apps start servers with a minimal PATH). Everything else in the
file is kept as it was, comments and formatting included; the old file is saved beside it as
<file>.voidmcp-backup-<time> first. A missing file is created. Running it again changes nothing.

With --replace, the servers the client has are first imported into voidmcp's registry (as
\`voidmcp import <client>\` does) and then removed from the client's file, so that the client
reaches them all through voidmcp.

Files (user level): claude-code ~/.claude.json, claude-desktop claude_desktop_config.json,
cursor ~/.cursor/mcp.json, vscode <Code user dir>/mcp.json, codex ~/.codex/config.toml.

Examples:
  voidmcp init cursor
  voidmcp init claude-desktop --replace
  voidmcp init vscode --file .vscode/mcp.json      # a project's file instead
  voidmcp init codex --print                       # show the entry, change nothing
  voidmcp init cursor --profile work               # only the registry's profile "work"`,
  options: [
    FILE_OPTION,
    {
      name: "profile",
      type: "string",
      value: "NAME",
      description: "make the client start only this profile of the registry (serve --profile NAME)",
    },
    { name: "print", type: "boolean", description: "print the entry instead of writing it" },
    {
      name: "replace",
      type: "boolean",
      description: "move the client's other servers into the registry, leaving only voidmcp",
    },
    {
      name: "overwrite",
      type: "boolean",
      description: "with --replace: replace registered servers of the same name",
    },
    CONFIG_OPTION,
    JSON_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    const client = clientFrom(args, "init");
    const info = CLIENTS[client];
    const path = clientConfigFile(client, args, io);
    const registry = registryPathFrom(args, io);
    const launch = selfLaunch();
    const profile = await profileArgument(args.options.profile, registry);
    const entry = withProfile(gatewayEntry(client, launch, registryArgument(registry, io)), profile);
    const replace = args.options.replace === true;
    if (args.options.overwrite === true && !replace) {
      throw new VoidError("usage", "--overwrite goes with --replace", {
        hint: "voidmcp init <client> --replace --overwrite",
      });
    }
    if (args.options.print === true) {
      if (replace) throw new VoidError("usage", "--print only shows the entry; leave it out to --replace");
      io.out(snippet(client, entry));
      io.err(`Add this to ${path}; then ${info.afterChange}.`);
      return 0;
    }
    if (launch.ephemeral) {
      io.err(
        "note: this voidmcp runs from npx's cache, which npm may clear; for a path that lasts, install it (npm install -g voidmcp) and run init again.",
      );
    }

    const file = await readClientFile(path);
    // Everything is checked before anything is written: the client's file, then the registry.
    let moved: Moved | undefined;
    if (replace) {
      const { entries, skipped } = readClientServers(client, file.text ?? "", path, {
        allowNoServers: true,
        self: await selfFacts(registry, io.env),
      });
      const doc = await loadRegistryDocument(registry);
      const merge = mergeEntries(doc, entries, { overwrite: args.options.overwrite === true });
      if (merge.conflicts.length > 0) {
        throw new VoidError(
          "conflict",
          `${merge.conflicts.map((c) => `"${c.name}"`).join(", ")} ${merge.conflicts.length === 1 ? "is" : "are"} already registered in ${registry} with a different definition; nothing was changed`,
          { hint: `add --overwrite to replace the registered ones (see voidmcp import ${client} --dry-run)` },
        );
      }
      for (const item of skipped) {
        if (item.name !== ENTRY_NAME) io.err(`left in ${path}: "${item.name}": ${item.reason}`);
      }
      moved = { imported: entries, merge };
    }
    const plan = planSetup({
      client,
      path,
      text: file.text,
      entry,
      remove: moved?.imported.map((e) => e.origin) ?? [],
    });
    if (plan.changed) assertWritable(file, `voidmcp init ${client} --print`);
    if (moved !== undefined && moved.merge.added.length + moved.merge.replaced.length > 0) {
      const imported = moved.imported;
      await editRegistryFile(registry, (doc) =>
        mergeEntries(doc, imported, { overwrite: args.options.overwrite === true }),
      );
    }
    const written = plan.changed ? await writeClientFile(file, plan.text) : undefined;

    const movedNames = moved?.imported.map((e) => e.name) ?? [];
    if (args.options.json === true) {
      printJson(io, {
        client,
        file: path,
        changed: plan.changed,
        created: written?.created ?? false,
        backup: written?.backup ?? null,
        entry,
        registry,
        moved: movedNames,
      });
      return 0;
    }
    if (!plan.changed) {
      io.out(`voidmcp is already set up in ${path}; nothing changed.`);
      return 0;
    }
    const command = [entry.command, ...(entry.args as readonly string[])].join(" ");
    if (plan.before === "same") io.out(`voidmcp was already set up in ${path}: ${command}`);
    else
      io.out(`${plan.before === "absent" ? "Added voidmcp to" : "Updated voidmcp in"} ${path}: ${command}`);
    if (movedNames.length > 0) {
      io.out(
        `Moved ${movedNames.length} server${movedNames.length === 1 ? "" : "s"} into ${registry}: ${movedNames.join(", ")}`,
      );
    }
    for (const item of moved?.imported ?? []) {
      if (item.note !== undefined) io.err(`note: "${item.name}": ${item.note}`);
      if (item.renamedFrom !== undefined)
        io.err(`note: "${item.renamedFrom}" is registered as "${item.name}"`);
    }
    if (written?.created) io.err(`Created ${path}.`);
    if (written?.backup !== undefined) io.err(`Backup of the previous file: ${written.backup}`);
    io.err(`Next: ${info.afterChange}.`);
    return 0;
  },
};
