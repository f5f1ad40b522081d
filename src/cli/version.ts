import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What this voidmcp is: its version and the commit it was built from. This module reads them
 * from the checkout it runs in (package.json, git); the single-file bundle (scripts/bundle.ts)
 * replaces it with one that has both written in at build time, with the same exports.
 */

interface PackageInfo {
  readonly version: string;
  /** The directory of voidmcp's package.json, when found. */
  readonly root: string | undefined;
}

function readPackage(): PackageInfo {
  for (const relative of ["../../../", "../../"]) {
    const root = new URL(relative, import.meta.url);
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "voidmcp" && typeof pkg.version === "string") {
        return { version: pkg.version, root: fileURLToPath(root) };
      }
    } catch {
      // try the next location
    }
  }
  return { version: "0.0.0-unknown", root: undefined };
}

const pkg = readPackage();

/** The package version, e.g. "0.1.0". */
export const VERSION = pkg.version;

let commit: string | undefined;

/**
 * The commit this voidmcp was built from (12 hex digits, with "-dirty" when the working tree had
 * changes), or "unknown". Asks git only when called, and only when voidmcp's own package
 * directory is a git checkout, so an install that happens to sit inside some other repository
 * never reports that repository's commit.
 */
export function commitId(): string {
  commit ??= gitCommit(pkg.root) ?? "unknown";
  return commit;
}

function gitCommit(root: string | undefined): string | undefined {
  if (root === undefined || !existsSync(join(root, ".git"))) return undefined;
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", root, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5_000,
    }).trim();
  try {
    const head = git("rev-parse", "--short=12", "HEAD");
    return git("status", "--porcelain", "--untracked-files=no") === "" ? head : `${head}-dirty`;
  } catch {
    return undefined;
  }
}
