import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { VoidError } from "../core/index.js";
import { isMissingFile } from "./io-error.js";

export interface ReplaceOptions {
  /** What the caller read from `target`; undefined when it did not exist. */
  readonly original: Buffer | undefined;
  /** Mode of the written file. */
  readonly mode: number;
  /** When set, missing parent directories are created with this mode. */
  readonly dirMode?: number;
  /** How messages name the file (default: `target`), e.g. the path the user gave before links. */
  readonly label?: string;
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

/**
 * Replaces `target` (a real path, not a symbolic link) with `text` atomically: a temp file in the
 * same directory, fsynced, renamed over it, so readers see the old file or the new one, never a
 * mix. No temp file is left behind, whatever fails.
 *
 * If `target` no longer holds `options.original` when the rename is due, nothing is written:
 * VoidError("conflict"). Other failures are the OS errors, for the caller to word.
 */
export async function replaceFileAtomically(
  target: string,
  text: string,
  options: ReplaceOptions,
): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    if (options.dirMode !== undefined) await mkdir(dir, { recursive: true, mode: options.dirMode });
    const handle = await open(temp, "wx", options.mode);
    try {
      await handle.writeFile(text, "utf8");
      // The umask may have narrowed the mode given to open.
      await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!sameBytes(await readIfExists(target), options.original)) {
      throw new VoidError(
        "conflict",
        `${options.label ?? target} changed on disk while it was being edited; nothing was written`,
        {
          hint: "run the command again",
        },
      );
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes a rename durable; best effort, since not every platform can fsync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability of the rename is a bonus; the file itself was fsynced.
  }
}
