/**
 * Where voidmcp keeps what must never be written into the registry file: OAuth tokens, refresh
 * tokens, registered OAuth clients, and the user's named secrets for `${secret:NAME}`.
 *
 * Keys are plain strings namespaced by their owner (`secret:<NAME>`, `oauth:<server>:…`); values
 * are strings (callers serialise JSON themselves). Implementations never log or echo a value, and
 * their errors name the key and the backend, never the value.
 */
export interface CredentialStore {
  /** Which backend holds the values: shown by `voidmcp doctor` and `voidmcp secret list`. */
  readonly backend: CredentialBackend;
  /** The value, or undefined when the key is not stored. */
  get(key: string): Promise<string | undefined>;
  /** Stores or replaces the value. */
  set(key: string, value: string): Promise<void>;
  /** Forgets the key; false when it was not stored. */
  delete(key: string): Promise<boolean>;
  /** Every stored key starting with `prefix`, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** Where the values are, for people: a file path, or the OS store and its service name. */
  readonly location?: string;
  /**
   * A file whose modification time changes on every set and delete, by any process (the
   * credential file itself, or the key index of an OS store). A running gateway polls it to see
   * that another terminal changed a credential. Undefined: changes cannot be seen.
   */
  readonly changeMarker?: string;
}

/** The operating system's credential store, or a file readable only by the user (mode 0600). */
export type CredentialBackend = "keychain" | "windows-credential-manager" | "secret-service" | "file";

/** The data half of a store: what a component that only reads and writes values needs. */
export type CredentialData = Pick<CredentialStore, "get" | "set" | "delete" | "keys">;
