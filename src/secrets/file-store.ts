import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { VoidError } from "../core/index.js";
import {
  ioReason,
  isMissingFile,
  readIfExists,
  replaceFileAtomically,
  withFileLock,
} from "../formats/index.js";
import { assertStoreKey } from "./names.js";
import type { CredentialBackend, CredentialStore } from "./types.js";

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** What a stat says about a version of the file: a rename or a write changes at least one. */
interface Version {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
}

function sameVersion(a: Version, b: Version): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/**
 * Pure: the credentials in the file's text. The file is `{"version": 1, "credentials": {key: value}}`
 * with string values; anything else is an error that names the file and never quotes it (it is
 * full of secrets).
 */
export function parseCredentialFile(text: string, path: string): Map<string, string> {
  const broken = (why: string) =>
    new VoidError("credentials", `${path} is not a voidmcp credential file (${why}); nothing was changed`, {
      hint: "fix the file, or move it aside and set the secrets again (voidmcp secret set NAME)",
    });
  if (text.trim() === "") return new Map();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw broken("not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw broken("not a JSON object");
  const { version, credentials } = value as { version?: unknown; credentials?: unknown };
  if (version !== 1) throw broken(`expected "version": 1`);
  if (typeof credentials !== "object" || credentials === null || Array.isArray(credentials))
    throw broken(`expected "credentials" to be an object`);
  const out = new Map<string, string>();
  for (const [key, stored] of Object.entries(credentials)) {
    if (typeof stored !== "string") throw broken(`the value of ${JSON.stringify(key)} is not a string`);
    out.set(key, stored);
  }
  return out;
}

/** Pure: the file's text for `credentials`, keys sorted so that a diff of two versions is small. */
export function formatCredentialFile(credentials: ReadonlyMap<string, string>): string {
  const sorted = Object.fromEntries(
    [...credentials.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ version: 1, credentials: sorted }, null, 2)}\n`;
}

/**
 * Credentials in one JSON file readable only by the user (0600, in a 0700 directory). Every
 * change is a read-modify-write under the formats file lock (`credentials.json.lock`) ending in an
 * atomic replace, so several `voidmcp serve` processes and a `voidmcp auth` or `secret set` in
 * another terminal never lose each other's writes. Every read looks at the file again (a stat,
 * and a read only when the stat changed), so a write by another process is seen at once.
 *
 * A file that cannot be parsed is never overwritten: reads and writes fail with a
 * VoidError("credentials") naming the file until a person fixes or moves it.
 */
export class FileCredentialStore implements CredentialStore {
  readonly backend: CredentialBackend = "file";
  readonly path: string;
  private cache: { readonly version: Version; readonly credentials: Map<string, string> } | undefined;

  constructor(path: string) {
    this.path = path;
  }

  get location(): string {
    return this.path;
  }

  get changeMarker(): string {
    return this.path;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.read()).get(key);
  }

  async keys(prefix: string): Promise<string[]> {
    return [...(await this.read()).keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async set(key: string, value: string): Promise<void> {
    assertStoreKey(key);
    await this.change((credentials) => {
      if (credentials.get(key) === value) return false;
      credentials.set(key, value);
      return true;
    });
  }

  async delete(key: string): Promise<boolean> {
    // Nothing to delete: no lock, and no directory made for nothing.
    if (!(await this.read()).has(key)) return false;
    return this.change((credentials) => credentials.delete(key));
  }

  /** The current credentials (cached while the file's stat is unchanged). */
  private async read(): Promise<Map<string, string>> {
    let version: Version;
    try {
      const info = await stat(this.path, { bigint: true });
      version = { ino: info.ino, size: info.size, mtimeNs: info.mtimeNs };
    } catch (error) {
      if (isMissingFile(error)) {
        this.cache = undefined;
        return new Map();
      }
      throw this.ioError("read", error);
    }
    if (this.cache && sameVersion(this.cache.version, version)) return this.cache.credentials;
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (isMissingFile(error)) return new Map();
      throw this.ioError("read", error);
    }
    const credentials = parseCredentialFile(text, this.path);
    this.cache = { version, credentials };
    return credentials;
  }

  /** Read-modify-write under the lock; `edit` returns whether it changed anything. */
  private async change(edit: (credentials: Map<string, string>) => boolean): Promise<boolean> {
    const dir = dirname(this.path);
    try {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
    } catch (error) {
      throw this.ioError("create the directory of", error);
    }
    return withFileLock(
      `${this.path}.lock`,
      async () => {
        let original: Buffer | undefined;
        try {
          original = await readIfExists(this.path);
        } catch (error) {
          throw this.ioError("read", error);
        }
        const credentials = parseCredentialFile(original?.toString("utf8") ?? "", this.path);
        if (!edit(credentials)) return false;
        try {
          await replaceFileAtomically(this.path, formatCredentialFile(credentials), {
            original,
            mode: FILE_MODE,
            dirMode: DIR_MODE,
          });
          // The directory may predate us (the audit log shares it): narrow it, best effort.
          await chmod(dir, DIR_MODE).catch(() => {});
        } catch (error) {
          if (error instanceof VoidError) throw error;
          throw this.ioError("write", error);
        }
        this.cache = undefined;
        return true;
      },
      { label: this.path },
    );
  }

  private ioError(what: string, error: unknown): VoidError {
    return new VoidError("credentials", `cannot ${what} ${this.path}: ${ioReason(error)}`, { cause: error });
  }
}
