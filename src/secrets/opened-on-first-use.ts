import type { CredentialData, CredentialStore } from "./types.js";

/**
 * A store that is opened when a value is first read or written, then kept: choosing the backend
 * may probe the system (a D-Bus round trip), which a gateway that never needs a credential
 * should not pay for. A failed open is not kept, so the next use tries again.
 */
export function openedOnFirstUse(open: () => Promise<CredentialStore>): CredentialData {
  let opened: Promise<CredentialStore> | undefined;
  const store = (): Promise<CredentialStore> => {
    if (opened === undefined) {
      opened = open();
      opened.catch(() => {
        opened = undefined;
      });
    }
    return opened;
  };
  return {
    get: async (key) => (await store()).get(key),
    set: async (key, value) => (await store()).set(key, value),
    delete: async (key) => (await store()).delete(key),
    keys: async (prefix) => (await store()).keys(prefix),
  };
}
