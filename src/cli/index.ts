export { type ParsedArgs, parseArgs, parseToolArguments } from "./args.js";
export { COMMAND_NAMES, loadCommands, runCli } from "./run.js";
