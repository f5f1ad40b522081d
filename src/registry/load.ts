import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isMissingFile } from "../formats/index.js";
import { registryIoError } from "./io-error.js";
import { normaliseRegistry } from "./normalise.js";
import { parseRegistryText } from "./parse.js";
import type { Registry } from "./types.js";

/** The registry of a file with no servers and default settings (what a missing file reads as). */
export function emptyRegistry(path: string, exists = false): Registry {
  return normaliseRegistry({}, path, exists);
}

/**
 * Reads and parses the registry at `path` (made absolute against the process's cwd).
 * A missing file is an empty registry with `exists: false`, not an error.
 * Throws VoidError("registry_io") when the file cannot be read, and
 * VoidError("registry_invalid") when it is not a valid registry.
 */
export async function loadRegistry(path: string): Promise<Registry> {
  return (await loadRegistryWithText(path)).registry;
}

/** loadRegistry, plus the text it was parsed from (undefined for a missing file): what a watcher compares against. */
export async function loadRegistryWithText(
  path: string,
): Promise<{ registry: Registry; text: string | undefined }> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    if (isMissingFile(error)) return { registry: emptyRegistry(absolute), text: undefined };
    throw registryIoError("read", absolute, error);
  }
  return { registry: parseRegistryText(text, absolute), text };
}
