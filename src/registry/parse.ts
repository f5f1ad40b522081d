import { VoidError } from "../core/index.js";
import { formatIssues, issuesFromZod, type RegistryIssue } from "./issues.js";
import { findDuplicateKeys, lineColumnAt } from "./json-locate.js";
import { normaliseRegistry } from "./normalise.js";
import { parseJsonText } from "./parse-json.js";
import { type RegistryDocument, type RegistryFile, registryFileSchema } from "./schema.js";
import type { Registry } from "./types.js";

const FIX_HINT = "fix the registry file; a running gateway keeps its last good registry until then";

/** A registry file read and checked, as both the raw document (for edits) and the schema's view. */
export interface CheckedDocument {
  /** The parsed JSON as written; undefined when the text was empty. */
  readonly document: RegistryDocument | undefined;
  readonly file: RegistryFile;
}

/**
 * Parses and schema-checks registry text. Empty or whitespace-only text is an empty registry.
 * Throws VoidError("registry_invalid") listing every problem with `file:line:col`.
 */
export function checkRegistryText(text: string, path: string): CheckedDocument {
  if (text.trim() === "" || (text.charCodeAt(0) === 0xfeff && text.slice(1).trim() === "")) {
    return { document: undefined, file: {} };
  }
  const value = parseJsonText(text, path, FIX_HINT);
  const result = registryFileSchema.safeParse(value);
  const issues = [...duplicateKeyIssues(text), ...(result.success ? [] : issuesFromZod(result.error))];
  if (!result.success || issues.length > 0) {
    throw new VoidError("registry_invalid", formatIssues(issues, path, text), { hint: FIX_HINT });
  }
  return { document: value as RegistryDocument, file: result.data };
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
