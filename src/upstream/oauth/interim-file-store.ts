/**
 * INTERIM: a credential store in one JSON file, until src/secrets/ brings the real one (OS
 * keychain / Secret Service / 0600 file). It is reached only through openCredentialStore()
 * (open-store.ts); swap it there.
 *
 * `<dir>/credentials.json`, mode 0600 in a 0700 directory: `{ "<key>": "<value>", ... }`. Each
 * change is a read-modify-write under a lock file beside it and an atomic replace, so several
 * voidmcp processes (one per IDE) can share it. Values are never logged; errors name the file
 * and the key only.
 */
import { join } from "node:path";
import { VoidError } from "../../core/index.js";
import { ioReason, readIfExists, replaceFileAtomically, withFileLock } from "../../formats/index.js";
import type { CredentialStore } from "../../secrets/index.js";

export const INTERIM_STORE_FILE = "credentials.json";

export class InterimFileStore implements CredentialStore {
  readonly backend = "file" as const;
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, INTERIM_STORE_FILE);
  }

  private async read(): Promise<{ bytes: Buffer | undefined; values: Record<string, string> }> {
    let bytes: Buffer | undefined;
    try {
      bytes = await readIfExists(this.path);
    } catch (error) {
      throw new VoidError("registry_io", `cannot read the credential file ${this.path}: ${ioReason(error)}`);
    }
    if (bytes === undefined) return { bytes, values: {} };
    try {
      const parsed = JSON.parse(bytes.toString("utf8")) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(parsed)) if (typeof value === "string") values[key] = value;
      return { bytes, values };
    } catch {
      throw new VoidError("registry_io", `the credential file ${this.path} is damaged (not a JSON object)`, {
        hint: "delete it and sign in again with `voidmcp auth <server>`",
      });
    }
  }

  private async change(key: string, update: (values: Record<string, string>) => boolean): Promise<boolean> {
    return withFileLock(
      `${this.path}.lock`,
      async () => {
        const { bytes, values } = await this.read();
        const changed = update(values);
        if (!changed) return false;
        try {
          await replaceFileAtomically(this.path, `${JSON.stringify(values, null, 2)}\n`, {
            original: bytes,
            mode: 0o600,
            dirMode: 0o700,
          });
        } catch (error) {
          if (error instanceof VoidError) throw error;
          throw new VoidError("registry_io", `cannot store "${key}" in ${this.path}: ${ioReason(error)}`);
        }
        return true;
      },
      { dirMode: 0o700, label: this.path },
    );
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.read()).values[key];
  }

  async set(key: string, value: string): Promise<void> {
    await this.change(key, (values) => {
      if (values[key] === value) return false;
      values[key] = value;
      return true;
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.change(key, (values) => {
      if (!(key in values)) return false;
      delete values[key];
      return true;
    });
  }

  async keys(prefix: string): Promise<string[]> {
    return Object.keys((await this.read()).values)
      .filter((key) => key.startsWith(prefix))
      .sort();
  }
}
