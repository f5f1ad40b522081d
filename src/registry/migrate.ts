import type { RegistryIssue } from "./issues.js";
import { REGISTRY_VERSION } from "./types.js";

/**
 * Older registry formats, brought up to the current one when a file is read. Reading never writes:
 * the file changes only when the CLI edits it, and then it is written in the current format.
 *
 * Format versions: 0 is a file without `version` (or with `version: 0`); 1 is the current format.
 * To change the format: raise REGISTRY_VERSION and append the migration from the previous version
 * here. A migration is a pure function of the whole document that keeps every key it does not
 * deliberately change (unknown keys included) and keeps key order where it can; the runner sets
 * `version` itself.
 */
export interface Migration {
  /** The version this migration reads; it produces `from + 1`. */
  readonly from: number;
  /** What changes, for the record. */
  readonly summary: string;
  migrate(document: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    summary: "files from before the version key have the shape of version 1; they only gain the key",
    migrate: (document) => ({ ...document }),
  },
];

export type MigrationResult =
  | {
      /** The document in the current format (the input itself when it already was). */
      readonly document: unknown;
      /** The version the text was written in. */
      readonly fromVersion: number;
    }
  | { readonly issue: RegistryIssue };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Pure: a parsed registry document in the current format. A document that is not an object, or
 * whose `version` is not a whole number, is returned as it is for the schema to report. A version
 * above `current` is an issue (the file was written by a newer voidmcp). Migrated documents have
 * `version` as their first key.
 */
export function migrateRegistryDocument(
  value: unknown,
  migrations: readonly Migration[] = MIGRATIONS,
  current: number = REGISTRY_VERSION,
): MigrationResult {
  if (!isObject(value)) return { document: value, fromVersion: current };
  const version = value.version ?? 0;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0) {
    return { document: value, fromVersion: current };
  }
  if (version > current) {
    return {
      issue: {
        path: ["version"],
        at: "value",
        message: `format ${version} was written by a newer voidmcp; this one reads formats up to ${current}`,
      },
    };
  }
  if (version === current) return { document: value, fromVersion: version };
  let document: Record<string, unknown> = value;
  for (let from = version; from < current; from++) {
    const step = migrations.find((m) => m.from === from);
    if (step === undefined) throw new Error(`no registry migration from format ${from}`);
    const { version: _old, ...rest } = step.migrate(document);
    document = { version: from + 1, ...rest };
  }
  return { document, fromVersion: version };
}
