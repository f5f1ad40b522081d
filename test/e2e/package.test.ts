/**
 * The npm package as a user gets it: `npm pack` of the project, installed into a temporary prefix
 * with nothing else (offline: it must need nothing from the registry), then run as installed:
 * `--version`, `npx <tarball> --version`, and `serve` through an MCP client with Code Mode.
 * The bundle is built by `npm test` before this runs (dist/bundle/voidmcp.mjs).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkServeSession, fixtureRegistry, ROOT, run, VERSION_LINE } from "./shipping-support.js";

const root = fileURLToPath(ROOT);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

if (!existsSync(join(root, "dist/bundle/voidmcp.mjs"))) {
  throw new Error("the package tests need the bundle: run `npm run bundle` first (npm test does)");
}

interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

let dir: string;
let tarball: string;
let packed: Packed;
let prefix: string;
/** npm's cache for these runs, so nothing lands in the user's. */
let env: Record<string, string>;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "voidmcp-pack-")));
  env = { npm_config_cache: join(dir, "npm-cache"), npm_config_update_notifier: "false" };
  // prepack would rebuild the bundle; npm test has just built it.
  const pack = await run(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: root,
    env,
  });
  expect(pack.code, pack.stderr).toBe(0);
  [packed] = JSON.parse(pack.stdout) as [Packed];
  tarball = join(dir, packed.filename);
  prefix = join(dir, "prefix");
  await mkdir(prefix);
  const install = await run(
    npm,
    ["install", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", tarball],
    {
      cwd: dir,
      env,
    },
  );
  expect(install.code, install.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("holds only the bundle, its licenses, the README and package.json, and is small", () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual([
      "README.md",
      "dist/bundle/THIRD_PARTY_LICENSES.txt",
      "dist/bundle/voidmcp.mjs",
      "package.json",
    ]);
    expect(packed.size).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("declares nothing to install and no install scripts", async () => {
    const manifest = JSON.parse(
      await readFile(join(prefix, "node_modules", "voidmcp", "package.json"), "utf8"),
    ) as Record<string, unknown>;
    for (const key of ["dependencies", "optionalDependencies", "peerDependencies", "bundleDependencies"]) {
      expect(manifest[key], key).toBeUndefined();
    }
    const scripts = (manifest.scripts ?? {}) as Record<string, string>;
    for (const hook of ["preinstall", "install", "postinstall", "prepare"])
      expect(scripts[hook], hook).toBeUndefined();
    expect(manifest.bin).toEqual({ voidmcp: "dist/bundle/voidmcp.mjs" });
    // The install brought voidmcp and nothing else.
    expect((await readdir(join(prefix, "node_modules"))).filter((name) => !name.startsWith("."))).toEqual([
      "voidmcp",
    ]);
  });
});

describe("the installed package", () => {
  it("prints its version and commit", async () => {
    const result = await run(join(prefix, "node_modules", ".bin", "voidmcp"), ["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(VERSION_LINE);
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
    expect(result.stdout.startsWith(`${pkg.version} (`)).toBe(true);
  });

  it("runs with npx from the tarball", async () => {
    const result = await run(npx, ["--yes", "--offline", `./${packed.filename}`, "--version"], {
      cwd: dir,
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(VERSION_LINE);
  });

  it("serves over stdio: a tool call and Code Mode, with the WebAssembly inside the bundle", async () => {
    const registry = join(dir, "servers.json");
    await writeFile(registry, JSON.stringify(fixtureRegistry()));
    await checkServeSession(
      process.execPath,
      [join(prefix, "node_modules", "voidmcp", "dist", "bundle", "voidmcp.mjs")],
      registry,
    );
  });
});
