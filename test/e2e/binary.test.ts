/**
 * The single executable for this machine, built from the bundle by the same script as
 * `npm run build:binaries` (into a temporary directory), then used with no Node in between:
 * `--version`, an MCP session over stdio with a tool call and Code Mode, and `init` writing the
 * executable's own path. Building takes about a second here (Bun compiles the bundle).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkServeSession, fixtureRegistry, ROOT, run, VERSION_LINE } from "./shipping-support.js";

const root = fileURLToPath(ROOT);
const SCRIPT = join(root, "dist/scripts/build-binaries.js");
const HOST = ((): string | undefined => {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const name = `${os}-${process.arch}`;
  return ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64"].includes(name)
    ? name
    : undefined;
})();

let dir: string;
let binary: string;

beforeAll(async () => {
  if (HOST === undefined) return;
  if (!existsSync(join(root, "dist/bundle/voidmcp.mjs"))) {
    throw new Error("the binary tests need the bundle: run `npm run bundle` first (npm test does)");
  }
  dir = await realpath(await mkdtemp(join(tmpdir(), "voidmcp-bin-")));
  const started = Date.now();
  const build = await run(process.execPath, [SCRIPT, "--target", HOST, "--outdir", dir]);
  expect(build.code, build.stderr).toBe(0);
  // The script smoke-tests the executable for this machine (--version, a Code Mode run).
  expect(build.stdout).toMatch(/smoke test: .*Code Mode ok/);
  binary = join(dir, `voidmcp-${HOST}${HOST.startsWith("windows") ? ".exe" : ""}`);
  process.stderr.write(`built ${binary} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(HOST === undefined)("the single executable", () => {
  it("comes with its checksum and the bundled packages' licenses", async () => {
    const sum = createHash("sha256")
      .update(await readFile(binary))
      .digest("hex");
    expect(await readFile(join(dir, "SHA256SUMS"), "utf8")).toBe(
      `${sum}  voidmcp-${HOST}${HOST?.startsWith("windows") ? ".exe" : ""}\n`,
    );
    expect(await readFile(join(dir, "THIRD_PARTY_LICENSES.txt"), "utf8")).toContain(
      "@modelcontextprotocol/server",
    );
  });

  it("prints its version and commit, without Node", async () => {
    const result = await run(binary, ["--version"], { env: { PATH: "/nonexistent" } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(VERSION_LINE);
  });

  it("serves over stdio: a tool call and Code Mode", async () => {
    const registry = join(dir, "servers.json");
    await writeFile(registry, JSON.stringify(fixtureRegistry()));
    await checkServeSession(binary, [], registry);
  });

  it("init writes the executable itself into the client's config", async () => {
    const file = join(dir, "client config", "mcp.json");
    const registry = join(dir, "servers.json");
    const result = await run(binary, ["init", "cursor", "--file", file, "--config", registry], {
      env: { HOME: join(dir, "home") },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      mcpServers: { voidmcp: { command: binary, args: ["serve", "--config", registry] } },
    });
  });
});
