import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export interface RegistryPathOptions {
  /** The `--config` flag. */
  readonly flag?: string | undefined;
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to os.homedir(). */
  readonly home?: string;
  /** Relative paths resolve against this; defaults to process.cwd(). */
  readonly cwd?: string;
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/**
 * Where the registry lives, first match wins: `--config`, then VOIDMCP_CONFIG, then
 * `$XDG_CONFIG_HOME/voidmcp/servers.json`, then `~/.config/voidmcp/servers.json`.
 * Empty values count as unset; `~` and `~/` are expanded; the result is absolute. A relative
 * XDG_CONFIG_HOME is ignored, as the XDG Base Directory spec says.
 */
export function resolveRegistryPath(options: RegistryPathOptions = {}): string {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const cwd = options.cwd ?? process.cwd();
  const explicit = [options.flag, env.VOIDMCP_CONFIG].find((value) => value !== undefined && value !== "");
  if (explicit !== undefined) return resolve(cwd, expandHome(explicit, home));
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, ".config");
  return resolve(configHome, "voidmcp", "servers.json");
}
