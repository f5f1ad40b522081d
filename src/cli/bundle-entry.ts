import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";
import {
  cacheNeedsRenewal,
  codeCacheDir,
  codeCacheEnabled,
  codeCacheFile,
  findSections,
  SECTION_READER,
  type SectionName,
  type SectionSpan,
  staleCacheFiles,
  unescapeSection,
} from "./code-cache.js";

/**
 * The entry of the single-file bundle (scripts/bundle.ts puts it first, then the program's
 * CommonJS body in a comment). It compiles the body with V8's cached data from an earlier run
 * (Node 20 has no `module.enableCompileCache()`), and, when there was none or V8 rejected it,
 * writes new cached data a while after start: by then the functions that answering `initialize`
 * needed have been compiled too, so the next start skips compiling them as well, and the write
 * is off the path of that first answer.
 *
 * The cache is an optimisation only: a missing, rejected or corrupt file is rewritten, a
 * directory that cannot be written means no cache (said at debug level), and
 * VOIDMCP_CODE_CACHE=off turns it off. Nothing else changes: the body is the same program.
 *
 * The data only Code Mode needs (the engine's WebAssembly, the sandbox worker's source) follows
 * the body in sections of its own, which the body reads through `__voidmcpSection(name)` (its
 * wrapper's sixth parameter; scripts/bundle.ts) when Code Mode starts: a start neither compiles
 * nor holds that megabyte.
 */

/** How long after start the cache is written, when it must be. */
export const CODE_CACHE_WRITE_DELAY_MS = 2_000;

export interface BundledRun {
  /** The bundle file (its own path). */
  readonly file: string;
  /** The body's hash, written in at build time: the cache's key. */
  readonly bodyHash: string;
}

/**
 * V8 set to favour memory over speed, before the body is compiled (V8's cached data records the
 * flags, so every start must set the same). Measured side by side with 10 upstreams, median of 5:
 * memory after 1,500 relayed calls 137 -> 105 MiB, after 300 `execute_code` calls 139 -> 118 MiB,
 * with no more CPU per relayed call or per `execute_code`. A smaller young generation
 * (`--max-semi-space-size`) would save more but only takes effect on the command line.
 */
const V8_FLAGS = "--optimize-for-size";

export function runBundled({ file, bodyHash }: BundledRun): void {
  setFlagsFromString(V8_FLAGS);
  const env = process.env;
  const debug =
    env.VOIDMCP_LOG_LEVEL === "debug"
      ? (message: string) => process.stderr.write(`voidmcp debug: [code-cache] ${message}\n`)
      : () => {};
  // esbuild writes ASCII only, so latin1 reads it exactly and fastest.
  const text = readFileSync(file, "latin1");
  const spans = findSections(text);
  const bodySpan = spans.get("BODY");
  if (bodySpan === undefined) throw new Error(`${file} carries no voidmcp program (a damaged bundle?)`);
  const body = unescapeSection(text.slice(bodySpan.start, bodySpan.end));
  // The same wrapper Node gives a CommonJS module, in strict mode as the ES modules it was built
  // from, and the reader of the sections after the body.
  const source = `(function (exports, require, module, __filename, __dirname, ${SECTION_READER}) { "use strict";${body}\n})`;

  const enabled = codeCacheEnabled(env);
  const dir = enabled ? codeCacheDir(process.platform, env, homeOrEmpty()) : undefined;
  const name = (kind: "full" | "partial") => codeCacheFile(bodyHash, process.version, process.arch, kind);
  const full = dir === undefined ? undefined : join(dir, name("full"));
  const partial = dir === undefined ? undefined : join(dir, name("partial"));
  let script: Script | undefined;
  let used: "full" | "partial" | undefined;
  for (const [kind, path] of [
    ["full", full],
    ["partial", partial],
  ] as const) {
    const cachedData = path === undefined ? undefined : readOrUndefined(path);
    if (cachedData === undefined) continue;
    script = new Script(source, { filename: file, cachedData });
    if (script.cachedDataRejected !== true) {
      used = kind;
      debug(`used ${path}`);
      break;
    }
    debug(`rejected ${path}`);
    script = undefined;
  }
  script ??= new Script(source, { filename: file });
  if (!enabled) debug("off (VOIDMCP_CODE_CACHE)");
  else if (full === undefined) debug("no cache directory (no home)");
  else if (used === undefined) debug(`none at ${full}`);

  if (full !== undefined && partial !== undefined && used !== "full") {
    const compiled = script;
    let wroteFull = false;
    // A while after start the functions that answering `initialize` needed are compiled too.
    setTimeout(() => {
      wroteFull = writeCache(compiled, full, debug);
      if (wroteFull) {
        removeQuietly(partial);
        removeStale(dirname(full), [basename(full)], debug);
      }
    }, CODE_CACHE_WRITE_DELAY_MS).unref();
    // A run that ends sooner still leaves what it compiled, unless an earlier one did.
    process.once("exit", () => {
      if (!wroteFull && used === undefined) writeCache(compiled, partial, debug);
    });
  }

  if (used !== undefined) {
    const path = used === "full" ? full : partial;
    // Off the start's path, like the write: a file in use must not look unused to removeStale.
    if (path !== undefined) setTimeout(() => renewIfOld(path), CODE_CACHE_WRITE_DELAY_MS).unref();
  }

  const module = { exports: {} };
  const main = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: object,
    filename: string,
    dirname: string,
    readSection: (name: SectionName) => string,
  ) => void;
  main(module.exports, createRequire(file), module, file, dirname(file), (name) =>
    readSection(file, name, spans.get(name)),
  );
}

