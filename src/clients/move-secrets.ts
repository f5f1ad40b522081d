import type { RawServerEntry } from "../registry/index.js";
import type { ImportedEntry } from "./import.js";

/** A literal secret found in an imported entry: where it is, without its value. */
export interface LiteralSecret {
  readonly server: string;
  /** `headers.Authorization`, `env.API_KEY`. */
  readonly field: string;
}

/** One value to put into the credential store, and the name the registry entry now uses. */
export interface SecretMove extends LiteralSecret {
  /** The secret's name: the entry holds `${secret:<name>}` where the value was. */
  readonly name: string;
  readonly value: string;
  /** A secret of that name already holds (or another move stores) exactly this value: nothing to store. */
  readonly reused: boolean;
}

/** Name pieces that mark a key as holding a credential (`GITHUB_TOKEN`, `X-Api-Key`, `apiKey`). */
const SECRET_WORDS = new Set([
  "TOKEN",
  "TOKENS",
  "SECRET",
  "SECRETS",
  "KEY",
  "APIKEY",
  "PASSWORD",
  "PASSWD",
  "PWD",
  "PASS",
  "CREDENTIAL",
  "CREDENTIALS",
  "AUTHORIZATION",
  "COOKIE",
  "PAT",
]);

/** Flags and switches are settings, whatever their key says (`USE_TOKEN=1`). */
const SETTING_VALUE = /^(true|false|yes|no|on|off|\d{1,4})$/i;

/** A scheme and its credential: `Bearer abc`, `Basic Zm9v`, `token ghp_x`. */
const SCHEME = /^(Bearer|Basic|Token|Bot)(\s+)(\S.*)$/i;

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/**
 * Pure: whether a literal env or header value looks like a secret. Its key has a credential word
 * (TOKEN, SECRET, KEY, PASSWORD, …, or is Authorization), or its value starts with an auth
 * scheme (`Bearer …`). A value that already references something (`${…}`), an empty one, and a
 * flag-like one (`1`, `true`) are never secrets.
 */
export function looksSecret(key: string, value: string): boolean {
  if (value.trim() === "" || value.includes("${") || SETTING_VALUE.test(value.trim())) return false;
  if (SCHEME.test(value.trim())) return true;
  return words(key).some((w) => SECRET_WORDS.has(w));
}

/** Pure: `<SERVER>_<KEY>` as a secret name: `my-github` + `Authorization` → `MY_GITHUB_AUTHORIZATION`. */
export function secretNameFor(server: string, key: string): string {
  const part = (text: string) =>
    text
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
  const serverPart = part(server);
  const keyPart = part(key);
  // An env key that already names the server (`GITHUB_TOKEN` of server `github`) is kept as it is.
  const name =
    keyPart === serverPart || keyPart.startsWith(`${serverPart}_`) ? keyPart : `${serverPart}_${keyPart}`;
  const safe = name === "" ? "SECRET" : name;
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

interface Place {
  readonly record: "env" | "headers";
  readonly key: string;
  readonly value: string;
}

function placesOf(entry: RawServerEntry): Place[] {
  const places: Place[] = [];
  for (const record of ["env", "headers"] as const) {
    const values = entry[record];
    if (values === undefined) continue;
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === "string" && looksSecret(key, value)) places.push({ record, key, value });
    }
  }
  return places;
}

/** Pure: the literal secrets in `entries`, for the warning of an import without --move-secrets. */
export function literalSecrets(entries: readonly Pick<ImportedEntry, "name" | "entry">[]): LiteralSecret[] {
  return entries.flatMap(({ name, entry }) =>
    placesOf(entry).map((p) => ({ server: name, field: `${p.record}.${p.key}` })),
  );
}

/**
 * Pure: `entries` with every literal secret replaced by `${secret:NAME}` (an auth scheme stays in
 * the header: `Bearer ${secret:NAME}`), and the values to store. Names are `<SERVER>_<KEY>`; a
 * name that `existing` (the stored secrets) holds with the same value is reused, one with another
 * value gets `_2`, `_3`, …, so importing the same file twice changes nothing the second time.
 */
export function planSecretMoves(
  entries: readonly ImportedEntry[],
  existing: ReadonlyMap<string, string>,
): { entries: ImportedEntry[]; moves: SecretMove[] } {
  const moves: SecretMove[] = [];
  const planned = new Map<string, string>();
  /** The name for `value`; `reused` when it is stored (or planned) already. */
  const pick = (base: string, value: string): { name: string; reused: boolean } => {
    for (let i = 1; ; i++) {
      const name = i === 1 ? base : `${base}_${i}`;
      const held = planned.get(name) ?? existing.get(name);
      if (held === value) return { name, reused: true };
      if (held === undefined) {
        planned.set(name, value);
        return { name, reused: false };
      }
    }
  };
  const out = entries.map((imported) => {
    const places = placesOf(imported.entry);
    if (places.length === 0) return imported;
    const entry: RawServerEntry = { ...imported.entry };
    for (const place of places) {
      const scheme = SCHEME.exec(place.value.trim());
      const value = scheme ? (scheme[3] as string) : place.value;
      const { name, reused } = pick(secretNameFor(imported.name, place.key), value);
      const reference = `\${secret:${name}}`;
      entry[place.record] = {
        ...(entry[place.record] as Record<string, string>),
        [place.key]: scheme ? `${scheme[1]}${scheme[2]}${reference}` : reference,
      };
      moves.push({ server: imported.name, field: `${place.record}.${place.key}`, name, value, reused });
    }
    return { ...imported, entry };
  });
  return { entries: out, moves };
}
