/**
 * voidmcp's upstream client graded by the 2026-07-28 client scenarios of the conformance alpha
 * (`conformance-next` = @modelcontextprotocol/conformance 0.2.0-alpha.12, started on Node 20
 * through node20-compat.mjs, see suite.ts): `client --scenario X --spec-version 2026-07-28` starts the scenario's
 * modern server and runs client-driver.ts, which puts `voidmcp serve` (stdio) in front of it
 * with `protocol` left at "auto". So each run also proves the era detection: these servers are
 * reached as 2026-07-28 servers.
 *
 * What is recorded here, scenario by scenario, is the state of the alpha.12 run, not a wish:
 * - PASSING scenarios must stay clean (SUCCESS, INFO, or a SKIPPED the alpha itself explains
 *   in SKIPPED_BY_THE_ALPHA).
 * - KNOWN_FAILING scenarios are voidmcp gaps, each with its reason. They are run too, and the
 *   test fails when one starts passing, so this list cannot go stale silently.
 * - Not run: the 25 auth/* scenarios (voidmcp's upstream OAuth is a separate piece of work and
 *   the driver does not drive them) and `--requirements 2026-07-28`, which cannot be combined
 *   with `--scenario` and would run those auth scenarios too. The alpha's `main` still labels
 *   2026-07-28 "draft" (conformance#426): an explicit `--spec-version 2026-07-28` run, as here,
 *   grades the initialize-era checks of http-standard-headers as SKIPPED, because a modern
 *   client never sends `initialize`; those two SKIPPED checks are the alpha's, not voidmcp's.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CLIENT_DRIVER,
  CONFORMANCE_NEXT_ARGS,
  readResults,
  type ScenarioResult,
  shellWord,
} from "./suite.js";

const COMMAND = [process.execPath, CLIENT_DRIVER].map(shellWord).join(" ");

const PASSING = [
  "tools_call",
  "request-metadata",
  "sep-2322-client-request-state",
  "http-standard-headers",
  "http-invalid-tool-headers",
  "json-schema-ref-no-deref",
] as const;

const KNOWN_FAILING: ReadonlyArray<{ scenario: string; reason: string }> = [
  {
    scenario: "http-custom-headers",
    reason:
      "SEP-2243 Mcp-Param-* header mirroring: voidmcp forwards tools/call as a raw request (to pass results through untouched), and the SDK mirrors x-mcp-header parameters only inside client.callTool()",
  },
  {
    scenario: "json-schema-2020-12-preservation",
    reason:
      "added after the 2026-07-28 release (not required by it); the echoed schema misses 2020-12 keywords ($schema, $defs, allOf, if/then/else, $anchor): not yet traced to the gateway's listing or the driver's echo",
  },
];

/** SKIPPED checks that come from the alpha's own grading, not from anything voidmcp did. */
const SKIPPED_BY_THE_ALPHA: ReadonlyArray<{ scenario: string; id: string; reason: string }> = [
  {
    scenario: "http-standard-headers",
    id: "sep-2243-client-includes-standard-headers",
    reason: "graded for initialize / notifications/initialized, which a 2026-07-28 client never sends",
  },
  {
    scenario: "request-metadata",
    id: "sep-2575-client-declares-roots-capability",
    reason:
      "only graded when roots are declared; a gateway behind a stdio client without roots declares none",
  },
  {
    scenario: "request-metadata",
    id: "sep-2575-client-declares-sampling-capability",
    reason: "only graded when sampling is declared; the driver's client declares elicitation only",
  },
];

async function runScenario(
  scenario: string,
): Promise<{ output: string; result: ScenarioResult | undefined }> {
  const out = await mkdtemp(join(tmpdir(), "voidmcp-conformance-next-"));
  try {
    const args = [
      "client",
      "--command",
      COMMAND,
      "--scenario",
      scenario,
      "--spec-version",
      "2026-07-28",
      "-o",
      out,
    ];
    const output = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [...CONFORMANCE_NEXT_ARGS, ...args],
        { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
      );
    });
    const result = (await readResults(out)).find((r) => r.scenario === scenario);
    return { output, result };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function unexplained(result: ScenarioResult): string[] {
  return result.checks
    .filter((c) => c.status !== "SUCCESS" && c.status !== "INFO")
    .filter(
      (c) =>
        !(
          c.status === "SKIPPED" &&
          SKIPPED_BY_THE_ALPHA.some((s) => s.scenario === result.scenario && s.id === c.id)
        ),
    )
    .map((c) => `${c.id} ${c.status}: ${c.errorMessage ?? c.description}`);
}

describe("conformance 0.2.0-alpha.12 client scenarios (2026-07-28) through voidmcp's upstream side", () => {
  it.each(PASSING)("%s passes", async (scenario) => {
    const { output, result } = await runScenario(scenario);
    expect(result, `no results for ${scenario}:\n${output.slice(-4000)}`).toBeDefined();
    if (!result) return;
    expect(unexplained(result), output.slice(-6000)).toEqual([]);
    expect(result.checks.some((c) => c.status === "SUCCESS")).toBe(true);
    expect(result.clientStdout, output.slice(-4000)).toContain(`client-driver: ok ${scenario}`);
  });

  it.each(KNOWN_FAILING)("$scenario still fails as documented", async ({ scenario }) => {
    const { output, result } = await runScenario(scenario);
    expect(result, `no results for ${scenario}:\n${output.slice(-4000)}`).toBeDefined();
    if (!result) return;
    // It ran and was graded; when it passes, move it to PASSING.
    expect(result.checks.some((c) => c.status === "SUCCESS")).toBe(true);
    expect(unexplained(result).length).toBeGreaterThan(0);
  });
});
