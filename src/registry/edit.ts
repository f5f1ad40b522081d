import { readFile, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { VoidError } from "../core/index.js";
import { isMissingFile, readIfExists, replaceFileAtomically } from "../formats/index.js";
import { registryIoError } from "./io-error.js";
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

  try {
    await replaceFileAtomically(target, text, {
      original,
      mode,
      label: requested,
      ...(created ? { dirMode: NEW_DIR_MODE } : {}),
    });
  } catch (error) {
    throw error instanceof VoidError ? error : registryIoError("write", requested, error);
  }
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
