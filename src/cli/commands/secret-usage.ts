import { describeError } from "../../core/index.js";
import type { ServerSpec } from "../../registry/index.js";
import { secretReferences } from "../../registry/index.js";
import { type CredentialStore, openCredentialStore, SECRET_KEY_PREFIX } from "../../secrets/index.js";
import type { Check } from "../doctor/checks.js";

export interface SecretUse {
  readonly name: string;
  /** Registered servers whose env, headers or url reference it. */
  readonly usedBy: readonly string[];
}

export interface SecretUsage {
  /** Stored secrets, sorted by name. */
  readonly stored: readonly SecretUse[];
  /** Referenced by some server but not stored, in registry order. */
  readonly missing: readonly SecretUse[];
}

/** Pure: which stored secrets the registry uses, and which it references without them being stored. */
export function secretUsage(servers: readonly ServerSpec[], storedNames: readonly string[]): SecretUsage {
  const users = new Map<string, string[]>();
  for (const spec of servers) {
    for (const name of secretReferences(spec)) {
      const list = users.get(name) ?? [];
      list.push(spec.name);
      users.set(name, list);
    }
  }
  const stored = new Set(storedNames);
  return {
    stored: [...stored].sort().map((name) => ({ name, usedBy: users.get(name) ?? [] })),
    missing: [...users.entries()]
      .filter(([name]) => !stored.has(name))
      .map(([name, usedBy]) => ({ name, usedBy })),
  };
}

/** Pure: the doctor's line about secrets (undefined when the registry references none). */
export function secretCheck(usage: SecretUsage, store: string): Check | undefined {
  const used = usage.stored.filter((s) => s.usedBy.length > 0).length;
  if (used === 0 && usage.missing.length === 0) return undefined;
  if (usage.missing.length === 0)
    return {
      area: "registry",
      subject: "secrets",
      status: "ok",
      message: `${used} used, all stored in ${store}`,
    };
  const list = usage.missing.map((m) => `${m.name} (used by ${m.usedBy.join(", ")})`).join(", ");
  return {
    area: "registry",
    subject: "secrets",
    status: "fail",
    message: `referenced but not stored in ${store}: ${list}`,
    fix: usage.missing.map((m) => `voidmcp secret set ${m.name}`).join("; "),
  };
}

/** The doctor's secret checks: opens the store only when the registry references a secret. */
export async function secretsChecks(
  servers: readonly ServerSpec[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Check[]> {
  if (!servers.some((spec) => secretReferences(spec).length > 0)) return [];
  try {
    const store = await openCredentialStore({ env });
    const names = (await store.keys(SECRET_KEY_PREFIX)).map((key) => key.slice(SECRET_KEY_PREFIX.length));
    const check = secretCheck(secretUsage(servers, names), storeLabel(store));
    return check ? [check] : [];
  } catch (error) {
    return [
      {
        area: "registry",
        subject: "secrets",
        status: "fail",
        message: `the credential store cannot be used: ${describeError(error)}`,
        fix: "see voidmcp secret --help",
      },
    ];
  }
}

/** How a person reads where the values are: "file (/home/me/.local/state/voidmcp/credentials.json)". */
export function storeLabel(store: CredentialStore): string {
  return store.location === undefined || store.location.startsWith(store.backend)
    ? (store.location ?? store.backend)
    : `${store.backend} (${store.location})`;
}
