import { type FSWatcher, type StatWatcher, unwatchFile, watch, watchFile } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { describeError, VoidError } from "../core/index.js";
import { isMissingFile } from "../formats/index.js";
import { registryIoError } from "./io-error.js";
import { parseRegistryText } from "./parse.js";
import type { Registry } from "./types.js";

export interface RegistryWatchHandlers {
  /** A new, valid registry that differs from the last one delivered. */
  onRegistry(registry: Registry): void;
  /**
   * The file cannot be used right now (invalid, unreadable, deleted): the caller keeps its last
   * good registry. `undefined` means the problem went away without the content changing.
   */
  onProblem(error: VoidError | undefined): void;
}

export interface RegistryWatchOptions {
  /** Quiet time after the last change before the file is read (editors write in bursts). */
  readonly debounceMs?: number;
  /** Stat polling interval: the safety net where file events are missed (network drives). */
  readonly pollMs?: number;
  /** The text the caller's current registry came from; unchanged text is not delivered again. */
  readonly initialText?: string | undefined;
}

export interface RegistryWatcher {
  close(): void;
}

const DEFAULT_DEBOUNCE_MS = 100;
const DEFAULT_POLL_MS = 1_000;

/**
 * Watches the registry file and reports each settled change. It watches the directory, so it
 * sees editors that save by writing a new file and renaming it over the old one, and the file
 * being created or deleted; a slow stat poll backs the events up. Bursts (a save that writes in
 * pieces, a script that edits 50 times a second) are debounced into one read. A file that is
 * broken, unreadable, deleted or suddenly empty (a save caught half-way) is reported as a
 * problem and never replaces the last good registry; fixing it delivers the fixed registry.
 */
export function watchRegistry(
  path: string,
  handlers: RegistryWatchHandlers,
  options: RegistryWatchOptions = {},
): RegistryWatcher {
  const file = resolve(path);
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let lastText = options.initialText;
  let problem: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reading = false;
  let again = false;
  let closed = false;

  const report = (error: VoidError | undefined) => {
    const key = error ? describeError(error) : undefined;
    if (key === problem) return;
    problem = key;
    handlers.onProblem(error);
  };

  const read = async (): Promise<void> => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        if (isMissingFile(error)) {
          if (lastText === undefined) return report(undefined);
          return report(
            new VoidError("registry_io", `${file} was deleted; the servers it listed keep running`, {
              hint: "put the file back (or save an empty registry to stop them all)",
            }),
          );
        }
        return report(registryIoError("read", file, error));
      }
      if (closed) return;
      if (text.trim() === "" && lastText !== undefined && lastText.trim() !== "") {
        // Most likely a save caught between truncating and writing; an intentionally empty
        // registry is written as {} (or with an empty mcpServers).
        return report(
          new VoidError("registry_invalid", `${file} is empty; the servers it listed keep running`, {
            hint: "write {} to stop them all, or finish the edit",
          }),
        );
      }
      let registry: Registry;
      try {
        registry = parseRegistryText(text, file);
      } catch (error) {
        return report(
          error instanceof VoidError ? error : new VoidError("registry_invalid", describeError(error)),
        );
      }
      report(undefined);
      if (text === lastText) return;
      lastText = text;
      handlers.onRegistry(registry);
    } finally {
      reading = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void read(), debounceMs);
  };

  let dirWatcher: FSWatcher | undefined;
  try {
    dirWatcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === basename(file)) schedule();
    });
    dirWatcher.on("error", () => {
      // The directory went away; the stat poll keeps watching for the file to come back.
      dirWatcher?.close();
      dirWatcher = undefined;
    });
  } catch {
    // No directory yet: the stat poll notices when the file appears.
  }
  const poller: StatWatcher = watchFile(
    file,
    { persistent: false, interval: options.pollMs ?? DEFAULT_POLL_MS },
    (current, previous) => {
      if (
        current.mtimeMs !== previous.mtimeMs ||
        current.size !== previous.size ||
        current.ino !== previous.ino
      ) {
        schedule();
      }
    },
  );
  void poller;

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      dirWatcher?.close();
      unwatchFile(file);
    },
  };
}
