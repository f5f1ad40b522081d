/**
 * `npm run build:binaries`: self-contained voidmcp executables (no Node needed), compiled by
 * `bun build --compile --bytecode` from the program inside the single-file bundle
 * (dist/bundle/voidmcp.mjs, so they run the same code as the npm package; Bun needs no code
 * cache of ours: it stores its own bytecode), one per target, into dist/binaries/ with a SHA256SUMS file
 * (`sha256sum -c SHA256SUMS` checks them). The executable for the machine it runs on is
 * smoke-tested: `--version`, and a Code Mode script through `voidmcp run`.
 *
 *   node dist/scripts/build-binaries.js                       # every target
 *   node dist/scripts/build-binaries.js --target linux-x64    # only these (repeatable)
 *   node dist/scripts/build-binaries.js --outdir DIR          # somewhere else
 *
 * Cross-compiling downloads the target's Bun runtime (from the npm registry) once; Bun caches it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { extractSection, SECTION_READER } from "../src/cli/code-cache.js";
import { BUNDLE, LICENSES } from "./bundle.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const BINARIES_DIR = join(root, "dist/binaries");

/** Our target names (as in the file names) and Bun's. */
export const TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
} as const;

export type Target = keyof typeof TARGETS;

function isTarget(name: string): name is Target {
  return Object.hasOwn(TARGETS, name);
}

/** The target this machine runs, when it is one we build. */
export function hostTarget(): Target | undefined {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const name = `${os}-${process.arch}`;
  return isTarget(name) ? name : undefined;
}

export function binaryName(target: Target): string {
  return `voidmcp-${target}${target.startsWith("windows") ? ".exe" : ""}`;
}

function works(executable: string): boolean {
  try {
    execFileSync(executable, ["--version"], { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The Bun executable of the `bun` devDependency. Its postinstall script moves the platform's
 * binary over the placeholder `bun/bin/bun.exe`; where install scripts do not run (as on this
 * project's machines) the binary is still in the platform package `@oven/bun-<os>-<arch>`.
 */
export function bunExecutable(): string {
  const require = createRequire(import.meta.url);
  const candidates: string[] = [join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe")];
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "arm64" ? "aarch64" : process.arch;
  for (const variant of ["", "-musl", "-baseline"]) {
    try {
      const dir = dirname(require.resolve(`@oven/bun-${os}-${arch}${variant}/package.json`));
      candidates.push(join(dir, "bin", process.platform === "win32" ? "bun.exe" : "bun"));
    } catch {
      // not installed for this machine
    }
  }
  const found = candidates.find((path) => existsSync(path) && works(path));
  if (found === undefined) {
    throw new Error(
      `no working Bun executable among ${candidates.join(", ")}; run \`npm install\` (the bun devDependency)`,
    );
  }
  return found;
}

export interface BuiltBinary {
  readonly target: Target;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Compiles the bundle for `target` into `outdir`. The bundle must exist (npm run bundle). */
export async function buildBinary(
  target: Target,
  outdir: string,
  bun = bunExecutable(),
): Promise<BuiltBinary> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run bundle\` first`);
  await mkdir(outdir, { recursive: true });
  const path = join(outdir, binaryName(target));
  const file = await readFile(BUNDLE, "latin1");
  const body = extractSection(file, "BODY");
  const wasm = extractSection(file, "WASM");
  const worker = extractSection(file, "WORKER");
  if (body === undefined || wasm === undefined || worker === undefined) {
    throw new Error(`${BUNDLE} carries no program: run \`npm run bundle\` again`);
  }
  const work = await mkdtemp(join(tmpdir(), "voidmcp-binary-"));
  try {
    const program = join(work, "voidmcp.cjs");
    // The bundle's body reads Code Mode's data from sections of the bundle file; an executable
    // has no such file, so the data goes inside, returned by a function of the reader's name
    // (declared, so it exists before the program's first line runs).
    const sections = JSON.stringify({ WASM: wasm, WORKER: worker });
    const reader = `function ${SECTION_READER}(name) { return ${sections}[name]; }`;
    await writeFile(program, `${body}\n${reader}\n`, "latin1");
    execFileSync(
      bun,
      [
        "build",
        "--compile",
        "--bytecode",
        "--format=cjs",
        `--target=${TARGETS[target]}`,
        program,
        "--outfile",
        path,
      ],
      { stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const bytes = (await stat(path)).size;
  const sha256 = createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
  return { target, path, bytes, sha256 };
}

/** `--version` and a Code Mode run (the embedded WebAssembly) of an executable for this machine. */
export async function smokeTest(path: string): Promise<string> {
  const version = execFileSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 }).trim();
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-smoke-"));
  try {
    const registry = join(dir, "servers.json");
    await writeFile(registry, '{ "version": 1, "mcpServers": {} }\n');
    const value = execFileSync(path, ["run", "-", "--config", registry], {
      input: "const xs: number[] = [1, 2, 3]; return xs.map((x) => x * 2)",
      encoding: "utf8",
      stdio: ["pipe", "pipe", "ignore"],
      timeout: 30_000,
    }).trim();
    if (value.replace(/\s/g, "") !== "[2,4,6]") throw new Error(`${path} run gave ${JSON.stringify(value)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return version;
}

function parseTargets(argv: readonly string[]): { targets: Target[]; outdir: string } {
  const targets: Target[] = [];
  let outdir = BINARIES_DIR;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === "--target" || arg === "--outdir") && value !== undefined) {
      i++;
      if (arg === "--outdir") outdir = value;
      else if (isTarget(value)) targets.push(value);
      else throw new Error(`unknown target "${value}"; targets: ${Object.keys(TARGETS).join(", ")}`);
    } else {
      throw new Error(
        `unexpected argument "${arg}"; usage: build-binaries [--target NAME]... [--outdir DIR]`,
      );
    }
  }
  return { targets: targets.length > 0 ? targets : (Object.keys(TARGETS) as Target[]), outdir };
}

async function main(): Promise<void> {
  const { targets, outdir } = parseTargets(process.argv.slice(2));
  const bun = bunExecutable();
  const built: BuiltBinary[] = [];
  for (const target of targets) {
    const started = Date.now();
    const binary = await buildBinary(target, outdir, bun);
    built.push(binary);
    process.stdout.write(
      `${binary.path}: ${(binary.bytes / 1024 / 1024).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    if (target === hostTarget()) {
      process.stdout.write(`  smoke test: ${await smokeTest(binary.path)}, Code Mode ok\n`);
    }
  }
  // The sums of every binary in the directory, so building one target keeps the others' lines.
  const sums = new Map<string, string>();
  const sumsPath = join(outdir, "SHA256SUMS");
  if (existsSync(sumsPath)) {
    for (const line of (await readFile(sumsPath, "utf8")).split("\n")) {
      const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
      if (match?.[1] && match[2] && existsSync(join(outdir, match[2]))) sums.set(match[2], match[1]);
    }
  }
  for (const binary of built) sums.set(binaryName(binary.target), binary.sha256);
  const lines = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([name, sum]) => `${sum}  ${name}\n`);
  await writeFile(sumsPath, lines.join(""));
  // The executables carry the bundled packages' code, so their licenses travel with them.
  await copyFile(LICENSES, join(outdir, "THIRD_PARTY_LICENSES.txt"));
  process.stdout.write(`${sumsPath}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`build-binaries: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
