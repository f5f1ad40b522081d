import { VoidError } from "../core/index.js";
import { findDuplicateKeys, lineColumnAt, parseJsonText } from "../formats/index.js";
import { formatIssues, issuesFromZod, type RegistryIssue } from "./issues.js";
import { migrateRegistryDocument } from "./migrate.js";
import { normaliseRegistry } from "./normalise.js";
import { type RegistryDocument, type RegistryFile, registryFileSchema } from "./schema.js";
import { REGISTRY_VERSION, type Registry } from "./types.js";

const FIX_HINT = "fix the registry file; a running gateway keeps its last good registry until then";

/** A registry file read and checked, as both the raw document (for edits) and the schema's view. */
export interface CheckedDocument {
  /**
   * The parsed JSON in the current format (migrated from an older one when needed, see
   * migrate.ts), otherwise as written; undefined when the text was empty.
   */
  readonly document: RegistryDocument | undefined;
  readonly file: RegistryFile;
  /** The format version the text was written in (REGISTRY_VERSION for empty text). */
  readonly fromVersion: number;
}

/**
 * Parses, migrates and schema-checks registry text. Empty or whitespace-only text is an empty
 * registry. Throws VoidError("registry_invalid") listing every problem with `file:line:col`.
 */
export function checkRegistryText(text: string, path: string): CheckedDocument {
  if (text.trim() === "" || (text.charCodeAt(0) === 0xfeff && text.slice(1).trim() === "")) {
    return { document: undefined, file: {}, fromVersion: REGISTRY_VERSION };
  }
  const migrated = migrateRegistryDocument(parseJsonText(text, path, { hint: FIX_HINT, comments: true }));
  if ("issue" in migrated) {
    throw new VoidError("registry_invalid", formatIssues([migrated.issue], path, text), {
      hint: "upgrade voidmcp to read this file (see the README's install section)",
    });
  }
  const result = registryFileSchema.safeParse(migrated.document);
  const issues = [...duplicateKeyIssues(text), ...(result.success ? [] : issuesFromZod(result.error))];
  if (!result.success || issues.length > 0) {
    throw new VoidError("registry_invalid", formatIssues(issues, path, text), { hint: FIX_HINT });
  }
  return {
    document: migrated.document as RegistryDocument,
    file: result.data,
    fromVersion: migrated.fromVersion,
  };
}

/**
 * A repeated key is an error: JSON.parse would silently drop all but the last, and an edit would
 * then delete the others from the file.
 */
function duplicateKeyIssues(text: string): RegistryIssue[] {
  return findDuplicateKeys(text).map(({ path, firstOffset, offset }) => {
    const { line, column } = lineColumnAt(text, firstOffset);
    return {
      path,
      at: "key",
      offset,
      message: `repeats the key at ${line}:${column}; only the last one would count, so remove or rename one`,
    };
  });
}

/**
 * Pure: registry text to the normalised Registry. `path` is used as given, for messages and
 * `Registry.path` (loadRegistry passes an absolute one); the result has `exists: true`.
 */
export function parseRegistryText(text: string, path: string): Registry {
  return normaliseRegistry(checkRegistryText(text, path).file, path, true);
}
