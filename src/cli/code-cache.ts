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

/** Opens the comment that carries the body; written on a line of its own. */
export const BODY_START = "/*VOIDMCP-BODY";
/** Closes it; written on a line of its own at the end of the file. */
export const BODY_END = "VOIDMCP-BODY*/";

/**
 * `*` + this + `/` stands for `*` + `/` inside the carried body (which would end the comment).
 * DEL never occurs in esbuild's ASCII output (it escapes control characters in literals);
 * `embedBody` refuses a body that holds one, so the escape is reversible.
 */
const ESCAPE = "\x7f";

/** The comment that carries `body`: BODY_START, newline, escaped body, newline, BODY_END. */
export function embedBody(body: string): string {
  if (body.includes(ESCAPE))
    throw new Error("the bundle body contains a DEL character; it cannot be embedded");
  return `${BODY_START}\n${body.replaceAll("*/", `*${ESCAPE}/`)}\n${BODY_END}\n`;
}

/** The body `embedBody` put into `file`; undefined when the file carries none. */
export function extractBody(file: string): string | undefined {
  const start = file.indexOf(`\n${BODY_START}\n`);
  const end = file.lastIndexOf(`\n${BODY_END}`);
  if (start === -1 || end < start) return undefined;
  return file.slice(start + BODY_START.length + 2, end).replaceAll(`*${ESCAPE}/`, "*/");
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
