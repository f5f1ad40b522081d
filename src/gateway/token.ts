import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { VoidError } from "../core/index.js";
import { readIfExists, replaceFileAtomically } from "../formats/index.js";
import { registryIoError } from "../registry/index.js";

/** The bearer token of the HTTP endpoint lives in this file beside the registry. */
export const TOKEN_FILE = "token";
const TOKEN_BYTES = 32;

export function tokenPath(registryPath: string): string {
  return join(dirname(registryPath), TOKEN_FILE);
}

export interface Token {
  readonly value: string;
  /** Where it came from: the environment, the token file, or just created in the token file. */
  readonly source: "env" | "file" | "created";
  readonly path: string;
}

/**
 * The HTTP endpoint's token: VOIDMCP_TOKEN when set, else the token file beside the registry,
 * created (mode 0600, 256 random bits, hex) on first use. `regenerate` replaces the file's token.
 */
export async function loadToken(
  registryPath: string,
  env: Readonly<Record<string, string | undefined>>,
  options: { regenerate?: boolean; create?: boolean } = {},
): Promise<Token | undefined> {
  const path = tokenPath(registryPath);
  const fromEnv = env.VOIDMCP_TOKEN?.trim();
  if (fromEnv && !options.regenerate) return { value: fromEnv, source: "env", path };
  let original: Buffer | undefined;
  try {
    original = await readIfExists(path);
  } catch (error) {
    throw registryIoError("read", path, error);
  }
  const existing = original?.toString("utf8").trim() ?? "";
  if (existing !== "" && !options.regenerate) return { value: existing, source: "file", path };
  if (options.create === false && !options.regenerate) return undefined;
  const value = randomBytes(TOKEN_BYTES).toString("hex");
  try {
    await replaceFileAtomically(path, `${value}\n`, { original, mode: 0o600, dirMode: 0o700 });
  } catch (error) {
    if (error instanceof VoidError) throw error;
    throw registryIoError("write", path, error);
  }
  return { value, source: "created", path };
}
