import { join } from "node:path";

/**
 * The pure decisions of the bundle's V8 code cache (src/cli/bundle-entry.ts runs them): where the
 * cache lives, what its file is called, whether it is on, and how the bundle carries its body.
 *
 * The bundle (scripts/bundle.ts) is one file: a small ES module entry, then the program's
 * CommonJS body inside one block comment, so that loading the file parses only the entry. The
 * entry compiles the body with V8's cached data from an earlier run, which spares most of the
 * compile work of a start.
 */

/**
 * The sections of the bundle file after its entry, in order: the program's body, then the data
 * only Code Mode reads (the engine's WebAssembly as base64, the sandbox worker's source), each in
 * a block comment of its own, so that a start compiles and holds the body alone and Code Mode reads
 * its data from the file when it starts (src/cli/bundle-entry.ts).
 */
export const SECTIONS = ["BODY", "WASM", "WORKER"] as const;
export type SectionName = (typeof SECTIONS)[number];

/**
 * The name the body calls the section reader by, `(name: SectionName) => string`: a parameter of
 * the body's wrapper in the bundle (src/cli/bundle-entry.ts), a function declared beside the
 * program in the executables (scripts/build-binaries.ts).
 */
export const SECTION_READER = "__voidmcpSection";

/** Opens the comment that carries the body; written on a line of its own. */
export const BODY_START = "/*VOIDMCP-BODY";
/** Closes it; written on a line of its own. */
export const BODY_END = "VOIDMCP-BODY*/";

/**
 * `*` + this + `/` stands for `*` + `/` inside a carried section (which would end the comment).
 * DEL never occurs in esbuild's ASCII output (it escapes control characters in literals) nor in
 * base64; `embedSection` refuses a text that holds one, so the escape is reversible.
 */
const ESCAPE = "\x7f";

/** The comment that carries `text`: `/*VOIDMCP-NAME`, newline, escaped text, newline, `VOIDMCP-NAME*\/`. */
export function embedSection(name: SectionName, text: string): string {
  if (text.includes(ESCAPE))
    throw new Error(`the bundle's ${name} section contains a DEL character; it cannot be embedded`);
  return `/*VOIDMCP-${name}\n${text.replaceAll("*/", `*${ESCAPE}/`)}\nVOIDMCP-${name}*/\n`;
}

/** Gives back the text `embedSection` escaped. */
export function unescapeSection(escaped: string): string {
  return escaped.replaceAll(`*${ESCAPE}/`, "*/");
}

/**
 * Where a section's escaped text lies in the bundle file: [start, end) as offsets into the file
 * read as latin1, which are its byte offsets (the file is ASCII).
 */
export interface SectionSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * The sections `embedSection` put into `file`, found in order from the body's start: each ends at
 * the first end marker of its name after its start (an escaped text cannot hold one). Sections
 * missing at the end are absent from the map; the file's text is not copied.
 */
export function findSections(file: string): Map<SectionName, SectionSpan> {
  const spans = new Map<SectionName, SectionSpan>();
  let at = file.indexOf(`\n${BODY_START}\n`);
  if (at === -1) return spans;
  at += 1;
  for (const name of SECTIONS) {
    const head = `/*VOIDMCP-${name}\n`;
    if (!file.startsWith(head, at)) break;
    const start = at + head.length;
    const end = file.indexOf(`\nVOIDMCP-${name}*/`, start);
    if (end === -1) break;
    spans.set(name, { start, end });
    at = end + `\nVOIDMCP-${name}*/\n`.length;
  }
  return spans;
}

/** The text of section `name` in `file`; undefined when the file carries none. */
export function extractSection(file: string, name: SectionName): string | undefined {
  const span = findSections(file).get(name);
  return span === undefined ? undefined : unescapeSection(file.slice(span.start, span.end));
}

/** The comment that carries the program's body. */
export function embedBody(body: string): string {
  return embedSection("BODY", body);
}

/** The body `embedBody` put into `file`; undefined when the file carries none. */
export function extractBody(file: string): string | undefined {
  return extractSection(file, "BODY");
}

