import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { VoidError } from "../core/index.js";
import { isMissingFile, registryIoError } from "./io-error.js";
import { formatIssues, issuesFromZod } from "./issues.js";
import { checkRegistryText } from "./parse.js";
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

async function readIfExists(path: string): Promise<Buffer | undefined> {
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
 * Edits the registry file at `path` atomically, keeping unknown keys and key order.
 *
 * Contract:
 * - A missing file starts as `{ "version": 1, "mcpServers": {} }`; missing parent directories are
 *   created with mode 0700 and the new file gets mode 0600. An existing file keeps its mode, and a
 *   symbolic link keeps pointing at the (replaced) target.
 * - An existing file that is not valid JSON or breaks the schema is never touched:
 *   VoidError("registry_invalid"), nothing written. The same when `mutate` throws (its error is
 *   passed on) or leaves a document that breaks the schema.
 * - `mutate` changes the plain parsed object in place. The result is written as
 *   `JSON.stringify(doc, null, 2) + "\n"` to a temp file in the same directory, fsynced and renamed
 *   over the original, so readers see the old file or the new one, never a mix; no temp file is
 *   left behind, whatever fails.
 * - If the file changes on disk while the edit is under way, nothing is written:
 *   VoidError("conflict").
 * - I/O failures are VoidError("registry_io") with the OS reason.
 */
export async function editRegistryFile(
  path: string,
  mutate: (doc: RegistryDocument) => unknown,
): Promise<EditResult> {
  const requested = resolve(path);
  let target = requested;
  let original: Buffer | undefined;
  let mode = NEW_FILE_MODE;
  try {
    target = await realpath(requested);
    original = await readFile(target);
    mode = (await stat(target)).mode & 0o777;
  } catch (error) {
    if (!isMissingFile(error)) throw registryIoError("read", requested, error);
  }
  const created = original === undefined;

  const doc =
    original === undefined ? freshDocument() : (readDocument(original, requested) ?? freshDocument());
  await mutate(doc);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const checked = registryFileSchema.safeParse(JSON.parse(text));
  if (!checked.success) {
    throw new VoidError("registry_invalid", formatIssues(issuesFromZod(checked.error), requested), {
      hint: `the change would make the registry invalid, so ${requested} was left as it was`,
    });
  }

  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    if (created) await mkdir(dir, { recursive: true, mode: NEW_DIR_MODE });
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(text, "utf8");
      // The umask may have narrowed the mode given to open.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!sameBytes(await readIfExists(target), original)) {
      throw new VoidError(
        "conflict",
        `${requested} changed on disk while it was being edited; nothing was written`,
        {
          hint: "run the command again",
        },
      );
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error instanceof VoidError ? error : registryIoError("write", requested, error);
  }
  await syncDirectory(dir);
  return { created };
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
  try {
    return checkRegistryText(bytes.toString("utf8"), path).document;
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

/** Makes the rename durable; best effort, since not every platform can fsync a directory. */
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
