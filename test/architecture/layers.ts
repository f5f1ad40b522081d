/**
 * The layering of src/ (DESIGN.md §3), as data, and a checker over import statements. Pure: the
 * test feeds it the real tree and a few made-up files that must be caught.
 */

export type Folder =
  | "core"
  | "formats"
  | "registry"
  | "secrets"
  | "clients"
  | "codemode"
  | "upstream"
  | "downstream"
  | "gateway"
  | "cli";

/** Which folders each folder may import from (besides itself). */
export const ALLOWED: Readonly<Record<Folder, readonly Folder[]>> = {
  core: [],
  formats: ["core"],
  registry: ["core", "formats"],
  secrets: ["core", "formats"],
  codemode: ["core"],
  clients: ["core", "formats", "registry"],
  upstream: ["core", "formats", "registry", "secrets"],
  downstream: ["core"],
  gateway: ["core", "formats", "registry", "secrets", "clients", "codemode", "upstream", "downstream"],
  cli: ["core", "formats", "registry", "secrets", "clients", "gateway"],
};

/** npm packages that only one folder may import: the SDK's halves stay behind their folders. */
export const PACKAGE_OWNERS: Readonly<Record<string, Folder>> = {
  "@modelcontextprotocol/client": "upstream",
  "@modelcontextprotocol/server": "downstream",
  "quickjs-emscripten-core": "codemode",
  "@jitl/quickjs-wasmfile-release-sync": "codemode",
  sucrase: "codemode",
};

export interface SourceFile {
  /** Relative to src/, with forward slashes: `gateway/router.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly reason: string;
}

const FOLDERS = Object.keys(ALLOWED) as Folder[];

/** Every module specifier a file imports or re-exports, static or dynamic, type-only included. */
export function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.push(match[1] as string);
  }
  return found;
}

function folderOf(path: string): Folder | undefined {
  const first = path.split("/")[0];
  return FOLDERS.find((f) => f === first);
}

/** `gateway/router.ts` + `../upstream/index.js` → `upstream/index.js`; undefined outside src/. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const parts = from.split("/").slice(0, -1);
  for (const piece of specifier.split("/")) {
    if (piece === ".") continue;
    if (piece === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(piece);
  }
  return parts.join("/");
}

function packageName(specifier: string): string {
  const pieces = specifier.split("/");
  return specifier.startsWith("@") ? pieces.slice(0, 2).join("/") : (pieces[0] as string);
}

/** Imports that break the layering: a folder reaching up or sideways, or past another's index. */
export function layerViolations(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const own = folderOf(file.path);
    if (!own) continue;
    for (const specifier of specifiers(file.text)) {
      if (specifier.startsWith(".")) {
        const target = resolveRelative(file.path, specifier);
        const folder = target === undefined ? undefined : folderOf(target);
        if (target === undefined || folder === undefined) {
          violations.push({ file: file.path, specifier, reason: "imports from outside src/" });
        } else if (folder !== own && !ALLOWED[own].includes(folder)) {
          violations.push({ file: file.path, specifier, reason: `${own}/ may not import ${folder}/` });
        } else if (folder !== own && target !== `${folder}/index.js`) {
          violations.push({ file: file.path, specifier, reason: `import ${folder}/ through its index.ts` });
        }
        continue;
      }
      if (specifier.startsWith("node:")) continue;
      const owner = PACKAGE_OWNERS[packageName(specifier)];
      if (owner !== undefined && owner !== own) {
        violations.push({
          file: file.path,
          specifier,
          reason: `only ${owner}/ may import ${packageName(specifier)}`,
        });
      }
    }
  }
  return violations;
}
