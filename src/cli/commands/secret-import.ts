import { type ImportedEntry, planSecretMoves, type SecretMove } from "../../clients/index.js";
import {
  type CredentialStore,
  openCredentialStore,
  SECRET_KEY_PREFIX,
  secretKey,
} from "../../secrets/index.js";
import { storeLabel } from "./secret-usage.js";

export interface SecretImport {
  readonly store: CredentialStore;
  /** How messages name the store. */
  readonly label: string;
  /** The entries with `${secret:NAME}` where their literal secrets were. */
  readonly entries: ImportedEntry[];
  readonly moves: SecretMove[];
}

/** `import --move-secrets`: what to store, planned against the secrets already stored. */
export async function moveSecretsPlan(
  entries: readonly ImportedEntry[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<SecretImport> {
  const store = await openCredentialStore({ env });
  const existing = new Map<string, string>();
  for (const key of await store.keys(SECRET_KEY_PREFIX)) {
    const value = await store.get(key);
    if (value !== undefined) existing.set(key.slice(SECRET_KEY_PREFIX.length), value);
  }
  const plan = planSecretMoves(entries, existing);
  return { store, label: storeLabel(store), ...plan };
}

/** Stores the moved values (those not stored already). */
export async function storeMoves(store: CredentialStore, moves: readonly SecretMove[]): Promise<void> {
  for (const move of moves) if (!move.reused) await store.set(secretKey(move.name), move.value);
}
