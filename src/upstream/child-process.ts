import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { resolveWindowsCommand, type WindowsSpawn, windowsTreeKill } from "./windows-command.js";

/**
 * Child processes of upstream servers, started in their own process group so that stopping
 * one also stops whatever it spawned (`npx` → node, shell wrappers). Two guards make sure no
 * upstream outlives the gateway, however the gateway ends:
 *
 * - a clean exit (even without a graceful shutdown): an `exit` hook SIGKILLs every live group;
 * - a hard death (SIGKILL, a crash of the runtime, OOM kill), where no hook runs: a reaper.
 *
 * The reaper is a tiny POSIX `sh` script (REAPER_SCRIPT), started with the first upstream child,
 * in its own process group (so a Ctrl-C aimed at the gateway's group does not stop it first), with
 * its stdin a pipe from the gateway. The gateway writes `+PGID` when it starts a group and `-PGID`
 * when the group is gone. The gateway holds the only write end of that pipe, so when the gateway
 * dies in any way the kernel closes it and the reaper's `read` meets end-of-file; it then sends
 * SIGTERM to every group still registered, gives them up to a second, SIGKILLs what is left and
 * exits. Upstreams that never read their stdin (and so never notice the gateway is gone) are
 * therefore stopped within about a second. The reaper is unref'd and so is its pipe: it never
 * keeps the gateway alive. When the last upstream group is gone the gateway closes the pipe and
 * the reaper exits, so it never outlives its work either; the next upstream starts a new one.
 *
 * Windows has no process groups and no `sh`: there is no reaper. A child's tree is stopped with
 * `taskkill /pid N /T` (polite) then `/T /F` (forced), which follows parent-process links, so it
 * reaches descendants only while the child itself still runs. The exit hook still runs on a clean
 * exit, but an upstream that ignores its stdin closing can outlive a gateway that was killed hard
 * (stopping it would need a Job Object, which Node does not expose). Commands are resolved as
 * `windows-command.ts` says (PATHEXT, `.cmd` through cmd.exe). None of this was run on Windows.
 */

/** Reads `+PGID`/`-PGID` lines; at end-of-file, TERM then KILL every group still registered. */
export const REAPER_SCRIPT = `
trap '' INT HUP
groups=" "
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) next=" "; for g in $groups; do [ "$g" = "\${line#-}" ] || next="$next$g "; done; groups="$next" ;;
  esac
done
[ "$groups" = " " ] && exit 0
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
for i in 1 2 3 4 5; do
  alive=""
  for g in $groups; do kill -0 -"$g" 2>/dev/null && alive="$alive$g "; done
  [ -z "$alive" ] && exit 0
  sleep 0.2
done
for g in $alive; do kill -KILL -"$g" 2>/dev/null; done
exit 0
`;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

const ownGroups = process.platform !== "win32";

/** `sync` for the exit hook, where nothing asynchronous runs any more. */
function signalTree(child: ChildProcess, signal: NodeJS.Signals, sync = false): void {
  if (child.pid === undefined) return;
  try {
    if (ownGroups) process.kill(-child.pid, signal);
    else if (child.exitCode === null && child.signalCode === null) {
      const kill = windowsTreeKill(child.pid, signal === "SIGKILL", process.env);
      const options = { stdio: "ignore", windowsHide: true } as const;
      if (sync) spawnSync(kill.file, kill.args, { ...options, timeout: 5_000 });
      else spawn(kill.file, kill.args, options).once("error", () => child.kill(signal));
      // taskkill without /F cannot stop a console program: the forced stop follows after the grace.
      if (signal === "SIGKILL") child.kill(signal);
    }
  } catch {
    // Already gone: nothing to stop.
  }
}

let reaper: ChildProcess | undefined;
/** Set when `sh` cannot be started: the exit hook is then the only guard. */
let reaperUnavailable = false;
let reaperDeaths = 0;

function startReaper(): ChildProcess | undefined {
  if (!ownGroups || reaperUnavailable) return undefined;
  let child: ChildProcess;
  try {
    child = spawn("/bin/sh", ["-c", REAPER_SCRIPT], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
      windowsHide: true,
    });
  } catch {
    reaperUnavailable = true;
    return undefined;
  }
  child.once("error", () => {
    reaperUnavailable = true;
    if (reaper === child) reaper = undefined;
  });
  child.stdin?.on("error", () => {});
  child.once("exit", () => {
    if (reaper !== child) return;
    // It died before its time (someone killed it): start another for the groups still live,
    // a few times at most (a shell that cannot run the script would otherwise loop).
    reaper = undefined;
    reaperDeaths += 1;
    if (reaperDeaths > 3) reaperUnavailable = true;
    for (const c of live) if (c.pid !== undefined) tellReaper(`+${c.pid}`);
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

/** Registers (`+PGID`, starting the reaper if needed) or unregisters (`-PGID`) a group. */
function tellReaper(line: `+${number}` | `-${number}`): void {
  if (line.startsWith("+")) reaper ??= startReaper();
  reaper?.stdin?.write(`${line}\n`);
}

/** The last group is gone: let the reaper exit. */
function releaseReaper(): void {
  const child = reaper;
  reaper = undefined;
  child?.stdin?.end();
}

/** The reaper's pid while one runs (for tests). */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) signalTree(child, "SIGKILL", true);
  });
}

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string | undefined>;
  readonly cwd: string | undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What to spawn for `options`: as given, or on Windows resolved through PATHEXT (throws a VoidError when not found). */
function spawnTarget(options: SpawnOptions): WindowsSpawn {
  if (process.platform === "win32") {
    return resolveWindowsCommand(options.command, options.args, options.env, isFile, options.cwd);
  }
  return { file: options.command, args: options.args, shell: false, windowsVerbatimArguments: false };
}

/** Spawns `command` with piped stdio in a new process group and tracks it until it exits. */
export function spawnTracked(options: SpawnOptions): ChildProcess {
  installExitHook();
  const target = spawnTarget(options);
  const child = spawn(target.file, [...target.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: ownGroups,
    windowsHide: true,
    shell: target.shell,
    windowsVerbatimArguments: target.windowsVerbatimArguments,
  });
  live.add(child);
  if (ownGroups && child.pid !== undefined) tellReaper(`+${child.pid}`);
  const forget = () => {
    if (!live.delete(child)) return;
    if (ownGroups && child.pid !== undefined) tellReaper(`-${child.pid}`);
    if (live.size === 0) releaseReaper();
  };
  child.once("exit", () => {
    // The leader is gone; descendants that ignored its exit still share the group.
    signalTree(child, "SIGKILL");
    forget();
  });
  child.once("error", forget);
  return child;
}

/**
 * Stops a tracked child and its descendants: SIGTERM to the group, then SIGKILL after
 * `graceMs`. Resolves once the leader has exited. Idempotent.
 */
export function stopTree(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    signalTree(child, "SIGKILL");
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalTree(child, "SIGKILL"), graceMs);
    timer.unref();
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    signalTree(child, "SIGTERM");
  });
}
