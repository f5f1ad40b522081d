import { win32 } from "node:path";
import { VoidError } from "../core/index.js";

/**
 * How a registered stdio command is started on Windows (pure; nothing here runs a process).
 *
 * Node spawns only real executables there: since the 2024 security releases it refuses `.cmd` and
 * `.bat` files without a shell (EINVAL), and `npx`, `npm`, `pnpm`, `uvx` shims and most
 * package-manager launchers are `.cmd` files. So the command is resolved the way `cmd.exe` would
 * (every PATH directory in order, and in each the extensions of PATHEXT in order), and
 * - an `.exe`/`.com` is spawned directly, its arguments quoted by libuv;
 * - anything else (`.cmd`, `.bat`, or an extension PATHEXT adds) runs as
 *   `cmd.exe /d /s /c "<line>"` with verbatim arguments, where every argument is quoted for the
 *   MSVCRT command-line parser and then every cmd.exe metacharacter is escaped with `^`, so that
 *   `&`, `|`, `%VAR%`, quotes and spaces in arguments reach the program as written and never run
 *   anything. A `.cmd` shim under `node_modules\.bin` re-parses its `%*` in a second cmd.exe pass,
 *   so there the metacharacters are escaped twice.
 *
 * The bare name without an extension is never taken: Node installs an `npx` shell script beside
 * `npx.cmd`, and Windows could not run it.
 */

export interface WindowsSpawn {
  readonly file: string;
  readonly args: readonly string[];
  readonly shell: false;
  /** True when `args` is one command line already quoted for cmd.exe (libuv must not quote it again). */
  readonly windowsVerbatimArguments: boolean;
}

/** Environment variables by name; Windows names are case-insensitive (`Path`, `PATHEXT`, `ComSpec`). */
export type WindowsEnv = Readonly<Record<string, string | undefined>>;

const DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";
const DIRECT_EXTENSIONS = [".exe", ".com"];

/** cmd.exe metacharacters (and the space and quote), each escaped with `^`. */
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

/** A `.cmd` that npm/pnpm/yarn wrote into node_modules\.bin; it passes `%*` through cmd.exe again. */
const CMD_SHIM = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i;

/** A variable of `env`, whatever the case of its name. */
export function envValue(env: WindowsEnv, name: string): string | undefined {
  const upper = name.toUpperCase();
  for (const [key, value] of Object.entries(env)) {
    if (key.toUpperCase() === upper && value !== undefined) return value;
  }
  return undefined;
}

/** The file names to try for `command`: itself when its extension is in PATHEXT, else each PATHEXT extension appended. */
function candidateNames(command: string, pathExt: readonly string[]): string[] {
  const ext = win32.extname(command).toLowerCase();
  return ext !== "" && pathExt.includes(ext) ? [command] : pathExt.map((e) => `${command}${e}`);
}

function hasDirectory(command: string): boolean {
  return command.includes("\\") || command.includes("/") || /^[A-Za-z]:/.test(command);
}

/**
 * Resolves `command` through PATH and PATHEXT and says how to spawn it. `exists` answers whether
 * a regular file is at a path (case-insensitively, as on Windows). A command with a directory in
 * it is looked up there only (relative to `cwd` when relative); a bare name in PATH only (never the
 * current directory, which cmd.exe would search first: a checkout must not shadow `npx`).
 * Throws a VoidError when nothing is found, or when an argument cannot pass through cmd.exe.
 */
export function resolveWindowsCommand(
  command: string,
  args: readonly string[],
  env: WindowsEnv,
  exists: (path: string) => boolean,
  cwd?: string,
): WindowsSpawn {
  const pathExt = (envValue(env, "PATHEXT") ?? DEFAULT_PATHEXT)
    .split(";")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.startsWith("."));
  const names = candidateNames(command, pathExt);
  const directories = hasDirectory(command)
    ? [win32.isAbsolute(command) || cwd === undefined ? "" : cwd]
    : (envValue(env, "PATH") ?? "")
        .split(";")
        .map((d) => d.trim().replace(/^"(.*)"$/, "$1"))
        .filter((d) => d !== "");
  let found: string | undefined;
  search: for (const directory of directories) {
    for (const name of names) {
      const candidate = directory === "" ? win32.normalize(name) : win32.join(directory, name);
      if (exists(candidate)) {
        found = candidate;
        break search;
      }
    }
  }
  if (found === undefined) {
    const where = hasDirectory(command) ? "there" : "in any PATH directory";
    throw new VoidError("upstream_unavailable", `command not found: ${command}`, {
      hint: `looked for ${names.join(", ")} ${where}; install it, or write its full path as the server's "command"`,
    });
  }
  if (DIRECT_EXTENSIONS.includes(win32.extname(found).toLowerCase())) {
    return { file: found, args: [...args], shell: false, windowsVerbatimArguments: false };
  }
  const unsafe = args.find((arg) => /[\r\n\0]/.test(arg));
  if (unsafe !== undefined) {
    throw new VoidError(
      "usage",
      `an argument of ${command} holds a line break or NUL, which cmd.exe cannot pass on`,
      {
        hint: `${win32.basename(found)} runs through cmd.exe; put the value in an environment variable ("env") instead`,
      },
    );
  }
  const twice = CMD_SHIM.test(found);
  const line = [escapeCommand(found), ...args.map((arg) => escapeArgument(arg, twice))].join(" ");
  return {
    file: envValue(env, "COMSPEC") ?? "cmd.exe",
    args: ["/d", "/s", "/c", `"${line}"`],
    shell: false,
    windowsVerbatimArguments: true,
  };
}

/**
 * One argument as the MSVCRT parser (CommandLineToArgvW, what node.exe and most programs use)
 * reads it back unchanged: in double quotes, a quote escaped with a backslash, and backslashes
 * doubled where they precede a quote (an escaped one, or the closing one).
 */
export function quoteArgument(arg: string): string {
  let out = '"';
  let backslashes = 0;
  for (const char of arg) {
    if (char === "\\") {
      backslashes += 1;
      continue;
    }
    out += char === '"' ? `${"\\".repeat(backslashes * 2 + 1)}"` : `${"\\".repeat(backslashes)}${char}`;
    backslashes = 0;
  }
  return `${out}${"\\".repeat(backslashes * 2)}"`;
}

/** An argument for a cmd.exe line: MSVCRT-quoted, then every metacharacter `^`-escaped (twice for a shim). */
export function escapeArgument(arg: string, twice: boolean): string {
  const once = quoteArgument(arg).replace(CMD_META, "^$1");
  return twice ? once.replace(CMD_META, "^$1") : once;
}

/** The program's path on a cmd.exe line: metacharacters and spaces `^`-escaped. */
export function escapeCommand(path: string): string {
  return path.replace(CMD_META, "^$1");
}

/**
 * The command that stops a process and all its descendants on Windows (no process groups there):
 * `taskkill /pid N /T`, with `/F` to force. Named by its full path under SystemRoot so a
 * `taskkill` earlier in PATH is never run.
 */
export function windowsTreeKill(
  pid: number,
  force: boolean,
  env: WindowsEnv,
): { file: string; args: string[] } {
  const root = envValue(env, "SystemRoot") ?? "C:\\Windows";
  return {
    file: win32.join(root, "System32", "taskkill.exe"),
    args: ["/pid", String(pid), "/T", ...(force ? ["/F"] : [])],
  };
}
