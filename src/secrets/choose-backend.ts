import { VoidError } from "../core/index.js";
import type { CredentialBackend } from "./types.js";

/** What VOIDMCP_CREDENTIAL_STORE may say. */
export type StoreSetting = "auto" | "file" | "keychain" | "secret-service" | "windows";

export const STORE_SETTINGS: readonly StoreSetting[] = [
  "auto",
  "file",
  "keychain",
  "secret-service",
  "windows",
];

export const STORE_ENV = "VOIDMCP_CREDENTIAL_STORE";

/** Reads VOIDMCP_CREDENTIAL_STORE; unset or empty is "auto". Throws a usage error for anything else. */
export function parseStoreSetting(raw: string | undefined): StoreSetting {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "") return "auto";
  const found = STORE_SETTINGS.find((s) => s === value);
  if (found !== undefined) return found;
  throw new VoidError("usage", `${STORE_ENV}=${JSON.stringify(raw)} is not a credential store`, {
    hint: `use one of ${STORE_SETTINGS.join(", ")}`,
  });
}

/** What was found out about the machine; only the probes the setting and platform need are run. */
export interface StoreFacts {
  readonly platform: NodeJS.Platform;
  /** `/usr/bin/security` exists (macOS). */
  readonly keychainTool: boolean;
  /** `secret-tool` runs and reaches a Secret Service over a D-Bus session. */
  readonly secretService: boolean;
}

/** Which probes a decision needs: none for an explicit file store, one for auto on a platform. */
export function probesFor(setting: StoreSetting, platform: NodeJS.Platform): ReadonlyArray<keyof StoreFacts> {
  switch (setting) {
    case "file":
    case "windows":
      return [];
    case "keychain":
      return ["keychainTool"];
    case "secret-service":
      return ["secretService"];
    case "auto":
      if (platform === "darwin") return ["keychainTool"];
      if (platform === "win32") return [];
      return ["secretService"];
    default: {
      const exhaustive: never = setting;
      return exhaustive;
    }
  }
}

/**
 * Pure: which backend holds credentials. `auto` takes the OS store where one is usable (macOS
 * Keychain; Secret Service when secret-tool reaches it), else the file. Windows always uses the
 * file: Credential Manager has no command-line tool that takes a value off the command line (see
 * README). An explicit choice that cannot work is an error, never a quiet fallback: the user
 * asked for that store, and tokens must not land somewhere they did not expect.
 */
export function chooseBackend(setting: StoreSetting, facts: StoreFacts): CredentialBackend {
  switch (setting) {
    case "file":
      return "file";
    case "keychain":
      if (facts.platform === "darwin" && facts.keychainTool) return "keychain";
      throw unusable("keychain", "the macOS Keychain needs macOS and /usr/bin/security");
    case "secret-service":
      if (facts.secretService) return "secret-service";
      throw unusable(
        "secret-service",
        "secret-tool (libsecret-tools) is missing or reaches no Secret Service over D-Bus",
      );
    case "windows":
      throw unusable(
        "windows",
        "the Windows Credential Manager is not supported yet (no tool stores a value without putting it on a command line)",
      );
    case "auto":
      if (facts.platform === "darwin" && facts.keychainTool) return "keychain";
      if (facts.platform !== "darwin" && facts.platform !== "win32" && facts.secretService)
        return "secret-service";
      return "file";
    default: {
      const exhaustive: never = setting;
      return exhaustive;
    }
  }
}

function unusable(setting: StoreSetting, why: string): VoidError {
  return new VoidError("credentials", `${STORE_ENV}=${setting} cannot be used here: ${why}`, {
    hint: `unset ${STORE_ENV} (auto) or set it to file`,
  });
}