/**
 * Section `name` of the bundle, read from the file where it was at start (only those bytes). The
 * markers around it are read too and checked: a bundle replaced since start (an upgrade) is
 * reported, not half read.
 */
function readSection(file: string, name: SectionName, span: SectionSpan | undefined): string {
  if (span === undefined) throw new Error(`${file} carries no ${name} section (a damaged bundle?)`);
  const head = `/*VOIDMCP-${name}\n`;
  const tail = `\nVOIDMCP-${name}*/`;
  const from = span.start - head.length;
  const bytes = Buffer.allocUnsafe(span.end + tail.length - from);
  const fd = openSync(file, "r");
  let read = 0;
  try {
    while (read < bytes.length) {
      const got = readSync(fd, bytes, read, bytes.length - read, from + read);
      if (got === 0) break;
      read += got;
    }
  } finally {
    closeSync(fd);
  }
  const text = bytes.toString("latin1", 0, read);
  if (!text.startsWith(head) || !text.endsWith(tail)) {
    throw new Error(`${file} changed since voidmcp started (an upgrade?): restart voidmcp`);
  }
  return unescapeSection(text.slice(head.length, text.length - tail.length));
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing to remove, or nothing we could do about it
  }
}

/** Removes voidmcp's cache files in `dir` that no start has used for a long while (code-cache.ts). */
function removeStale(dir: string, keep: string[], debug: (message: string) => void): void {
  try {
    const entries = readdirSync(dir).map((name) => ({ name, mtimeMs: statSync(join(dir, name)).mtimeMs }));
    for (const name of staleCacheFiles(entries, keep, Date.now())) {
      removeQuietly(join(dir, name));
      debug(`removed ${join(dir, name)} (unused for long)`);
    }
  } catch {
    // only tidying: a file gone meanwhile or a directory not listable leaves things as they were
  }
}

function renewIfOld(path: string): void {
  try {
    const now = Date.now();
    if (cacheNeedsRenewal(statSync(path).mtimeMs, now)) utimesSync(path, new Date(now), new Date(now));
  } catch {
    // only bookkeeping
  }
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function homeOrEmpty(): string {
  try {
    return homedir();
  } catch {
    return "";
  }
}

/**
 * Writes the cache atomically (temporary file, then rename); a failure only means no cache.
 * Returns whether it was written.
 */
function writeCache(script: Script, cacheFile: string, debug: (message: string) => void): boolean {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, cacheFile);
    debug(`wrote ${cacheFile} (${data.length} bytes)`);
    return true;
  } catch (error) {
    removeQuietly(temporary);
    debug(`not written to ${cacheFile}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
