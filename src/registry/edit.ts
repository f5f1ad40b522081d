import { readFile, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { VoidError } from "../core/index.js";
import {
  acquireFileLock,
  applyJsonChanges,
  deepEqual,
  type FileLock,
  isMissingFile,
  parseJsonText,
  readIfExists,
  replaceFileAtomically,
} from "../formats/index.js";
import { registryIoError } from "./io-error.js";
import { formatIssues, issuesFromZod } from "./issues.js";
import { type CheckedDocument, checkRegistryText } from "./parse.js";
import { type RegistryDocument, registryFileSchema } from "./schema.js";
import { REGISTRY_VERSION } from "./types.js";

/** Mode of a registry file the CLI creates: it may hold tokens. */
const NEW_FILE_MODE = 0o600;
/** Mode of directories created for it. */
const NEW_DIR_MODE = 0o700;

export interface EditResult {
  /** True when the file did not exist before this edit. */
  readonly created: boolean;
}

function freshDocument(): RegistryDocument {
  return { version: REGISTRY_VERSION, mcpServers: {} };
}

export interface EditOptions {
  /** How long to wait for another voidmcp command editing the same file (default 10 s). */
  readonly lockWaitMs?: number;
}

/** Read-modify-write rounds tried when someone who does not take the lock changes the file meanwhile. */
const MAX_ATTEMPTS = 3;

/**
 * Edits the registry file at `path` atomically, keeping unknown keys and key order, and the
 * formatting and comments of everything the edit does not change.
 *
 * Contract:
 * - A missing file starts as `{ "version": 1, "mcpServers": {} }`; missing parent directories are
 *   created with mode 0700 and the new file gets mode 0600. An existing file keeps its mode, and a
 *   symbolic link keeps pointing at the (replaced) target.
 * - An existing file that is not valid JSON (comments allowed) or breaks the schema is never
 *   touched: VoidError("registry_invalid"), nothing written. The same when `mutate` throws (its
 *   error is passed on) or leaves a document that breaks the schema.
 * - `mutate` changes the plain parsed object in place; it may run more than once (see below), each
 *   time on a fresh read. Only the members it changed are rewritten in the text (byte-preserving
 *   JSONC edits: comments stay, inline objects stay inline). A new or empty file, or one in an
 *   older format, is written whole as `JSON.stringify(doc, null, 2) + "\n"`.
 * - The result goes to a temp file in the same directory, fsynced and renamed over the original,
 *   so readers see the old file or the new one, never a mix; no temp file is left behind.
 * - Concurrent edits do not lose each other's changes: the read-modify-write holds a lock file
 *   beside the file (`<file>.lock`, see formats/file-lock.ts); another holder is waited for up to
 *   `lockWaitMs`, then VoidError("conflict"). A writer that does not lock (an editor) changing the
 *   file meanwhile makes the round start again from the new content, up to 3 rounds; then
 *   VoidError("conflict") and nothing written.
 * - I/O failures are VoidError("registry_io") with the OS reason.
 */
export async function editRegistryFile(
  path: string,
  mutate: (doc: RegistryDocument) => unknown,
  options: EditOptions = {},
): Promise<EditResult> {
  const requested = resolve(path);
  let target = requested;
  try {
    target = await realpath(requested);
  } catch (error) {
    if (!isMissingFile(error)) throw registryIoError("read", requested, error);
  }
  let lock: FileLock;
  try {
    lock = await acquireFileLock(`${target}.lock`, {
      dirMode: NEW_DIR_MODE,
      label: requested,
      ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
    });
  } catch (error) {
    throw error instanceof VoidError ? error : registryIoError("write", requested, error);
  }
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await editOnce(requested, target, mutate);
      } catch (error) {
        const changedMeanwhile = error instanceof ChangedOnDisk;
        if (changedMeanwhile && attempt < MAX_ATTEMPTS) continue;
        throw changedMeanwhile ? error.cause : error;
      }
    }
  } finally {
    await lock.release();
  }
}

