import { describeError, exitCodeFor, isVoidError, VoidError } from "../core/index.js";
import { parseArgs } from "./args.js";
import type { Command } from "./command.js";
import { addCommand } from "./commands/add.js";
import { authCommand } from "./commands/auth.js";
import { callCommand } from "./commands/call.js";
import { doctorCommand } from "./commands/doctor.js";
import { importCommand } from "./commands/import.js";
import { initCommand } from "./commands/init.js";
import { listCommand } from "./commands/list.js";
import { logCommand } from "./commands/log.js";
import { removeCommand } from "./commands/remove.js";
import { runCommand } from "./commands/run.js";
import { secretCommand } from "./commands/secret.js";
import { serveCommand } from "./commands/serve.js";
import { tokenCommand } from "./commands/token.js";
import { toolsCommand } from "./commands/tools.js";
import { commandHelp, mainHelp } from "./help.js";
import type { Io } from "./io.js";
import { commitId, VERSION } from "./version.js";

export const COMMANDS: readonly Command[] = [
  serveCommand,
  addCommand,
  removeCommand,
  listCommand,
  toolsCommand,
  callCommand,
  runCommand,
  doctorCommand,
  tokenCommand,
  secretCommand,
  authCommand,
  importCommand,
  initCommand,
  logCommand,
];

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
  if (i === 0 || !COMMANDS.some((c) => c.name === command)) return argv;
  return [command as string, ...argv.slice(0, i), ...argv.slice(i + 1)];
}

/** Runs the CLI for `argv` (without node and script) and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = commandFirst(argv);
    if (first === undefined || first === "help" || first === "--help" || first === "-h") {
      const topic = first === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      io.out(topic ? commandHelp(topic) : mainHelp(COMMANDS));
      return 0;
    }
    if (first === "--version" || first === "-V" || first === "version") {
      io.out(`${VERSION} (commit ${commitId()})`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const near = COMMANDS.find((c) => c.name.startsWith(first.slice(0, 2)));
      throw new VoidError("usage", `unknown command "${first}"`, {
        hint: near ? `did you mean \`voidmcp ${near.name}\`? See voidmcp --help` : "see voidmcp --help",
      });
    }
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
