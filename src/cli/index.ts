export { type ParsedArgs, parseArgs, parseToolArguments } from "./args.js";
export { COMMANDS, runCli } from "./run.js";
