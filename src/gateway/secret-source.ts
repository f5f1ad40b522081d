import { createHash } from "node:crypto";
import { type Stats, unwatchFile, watchFile } from "node:fs";
import { describeError, type Logger } from "../core/index.js";
import { type ServerSpec, secretReferences } from "../registry/index.js";
import { type CredentialStore, secretKey } from "../secrets/index.js";

/** How often the store's change marker is looked at while serving (as the registry's poll). */
const POLL_MS = 1_000;

interface WatchRequest {
  readonly specs: () => readonly ServerSpec[];
  readonly restart: (name: string) => void;
  readonly log: Logger;
}

/**
 * The gateway's way to the credential store: opened on first need (a command whose servers use
 * no secret never probes the OS store), reopened after a failed open. Reads the secrets that
 * servers reference at each connect, and, while serving, restarts the servers whose secrets
 * changed (set or removed in another terminal): the store's change marker is polled, and a server
 * restarts when the digest of its referenced values differs from the one last seen.
 */
export class SecretSource {
  private readonly open: () => Promise<CredentialStore>;
  private opening: Promise<CredentialStore> | undefined;
  private watched:
    | { readonly path: string; readonly listener: (curr: Stats, prev: Stats) => void }
    | undefined;
  private readonly digests = new Map<string, string>();
  private checking = false;
  /** What watch() asked for, started when the store opens. */
  private pending: WatchRequest | undefined;
  private starting = false;
  private again = false;
  private closed = false;

  constructor(open: () => Promise<CredentialStore>) {
    this.open = open;
  }

  store(): Promise<CredentialStore> {
    if (this.opening === undefined) {
      const opening = this.open();
      this.opening = opening;
      opening.then(
        () => {
          if (this.pending) void this.startWatch(this.pending);
        },
        () => {
          if (this.opening === opening) this.opening = undefined;
        },
      );
    }
    return this.opening;
  }

  /** The stored values of secrets `names` (absent ones left out). */
  async values(names: readonly string[]): Promise<Map<string, string>> {
    const store = await this.store();
    const found = new Map<string, string>();
    for (const name of names) {
      const value = await store.get(secretKey(name));
      if (value !== undefined) found.set(name, value);
    }
    return found;
  }

  /** A digest of what `spec`'s referenced secrets hold now (undefined: it references none). */
  private async digestOf(spec: ServerSpec): Promise<string | undefined> {
    const names = secretReferences(spec);
    if (names.length === 0) return undefined;
    const values = await this.values(names);
    const pairs = names.map((name) => [name, values.get(name) ?? null]);
    return createHash("sha256").update(JSON.stringify(pairs)).digest("hex");
  }

  /**
   * Calls `restart(name)` for each of `specs()` whose secrets changed since the last look. Opens
   * nothing by itself: the watch begins once the store is open (a server's secrets were read, or
   * it already was), with a first look in which nothing restarts. Idempotent; close() stops it.
   */
  watch(specs: () => readonly ServerSpec[], restart: (name: string) => void, log: Logger): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending = { specs, restart, log };
    return this.opening === undefined ? Promise.resolve() : this.startWatch(this.pending);
  }

  private async startWatch({ specs, restart, log }: WatchRequest): Promise<void> {
    if (this.watched || this.starting || this.closed) return;
    this.starting = true;
    try {
      await this.watchStore(specs, restart, log);
    } finally {
      this.starting = false;
    }
  }

  private async watchStore(
    specs: () => readonly ServerSpec[],
    restart: (name: string) => void,
    log: Logger,
  ): Promise<void> {
    let store: CredentialStore;
    try {
      store = await this.store();
    } catch (error) {
      log.warn(`credential store: ${describeError(error)}; secrets set while serving need a restart`);
      return;
    }
    const path = store.changeMarker;
    if (path === undefined || this.closed) return;
    const check = async (first: boolean): Promise<void> => {
      if (this.checking) {
        this.again = true;
        return;
      }
      this.checking = true;
      try {
        do {
          this.again = false;
          for (const spec of specs()) {
            const digest = await this.digestOf(spec).catch((error: unknown) => {
              log.warn(`credential store: ${describeError(error)}`);
              return this.digests.get(spec.name);
            });
            const before = this.digests.get(spec.name);
            if (digest === undefined) this.digests.delete(spec.name);
            else this.digests.set(spec.name, digest);
            if (!first && digest !== undefined && before !== undefined && digest !== before && !this.closed) {
              log.info(`a secret of "${spec.name}" changed: restarting it`);
              restart(spec.name);
            }
          }
        } while (this.again && !this.closed);
      } finally {
        this.checking = false;
      }
    };
    await check(true);
    if (this.closed) return;
    const listener = () => void check(false);
    watchFile(path, { interval: POLL_MS, persistent: false }, listener);
    this.watched = { path, listener };
  }

  close(): void {
    this.closed = true;
    if (this.watched) unwatchFile(this.watched.path, this.watched.listener);
    this.watched = undefined;
  }
}
