import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rmdir, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { VoidError } from "../core/index.js";
import { ioErrorCode, isMissingFile } from "./io-error.js";

/**
 * An advisory lock between processes: a lock file beside the file it guards (`servers.json.lock`),
 * created with O_EXCL and holding the holder's pid, start time and a random id. Every writer that
 * takes the lock before its read-modify-write sees the writes of the others; writers that do not
 * (a person's editor) are caught by the atomic replace's compare instead.
 *
 * A lock whose holder is dead (its pid is gone on this machine) or that is older than `staleMs` is
 * broken. Breaking goes through a second O_EXCL file (`….lock.break`), so two waiters that both
 * find the lock stale cannot each remove the lock the other one has just taken.
 */

export interface FileLockOptions {
  /** How long to wait for another holder before giving up (default 10 s). */
  readonly waitMs?: number;
  /** A lock older than this is presumed abandoned, whatever its pid says (default 30 s). */
  readonly staleMs?: number;
  /** When set, a missing directory is created with this mode (and removed again when left empty). */
  readonly dirMode?: number;
  /** How messages name the guarded file. */
  readonly label?: string;
}

export interface FileLock {
  readonly path: string;
  /** Removes the lock file if it is still this holder's. Idempotent; never throws. */
  release(): Promise<void>;
}

const DEFAULT_WAIT_MS = 10_000;
const DEFAULT_STALE_MS = 30_000;
/** A lock file without readable content is one being written; longer than this, its writer died. */
const UNREADABLE_STALE_MS = 2_000;
/** A `.break` file older than this belongs to a breaker that died half-way. */
const BREAKER_STALE_MS = 5_000;
const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 100;

interface Holder {
  readonly pid: number | undefined;
  readonly id: string | undefined;
  /** Age of the lock file (from its mtime), in ms. */
  readonly ageMs: number;
}

function parseHolder(text: string): { pid?: unknown; id?: unknown } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null
      ? (value as { pid?: unknown; id?: unknown })
      : undefined;
  } catch {
    return undefined;
  }
}

/** The current holder, or undefined when the lock file is gone. */
async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    const parsed = parseHolder(text);
    const pid = typeof parsed?.pid === "number" && Number.isInteger(parsed.pid) ? parsed.pid : undefined;
    const id = typeof parsed?.id === "string" ? parsed.id : undefined;
    return { pid, id, ageMs: Math.max(0, Date.now() - info.mtimeMs) };
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
}

/** Whether `pid` names a live process on this machine (EPERM: alive, but someone else's). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return ioErrorCode(error) === "EPERM";
  }
}

function isStale(holder: Holder, staleMs: number): boolean {
  if (holder.ageMs > staleMs) return true;
  if (holder.pid === undefined || holder.id === undefined) return holder.ageMs > UNREADABLE_STALE_MS;
  return holder.pid !== process.pid && !isAlive(holder.pid);
}

/** Removes the lock at `path` if it still is the stale one that was read; see the header comment. */
async function breakStale(path: string, stale: Holder): Promise<void> {
  const breaker = `${path}.break`;
  try {
    await (await open(breaker, "wx", 0o600)).close();
  } catch (error) {
    if (ioErrorCode(error) !== "EEXIST") throw error;
    const other = await stat(breaker).catch(() => undefined);
    if (other !== undefined && Date.now() - other.mtimeMs > BREAKER_STALE_MS) {
      await unlink(breaker).catch(() => {});
    }
    return;
  }
  try {
    const now = await readHolder(path);
    if (now !== undefined && now.id === stale.id && now.pid === stale.pid) {
      await unlink(path).catch((error: unknown) => {
        if (!isMissingFile(error)) throw error;
      });
    }
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock at `path`, waiting (with growing, jittered pauses) while another live holder has
 * it. Throws VoidError("conflict") when it is still held after `waitMs`; OS errors other than
 * "exists" are passed on for the caller to word.
 */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<FileLock> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const id = randomBytes(8).toString("hex");
  const content = `${JSON.stringify({ pid: process.pid, id, created: new Date().toISOString() })}\n`;
  const deadline = Date.now() + waitMs;
  let createdDir: string | undefined;
  let delay = FIRST_DELAY_MS;
  let lastHolder: Holder | undefined;
  for (;;) {
    try {
      const handle = await open(path, "wx", 0o600);
      try {
        await handle.writeFile(content, "utf8");
      } finally {
        await handle.close();
      }
      return lockHandle(path, id, createdDir);
    } catch (error) {
      const code = ioErrorCode(error);
      if (code === "ENOENT" && options.dirMode !== undefined) {
        // Again on every ENOENT: a holder that created the directory removes it when it is empty.
        const made = await mkdir(dirname(path), { recursive: true, mode: options.dirMode });
        createdDir ??= made;
        continue;
      }
      if (code !== "EEXIST") throw error;
    }
    const holder = await readHolder(path);
    if (holder === undefined) continue;
    lastHolder = holder;
    if (isStale(holder, staleMs)) {
      await breakStale(path, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const label = options.label ?? path;
      const who =
        lastHolder.pid === undefined ? "another process" : `another process (pid ${lastHolder.pid})`;
      throw new VoidError(
        "conflict",
        `${label} is being edited by ${who}; gave up after ${Math.round(waitMs / 1000)} s and wrote nothing`,
        {
          hint: `run the command again; if no voidmcp command is running, delete ${path}`,
        },
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

function lockHandle(path: string, id: string, createdDir: string | undefined): FileLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      try {
        const holder = await readHolder(path);
        if (holder?.id === id) await unlink(path);
      } catch {
        // Someone broke the lock as stale, or the directory went away: nothing of ours is left.
      }
      if (createdDir !== undefined) await removeEmptyDirs(dirname(path), createdDir);
    },
  };
}

/** Removes `dir` and its parents up to `top` (inclusive) while they are empty. */
async function removeEmptyDirs(dir: string, top: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === top || dirname(current) === current) return;
  }
}

/** Runs `fn` holding the lock at `path`; the lock is released however `fn` ends. */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lock = await acquireFileLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
