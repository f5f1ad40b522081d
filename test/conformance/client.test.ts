/**
 * voidmcp's upstream side graded by the official MCP conformance suite's client scenarios:
 * `conformance client --command "node client-driver.js" --scenario X` starts the scenario's
 * server and runs the driver with its URL; the driver starts `voidmcp serve` (stdio) with that
 * URL as the only upstream and does the scenario's steps through the gateway with the SDK
 * client (see client-driver.ts). The suite grades what reached its server; the driver checks
 * what came back and prints an ok line only when every answer was right.
 */
import { describe, expect, it } from "vitest";
import {
  type AllowedCheck,
  CLIENT_DRIVER,
  problems,
  runConformance,
  type ScenarioResult,
  shellWord,
} from "./suite.js";

const SCENARIOS = ["initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"] as const;

/**
 * sse-retry grades when the client reopens the stream after `retry: 500`: more than 200 ms late
 * is a WARNING. That measures the machine's load as much as the client, so it is accepted;
 * too early, or later than twice the delay (the client ignoring the field), stays a FAILURE.
 */
const ALLOWED: readonly AllowedCheck[] = [
  {
    scenario: "sse-retry",
    id: "client-sse-retry-timing",
    status: "WARNING",
    reason: "reconnected slightly late (a busy machine)",
  },
];

const COMMAND = [process.execPath, CLIENT_DRIVER].map(shellWord).join(" ");

describe("conformance client scenarios through the gateway's upstream side", () => {
  it.each(SCENARIOS)("%s", async (scenario) => {
    const run = await runConformance(["client", "--command", COMMAND, "--scenario", scenario]);
    const result: ScenarioResult | undefined = run.results.find((r) => r.scenario === scenario);
    expect(result, `no results for ${scenario}:\n${run.output.slice(-4000)}`).toBeDefined();
    const failing = problems(run.results, ALLOWED);
    expect(failing, `failing checks:\n${failing.join("\n")}\n\n${run.output.slice(-6000)}`).toEqual([]);
    expect(result?.checks.some((c) => c.status === "SUCCESS")).toBe(true);
    expect(result?.clientStdout, `the driver did not finish:\n${run.output.slice(-6000)}`).toContain(
      `client-driver: ok ${scenario}`,
    );
  });
});

/**
 * The suite's OAuth scenarios (authorization code flow) through `voidmcp auth` and then the
 * gateway (see client-driver.ts). Not listed, and why:
 * - auth/metadata-var2, auth/metadata-var3: the suite's authorization server at
 *   `<origin>/tenant1` publishes metadata whose `issuer` is `<origin>`; RFC 8414 §3.3 says a
 *   client must refuse that, and voidmcp does ("has no valid issuer"), so its checks fail.
 * - auth/scope-step-up: a 403 insufficient_scope while serving is not turned into a new sign-in
 *   with wider scope (the gateway never opens a browser; not built yet).
 * - auth/client-credentials-*: the client credentials grant is not supported (no person signs in).
 */
const AUTH_SCENARIOS = [
  "auth/metadata-default",
  "auth/metadata-var1",
  "auth/basic-cimd",
  "auth/scope-from-www-authenticate",
  "auth/scope-from-scopes-supported",
  "auth/scope-omitted-when-undefined",
  "auth/token-endpoint-auth-basic",
  "auth/token-endpoint-auth-post",
  "auth/token-endpoint-auth-none",
  "auth/resource-mismatch",
  "auth/pre-registration",
  "auth/2025-03-26-oauth-metadata-backcompat",
  "auth/2025-03-26-oauth-endpoint-fallback",
] as const;

describe("conformance client auth scenarios through voidmcp auth and the gateway", () => {
  it.each(AUTH_SCENARIOS)("%s", async (scenario) => {
    const run = await runConformance(["client", "--command", COMMAND, "--scenario", scenario]);
    const result = run.results.find((r) => r.scenario === scenario);
    expect(result, `no results for ${scenario}:\n${run.output.slice(-4000)}`).toBeDefined();
    const failing = problems(run.results, []);
    expect(failing, `failing checks:\n${failing.join("\n")}\n\n${run.output.slice(-6000)}`).toEqual([]);
    expect(result?.checks.some((c) => c.status === "SUCCESS")).toBe(true);
    expect(result?.clientStdout, `the driver did not finish:\n${run.output.slice(-6000)}`).toContain(
      `client-driver: ok ${scenario}`,
    );
  });
});
