import { constants } from "node:fs";
import { chmod, copyFile, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { VoidError } from "../core/index.js";
import { ioErrorCode, ioReason, isMissingFile, replaceFileAtomically } from "../formats/index.js";

/** Mode of a client file voidmcp creates (it may come to hold tokens), and of its directories. */
const NEW_FILE_MODE = 0o600;
const NEW_DIR_MODE = 0o700;

/** A client's config file as read, before an edit. */
export interface ClientFile {
  /** The path as given (absolute). */
  readonly path: string;
  /** Where the bytes are: the path with symbolic links resolved. */
  readonly target: string;
  /** Undefined when the file does not exist. */
  readonly bytes: Buffer | undefined;
  readonly text: string | undefined;
  readonly mode: number | undefined;
}

function ioError(verb: "read" | "write", path: string, error: unknown): VoidError {
  const code = ioErrorCode(error);
  const hint =
    code === "EACCES" || code === "EPERM"
      ? `check the permissions of ${path} and its directory (ls -l)`
      : code === "EISDIR"
        ? "give the path of a file with --file"
        : `check that ${path} is a ${verb === "read" ? "readable" : "writable"} file`;
  return new VoidError("registry_io", `cannot ${verb} ${path}: ${ioReason(error)}`, { hint, cause: error });
}

/** Reads a client's config file; a missing one is not an error. Throws VoidError("registry_io"). */
export async function readClientFile(path: string): Promise<ClientFile> {
  const requested = resolve(path);
  try {
    const target = await realpath(requested);
    const bytes = await readFile(target);
    const mode = (await stat(target)).mode & 0o777;
    return { path: requested, target, bytes, text: bytes.toString("utf8"), mode };
  } catch (error) {
    if (isMissingFile(error)) {
      return { path: requested, target: requested, bytes: undefined, text: undefined, mode: undefined };
    }
    throw ioError("read", requested, error);
  }
}

/**
 * Refuses a file that is marked read-only (no owner write bit): someone made it so on purpose,
 * and renaming over it would succeed anyway. Throws VoidError("registry_io").
 */
export function assertWritable(file: ClientFile, printCommand: string): void {
  if (file.mode === undefined || (file.mode & 0o200) !== 0) return;
  throw new VoidError(
    "registry_io",
    `cannot write ${file.path}: it is read-only (mode ${file.mode.toString(8).padStart(4, "0")}); nothing was changed`,
    { hint: `make it writable (chmod u+w) and run this again, or add the entry yourself: ${printCommand}` },
  );
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", "-");
}

/** Copies the file to `<name>.voidmcp-backup-<YYYYMMDD-HHMMSS>` beside it (never over another). */
async function backup(file: ClientFile, now: Date): Promise<string> {
  const base = join(dirname(file.target), `${basename(file.target)}.voidmcp-backup-${stamp(now)}`);
  for (let n = 0; ; n++) {
    const path = n === 0 ? base : `${base}-${n}`;
    try {
      await copyFile(file.target, path, constants.COPYFILE_EXCL);
      await chmod(path, file.mode ?? NEW_FILE_MODE);
      return path;
    } catch (error) {
      if (ioErrorCode(error) !== "EEXIST") throw ioError("write", path, error);
    }
  }
}

export interface WriteResult {
  readonly created: boolean;
  /** Where the previous content was saved; undefined for a new file. */
  readonly backup: string | undefined;
}

/**
 * Writes `text` over the client's file: a timestamped backup of the old content first, then an
 * atomic replace keeping the file's mode (a symbolic link keeps pointing at it). A missing file is
 * created with its directories. If the file changed since it was read, nothing is written
 * (VoidError("conflict")). I/O failures are VoidError("registry_io").
 */
export async function writeClientFile(
  file: ClientFile,
  text: string,
  now = new Date(),
): Promise<WriteResult> {
  const created = file.bytes === undefined;
  const saved = created ? undefined : await backup(file, now);
  try {
    await replaceFileAtomically(file.target, text, {
      original: file.bytes,
      mode: file.mode ?? NEW_FILE_MODE,
      label: file.path,
      ...(created ? { dirMode: NEW_DIR_MODE } : {}),
    });
  } catch (error) {
    throw error instanceof VoidError ? error : ioError("write", file.path, error);
  }
  return { created, backup: saved };
}