/**
 * The per-user cache directory voidmcp's code cache goes into: `$XDG_CACHE_HOME/voidmcp`, else
 * `~/.cache/voidmcp` (Linux and other Unix), `~/Library/Caches/voidmcp` (macOS),
 * `%LOCALAPPDATA%\voidmcp\Cache` (Windows). Undefined when there is no home to put it in.
 * A relative XDG_CACHE_HOME is ignored, as the XDG spec asks.
 */
export function codeCacheDir(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsoluteFor(platform, xdg)) return join(xdg, "voidmcp");
  if (platform === "win32") {
    const local = env.LOCALAPPDATA;
    if (local !== undefined && isAbsoluteFor(platform, local)) return join(local, "voidmcp", "Cache");
  }
  if (home === "") return undefined;
  if (platform === "darwin") return join(home, "Library", "Caches", "voidmcp");
  if (platform === "win32") return join(home, "AppData", "Local", "voidmcp", "Cache");
  return join(home, ".cache", "voidmcp");
}

function isAbsoluteFor(platform: NodeJS.Platform, path: string): boolean {
  return platform === "win32" ? /^(?:[A-Za-z]:[\\/]|\\\\)/.test(path) : path.startsWith("/");
}

/**
 * The cache file's name: cached data only fits the body it was made from (its hash, fixed at
 * build time), the V8 inside that Node version and the CPU architecture. V8 checks its own
 * flags and the source length too, and rejects a cache that does not match (then it is rewritten).
 * A `partial` cache is one written as a short run exited (`voidmcp --version`, a start stopped
 * right after `initialize`): it spares the whole-file compile but holds fewer functions, so a
 * later longer run replaces it with a full one.
 */
export function codeCacheFile(
  bodyHash: string,
  nodeVersion: string,
  arch: string,
  kind: "full" | "partial" = "full",
): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9.-]/g, "_");
  const suffix = kind === "partial" ? "-partial" : "";
  return `bundle-${safe(bodyHash.slice(0, 16))}-node${safe(nodeVersion.replace(/^v/, ""))}-${safe(arch)}${suffix}.v8cache`;
}

/** VOIDMCP_CODE_CACHE=0 (or off, false, no) turns the code cache off; anything else leaves it on. */
export function codeCacheEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.VOIDMCP_CODE_CACHE?.trim().toLowerCase();
  return !(value === "0" || value === "off" || value === "false" || value === "no");
}

/**
 * How long a cache file may go unused before a start that writes a full cache removes it. Each
 * bundle version (and Node version) leaves a file of ~2 MB; after an upgrade the old one is never
 * read again. A file in use is kept fresh: a start that uses it renews its time once a day
 * (`cacheNeedsRenewal`), so only files no installed voidmcp has used for this long go.
 */
export const CACHE_UNUSED_MS = 30 * 24 * 60 * 60 * 1000;
/** How old a used cache file's time may be before the start that used it renews it. */
export const CACHE_RENEW_MS = 24 * 60 * 60 * 1000;

/** voidmcp's cache files (`codeCacheFile`), and the temporary files of writes that never finished. */
const CACHE_NAME = /^bundle-[A-Za-z0-9._-]+\.v8cache(?:\.\d+\.tmp)?$/;

export interface CacheEntry {
  readonly name: string;
  /** Last modified, ms since the epoch. */
  readonly mtimeMs: number;
}

/**
 * The files of a cache directory to remove: voidmcp's cache files (not others' files, the
 * directory is ours only by name) other than `keep`, unchanged for longer than `maxAgeMs`.
 */
export function staleCacheFiles(
  entries: readonly CacheEntry[],
  keep: readonly string[],
  nowMs: number,
  maxAgeMs: number = CACHE_UNUSED_MS,
): string[] {
  return entries
    .filter(
      (entry) =>
        CACHE_NAME.test(entry.name) && !keep.includes(entry.name) && nowMs - entry.mtimeMs > maxAgeMs,
    )
    .map((entry) => entry.name);
}

/** Whether a cache file just used should have its time renewed (so that it is not taken as unused). */
export function cacheNeedsRenewal(mtimeMs: number, nowMs: number): boolean {
  return nowMs - mtimeMs > CACHE_RENEW_MS;
}
