import { describeError, exitCodeFor, isVoidError, VoidError } from "../core/index.js";
import { parseArgs } from "./args.js";
import type { Command } from "./command.js";
import { commandHelp, mainHelp } from "./help.js";
import type { Io } from "./io.js";
import { commitId, VERSION } from "./version.js";

/**
 * The commands, in the order the help lists them, each loaded only when it is needed: `serve`
 * (what an IDE starts, where every millisecond before `initialize` counts) then evaluates none of
 * the other commands' code (client config files, TOML, sign-in, the doctor).
 */
const LOADERS = {
  serve: async () => (await import("./commands/serve.js")).serveCommand,
  add: async () => (await import("./commands/add.js")).addCommand,
  remove: async () => (await import("./commands/remove.js")).removeCommand,
  list: async () => (await import("./commands/list.js")).listCommand,
  tools: async () => (await import("./commands/tools.js")).toolsCommand,
  call: async () => (await import("./commands/call.js")).callCommand,
  run: async () => (await import("./commands/run.js")).runCommand,
  doctor: async () => (await import("./commands/doctor.js")).doctorCommand,
  token: async () => (await import("./commands/token.js")).tokenCommand,
  secret: async () => (await import("./commands/secret.js")).secretCommand,
  auth: async () => (await import("./commands/auth.js")).authCommand,
  import: async () => (await import("./commands/import.js")).importCommand,
  init: async () => (await import("./commands/init.js")).initCommand,
  log: async () => (await import("./commands/log.js")).logCommand,
} satisfies Record<string, () => Promise<Command>>;

type CommandName = keyof typeof LOADERS;

export const COMMAND_NAMES = Object.keys(LOADERS) as readonly CommandName[];

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(LOADERS, name);
}

/** Every command, loaded (for the help). */
export function loadCommands(): Promise<readonly Command[]> {
  return Promise.all(COMMAND_NAMES.map((name) => LOADERS[name]()));
}

const TOP_LEVEL = new Set(["--help", "-h", "--version", "-V", "--"]);

/**
 * Moves options written before the command name to after it, so `voidmcp --config F list` reads as
 * `voidmcp list --config F` (the main help offers --config "for any command"). Only `--config`
 * takes a separate value there; other options must be flags or `--name=value`.
 */
function commandFirst(argv: readonly string[]): readonly string[] {
  let i = 0;
  while (i < argv.length && (argv[i] as string).startsWith("-") && !TOP_LEVEL.has(argv[i] as string)) {
    i += argv[i] === "--config" ? 2 : 1;
  }
  const command = argv[i];
  if (i === 0 || !isCommandName(command)) return argv;
  return [command as string, ...argv.slice(0, i), ...argv.slice(i + 1)];
}

/** Runs the CLI for `argv` (without node and script) and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = commandFirst(argv);
    if (first === undefined || first === "help" || first === "--help" || first === "-h") {
      const topic = first === "help" && isCommandName(rest[0]) ? await LOADERS[rest[0]]() : undefined;
      io.out(topic ? commandHelp(topic) : mainHelp(await loadCommands()));
      return 0;
    }
    if (first === "--version" || first === "-V" || first === "version") {
      io.out(`${VERSION} (commit ${commitId()})`);
      return 0;
    }
    if (!isCommandName(first)) {
      const near = COMMAND_NAMES.find((name) => name.startsWith(first.slice(0, 2)));
      throw new VoidError("usage", `unknown command "${first}"`, {
        hint: near ? `did you mean \`voidmcp ${near}\`? See voidmcp --help` : "see voidmcp --help",
      });
    }
    const command = await LOADERS[first]();
    const args = parseArgs(rest, {
      options: command.options,
      ...(command.passThroughAfter !== undefined ? { passThroughAfter: command.passThroughAfter } : {}),
    });
    if (args.options.help === true) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    io.err(`voidmcp: ${describeError(error)}`);
    if (
      !isVoidError(error) &&
      error instanceof Error &&
      error.stack &&
      io.env.VOIDMCP_LOG_LEVEL === "debug"
    ) {
      io.err(error.stack);
    }
    return isVoidError(error) ? exitCodeFor(error.code) : 1;
  }
}
