import { type ChildProcess, spawn } from "node:child_process";

/**
 * Child processes of upstream servers, started in their own process group so that stopping
 * one also stops whatever it spawned (`npx` → node, shell wrappers). Every group still alive
 * when the gateway's process exits is killed synchronously from an `exit` hook, so no upstream
 * outlives the gateway even when it leaves without a clean shutdown.
 */

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

const ownGroups = process.platform !== "win32";

function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (ownGroups) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone: nothing to stop.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) signalTree(child, "SIGKILL");
  });
}

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string | undefined>;
  readonly cwd: string | undefined;
}

/** Spawns `command` with piped stdio in a new process group and tracks it until it exits. */
export function spawnTracked(options: SpawnOptions): ChildProcess {
  installExitHook();
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: ownGroups,
    windowsHide: true,
    shell: false,
  });
  live.add(child);
  child.once("exit", () => {
    // The leader is gone; descendants that ignored its exit still share the group.
    signalTree(child, "SIGKILL");
    live.delete(child);
  });
  child.once("error", () => live.delete(child));
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