/** The atomic replace found the file changed since it was read; `cause` is its VoidError. */
class ChangedOnDisk extends Error {
  override readonly cause: VoidError;
  constructor(cause: VoidError) {
    super(cause.message);
    this.cause = cause;
  }
}

async function editOnce(
  requested: string,
  target: string,
  mutate: (doc: RegistryDocument) => unknown,
): Promise<EditResult> {
  let original: Buffer | undefined;
  let mode = NEW_FILE_MODE;
  try {
    original = await readFile(target);
    mode = (await stat(target)).mode & 0o777;
  } catch (error) {
    if (!isMissingFile(error)) throw registryIoError("read", requested, error);
  }
  const created = original === undefined;

  const originalText = original?.toString("utf8");
  const checked = originalText === undefined ? undefined : readChecked(originalText, requested);
  const doc = checked?.document ?? freshDocument();
  const before = structuredClone(doc);
  await mutate(doc);
  const plain = JSON.parse(JSON.stringify(doc)) as RegistryDocument;
  const result = registryFileSchema.safeParse(plain);
  if (!result.success) {
    throw new VoidError("registry_invalid", formatIssues(issuesFromZod(result.error), requested), {
      hint: `the change would make the registry invalid, so ${requested} was left as it was`,
    });
  }
  const text =
    originalText !== undefined && checked?.document !== undefined && checked.fromVersion === REGISTRY_VERSION
      ? editedText(originalText, before, plain, requested)
      : `${JSON.stringify(doc, null, 2)}\n`;

  try {
    await replaceFileAtomically(target, text, {
      original,
      mode,
      label: requested,
      ...(created ? { dirMode: NEW_DIR_MODE } : {}),
    });
  } catch (error) {
    if (error instanceof VoidError && error.code === "conflict") throw new ChangedOnDisk(error);
    throw error instanceof VoidError ? error : registryIoError("write", requested, error);
  }
  return { created };
}

/**
 * `text` with only the members that differ between `before` and `after` rewritten. The edit is
 * checked by parsing it again; should it not give `after` (a bug), the whole document is written
 * out instead, which loses comments but never data.
 */
function editedText(text: string, before: RegistryDocument, after: RegistryDocument, path: string): string {
  try {
    const edited = applyJsonChanges(text, before, after);
    if (deepEqual(parseJsonText(edited, path, { comments: true }), after)) return edited;
  } catch {
    // Fall through to writing the whole document.
  }
  return `${JSON.stringify(after, null, 2)}\n`;
}

/**
 * The document editRegistryFile would hand to `mutate`, without writing anything: for dry runs.
 * A missing or empty file gives `{ "version": 1, "mcpServers": {} }`. Throws like editRegistryFile
 * for an unreadable (registry_io) or invalid (registry_invalid) file.
 */
export async function loadRegistryDocument(path: string): Promise<RegistryDocument> {
  const requested = resolve(path);
  let bytes: Buffer | undefined;
  try {
    bytes = await readIfExists(requested);
  } catch (error) {
    throw registryIoError("read", requested, error);
  }
  return (bytes === undefined ? undefined : readDocument(bytes, requested)) ?? freshDocument();
}

/** The parsed document of an existing file (undefined when empty); refuses an invalid one. */
function readDocument(bytes: Buffer, path: string): RegistryDocument | undefined {
  return readChecked(bytes.toString("utf8"), path).document;
}

/** An existing file's text, checked; refuses an invalid one with a hint not to rewrite it. */
function readChecked(text: string, path: string): CheckedDocument {
  try {
    return checkRegistryText(text, path);
  } catch (error) {
    if (error instanceof VoidError && error.code === "registry_invalid") {
      throw new VoidError("registry_invalid", error.message, {
        hint: `fix ${path} by hand first; voidmcp does not rewrite a registry it cannot read`,
        cause: error,
      });
    }
    throw error;
  }
}
