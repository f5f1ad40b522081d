import { homedir } from "node:os";
import { resolve } from "node:path";
import {
  CLIENT_NAMES,
  CLIENTS,
  type ClientName,
  clientConfigPath,
  isClientName,
  projectConfigPath,
} from "../../clients/index.js";
import { VoidError } from "../../core/index.js";
import type { OptionSpec, ParsedArgs } from "../args.js";
import type { Io } from "../io.js";

/** What `init` and `import` share: which client, and where its config file is. */

export const FILE_OPTION: OptionSpec = {
  name: "file",
  type: "string",
  value: "PATH",
  description: "the client's config file (default: its user-level file on this OS)",
};

export const PROJECT_OPTION: OptionSpec = {
  name: "project",
  type: "boolean",
  description: "the client's project-level file in this directory (.mcp.json, .zed/settings.json, …)",
};

/** The user's home: HOME (USERPROFILE on Windows) as the CLI sees it, else the OS's answer. */
export function homeOf(io: Io): string {
  const home = process.platform === "win32" ? (io.env.USERPROFILE ?? io.env.HOME) : io.env.HOME;
  return home !== undefined && home !== "" ? home : homedir();
}

/** The one positional, a client name. Throws VoidError("usage"). */
export function clientFrom(args: ParsedArgs, command: string): ClientName {
  const [client, ...extra] = args.positionals;
  const list = CLIENT_NAMES.join(", ");
  if (client === undefined) {
    throw new VoidError("usage", `${command} needs the name of a client`, { hint: `one of ${list}` });
  }
  if (!isClientName(client)) {
    throw new VoidError("usage", `unknown client "${client}"`, { hint: `clients: ${list}` });
  }
  if (extra.length > 0) throw new VoidError("usage", `unexpected arguments: ${extra.join(" ")}`);
  return client;
}

/**
 * `--file`, made absolute; with `--project` the client's project-level file in the working
 * directory; else the client's user-level config file on this OS. Throws VoidError("usage") for
 * both options at once, or `--project` for a client without project files.
 */
export function clientConfigFile(client: ClientName, args: ParsedArgs, io: Io): string {
  const file = args.options.file;
  const project = args.options.project === true;
  if (project && file !== undefined)
    throw new VoidError("usage", "give either --file or --project, not both");
  if (typeof file === "string" && file !== "") return resolve(io.cwd, file);
  if (project) {
    const path = projectConfigPath(client, io.cwd, process.platform);
    if (path === undefined) {
      throw new VoidError("usage", `${CLIENTS[client].label} has no project-level MCP config file`, {
        hint: "leave out --project to use its user-level file, or name a file with --file",
      });
    }
    return path;
  }
  return clientConfigPath(client, { platform: process.platform, env: io.env, home: homeOf(io) });
}
