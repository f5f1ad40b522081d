import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import { stateDirectory } from "../core/index.js";
import { chooseBackend, parseStoreSetting, probesFor, STORE_ENV, type StoreFacts } from "./choose-backend.js";
import { FileCredentialStore } from "./file-store.js";
import {
  keychainTool,
  SECRET_SERVICE_PROBE,
  SECURITY,
  secretServiceAnswered,
  secretServiceTool,
} from "./os-tools.js";
import { runTool } from "./run-tool.js";
import { ToolCredentialStore } from "./tool-store.js";
import type { CredentialStore } from "./types.js";

/** A locked keyring or a missing D-Bus must not hold up a command for long. */
export const PROBE_TIMEOUT_MS = 3_000;

export interface OpenStoreOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default: process.platform. */
  readonly platform?: NodeJS.Platform;
}

/** `<state dir>/credentials.json`: the file backend's file. */
export function credentialFilePath(env: OpenStoreOptions["env"]): string {
  return join(stateDirectory(env), "credentials.json");
}

/** `<state dir>/credential-index.json`: the keys (not the values) of an OS store. */
export function credentialIndexPath(env: OpenStoreOptions["env"]): string {
  return join(stateDirectory(env), "credential-index.json");
}

/**
 * The credential store for this environment, as VOIDMCP_CREDENTIAL_STORE asks (default auto,
 * see chooseBackend). Only the probes the choice needs are run. Throws a VoidError when the
 * setting is not known or names a store that cannot be used here.
 */
export async function openCredentialStore(options: OpenStoreOptions): Promise<CredentialStore> {
  const platform = options.platform ?? process.platform;
  const setting = parseStoreSetting(options.env[STORE_ENV]);
  const probes = probesFor(setting, platform);
  const facts: StoreFacts = {
    platform,
    keychainTool: probes.includes("keychainTool") && (await executable(SECURITY)),
    secretService:
      probes.includes("secretService") &&
      secretServiceAnswered(await runTool(SECRET_SERVICE_PROBE, PROBE_TIMEOUT_MS)),
  };
  const backend = chooseBackend(setting, facts);
  switch (backend) {
    case "file":
      return new FileCredentialStore(credentialFilePath(options.env));
    case "keychain":
      return new ToolCredentialStore(keychainTool, credentialIndexPath(options.env));
    case "secret-service":
      return new ToolCredentialStore(secretServiceTool, credentialIndexPath(options.env));
    case "windows-credential-manager":
      // chooseBackend never picks it (see there); kept for the day it does.
      return new FileCredentialStore(credentialFilePath(options.env));
    default: {
      const exhaustive: never = backend;
      return exhaustive;
    }
  }
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
