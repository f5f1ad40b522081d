import type { OptionSpec, ParsedArgs } from "./args.js";
import type { Io } from "./io.js";

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The usage line after `voidmcp`, e.g. `remove <name>`. */
  readonly usage: string;
  /** More text for `--help`: what it does, examples. */
  readonly details: string;
  readonly options: readonly OptionSpec[];
  readonly passThroughAfter?: number;
  /** Returns the process exit code. Throws VoidError for failures. */
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export const CONFIG_OPTION: OptionSpec = {
  name: "config",
  type: "string",
  value: "PATH",
  description: "registry file (default: $VOIDMCP_CONFIG, else $XDG_CONFIG_HOME/voidmcp/servers.json)",
};
export const JSON_OPTION: OptionSpec = {
  name: "json",
  type: "boolean",
  description: "print JSON for scripts",
};
export const HELP_OPTION: OptionSpec = {
  name: "help",
  short: "h",
  type: "boolean",
  description: "show this help",
};
export const TIMEOUT_OPTION: OptionSpec = {
  name: "timeout",
  type: "string",
  value: "MS",
  description: "how long to wait for servers to start (default 15000)",
};
