import {
  assertWritable,
  CLIENT_NAMES,
  CLIENTS,
  type ClientEntry,
  type ClientName,
  ENTRY_NAME,
  gatewayEntry,
  httpGatewayEntry,
  type ImportedEntry,
  type LaunchCommand,
  type MergeResult,
  mergeEntries,
  planSetup,
  readClientFile,
  readClientServers,
  writeClientFile,
} from "../../clients/index.js";
import { VoidError } from "../../core/index.js";
import { renderTable, type TomlWritable } from "../../formats/index.js";
import { DEFAULT_HTTP_PORT, loadToken, unknownProfileMessage } from "../../gateway/index.js";
import {
  editRegistryFile,
  loadRegistry,
  loadRegistryDocument,
  resolveRegistryPath,
} from "../../registry/index.js";
import type { ParsedArgs } from "../args.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { type Io, printJson } from "../io.js";
import { selfLaunch } from "../self-command.js";
import { portFrom, registryPathFrom } from "../shared.js";
import { clientConfigFile, clientFrom, FILE_OPTION, homeOf, PROJECT_OPTION } from "./client-args.js";
import { selfFacts } from "./self-facts.js";

function snippet(client: ClientName, entry: ClientEntry): string {
  const info = CLIENTS[client];
  if (info.format === "toml") {
    return renderTable([...info.serversPath, ENTRY_NAME], entry as { readonly [key: string]: TomlWritable });
  }
  let value: unknown = { [ENTRY_NAME]: entry };
  for (const part of [...info.serversPath].reverse()) value = { [part]: value };
  return `${JSON.stringify(value, null, 2)}\n`;
}

function stdioTarget(
  client: ClientName,
  launch: LaunchCommand,
  registryPath: string | undefined,
  profile: string | undefined,
): Target {
  const serveArgs = profile === undefined ? [] : ["--profile", profile];
  const entry = gatewayEntry(client, launch, registryPath, serveArgs);
  const command = [
    launch.command,
    ...launch.args,
    "serve",
    ...(registryPath === undefined ? [] : ["--config", registryPath]),
    ...serveArgs,
  ];
  return { entry, shown: command.join(" "), notes: [] };
}

/**
 * The registry path to write into the entry: none when it is the default one that a voidmcp
 * started with no environment at all would find (a desktop app's environment is minimal).
 */
function registryArgument(registry: string, io: Io): string | undefined {
  const home = homeOf(io);
  return registry === resolveRegistryPath({ env: {}, home, cwd: io.cwd }) ? undefined : registry;
}

/** What the client is given: the entry, and how the summary line names what it starts or reaches. */
interface Target {
  readonly entry: ClientEntry;
  readonly shown: string;
  /** Said after the change, besides the client's own next step. */
  readonly notes: readonly string[];
}

async function httpTarget(
  client: ClientName,
  args: ParsedArgs,
  registry: string,
  io: Io,
  profile: string | undefined,
): Promise<Target> {
  const port = portFrom(args.options.port, 1);
  const url = `http://127.0.0.1:${port}/mcp${profile === undefined ? "" : `/${profile}`}`;
  const token = await loadToken(registry, io.env);
  const entry = httpGatewayEntry(client, { url, token: token?.value });
  if (entry === undefined) {
    throw new VoidError(
      "usage",
      `${CLIENTS[client].label}'s config file holds only servers it starts itself`,
      {
        hint: `leave out --http: voidmcp init ${client}`,
      },
    );
  }
  const serve = `voidmcp serve --http${port === DEFAULT_HTTP_PORT ? "" : ` --port ${port}`}`;
  return {
    entry,
    shown: `${url} (with the bearer token of voidmcp token)`,
    notes: [
      `The entry holds the bearer token; after voidmcp token --regenerate, run this again.`,
      `Keep the gateway running: ${serve}`,
    ],
  };
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

interface Moved {
  readonly imported: readonly ImportedEntry[];
  readonly merge: MergeResult;
}

export const initCommand: Command = {
  name: "init",
  summary: "set up an MCP client (Claude Code, Cursor, VS Code, Codex, Gemini CLI, Zed, …) to use voidmcp",
  usage: "init <client> [options]",
  details: `Clients: ${CLIENT_NAMES.join(", ")}.

Adds the entry that makes the client start \`voidmcp serve\` to the client's own config file,
with absolute paths (desktop apps start servers with a minimal PATH). Everything else in the
file is kept as it was, comments and formatting included; the old file is saved beside it as
<file>.voidmcp-backup-<time> first. A missing file is created. Running it again changes nothing.

With --replace, the servers the client has are first imported into voidmcp's registry (as
\`voidmcp import <client>\` does) and then removed from the client's file, so that the client
reaches them all through voidmcp.

With --http the entry points the client at voidmcp's HTTP front (http://127.0.0.1:PORT/mcp,
started by \`voidmcp serve --http\`) and sends the bearer token (voidmcp token) in a header,
instead of starting voidmcp itself. Claude Desktop's file cannot hold an HTTP server.

Files (user level): claude-code ~/.claude.json, claude-desktop claude_desktop_config.json,
cursor ~/.cursor/mcp.json, vscode <Code user dir>/mcp.json, codex ~/.codex/config.toml,
windsurf ~/.codeium/windsurf/mcp_config.json, gemini ~/.gemini/settings.json,
opencode ~/.config/opencode/opencode.json, zed ~/.config/zed/settings.json,
copilot ~/.copilot/mcp-config.json. With --project, the file of the project in this directory:
.mcp.json, .cursor/mcp.json, .vscode/mcp.json, .gemini/settings.json, opencode.json or
.zed/settings.json.

Examples:
  voidmcp init cursor
  voidmcp init claude-desktop --replace
  voidmcp init vscode --project                    # this project's .vscode/mcp.json
  voidmcp init gemini --http                       # reach voidmcp serve --http with the token
  voidmcp init codex --print                       # show the entry, change nothing
  voidmcp init cursor --profile work               # only the registry's profile "work"`,
  options: [
    FILE_OPTION,
    PROJECT_OPTION,
    {
      name: "profile",
      type: "string",
      value: "NAME",
      description: "give the client only this profile of the registry (serve --profile NAME, or /mcp/NAME)",
    },
    {
      name: "http",
      type: "boolean",
      description: "reach voidmcp's HTTP front with the token instead of starting it",
    },
    {
      name: "port",
      type: "string",
      value: "N",
      description: `with --http: the port of serve --http (default ${DEFAULT_HTTP_PORT})`,
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
    if (args.options.port !== undefined && args.options.http !== true) {
      throw new VoidError("usage", "--port goes with --http", {
        hint: `voidmcp init ${client} --http --port N`,
      });
    }
    const launch = selfLaunch();
    const profile = await profileArgument(args.options.profile, registry);
    const target: Target =
      args.options.http === true
        ? await httpTarget(client, args, registry, io, profile)
        : stdioTarget(client, launch, registryArgument(registry, io), profile);
    const { entry } = target;
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
    if (launch.ephemeral && args.options.http !== true) {
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
    const shown = target.shown;
    if (plan.before === "same") io.out(`voidmcp was already set up in ${path}: ${shown}`);
    else io.out(`${plan.before === "absent" ? "Added voidmcp to" : "Updated voidmcp in"} ${path}: ${shown}`);
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
    for (const note of target.notes) io.err(note);
    io.err(`Next: ${info.afterChange}.`);
    return 0;
  },
};
