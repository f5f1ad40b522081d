#!/usr/bin/env node
/**
 * The client under test for `conformance client --command "node client-driver.js" --scenario X`.
 *
 * Contract with the suite (@modelcontextprotocol/conformance 0.1.x): it starts the scenario's
 * server, then runs the command with that server's URL appended as the last argument and the
 * scenario's name in MCP_CONFORMANCE_SCENARIO; it grades what reached its server, and counts a
 * non-zero exit as a failure.
 *
 * What this does: it writes a temporary registry whose only server is that URL (Streamable
 * HTTP, mounted without prefix, tools exposed directly), starts `voidmcp serve` on it over stdio
 * as an IDE would, connects an SDK client to the gateway and performs the scenario's steps
 * through it. So the suite grades voidmcp's upstream side, and the driver checks what came back
 * to the downstream client. When every step gave the expected answer it prints
 * `client-driver: ok <scenario>` on stdout (the suite keeps stdout with the results) and exits
 * 0; otherwise it exits 1 with the reason on stderr, or 2 for a scenario it does not know.
 * The gateway's stderr goes to ours. It gives up after DEADLINE_MS, below the suite's own
 * 30 s timeout, which would kill only the shell around it.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CallToolResult, Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

/** dist/test/conformance/client-driver.js -> dist/src/cli/main.js */
const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const DEADLINE_MS = 20_000;

/** The scenarios this driver knows, each with what the suite's server expects of a client. */
const SCENARIOS = {
  /** The suite checks the upstream `initialize` (protocol version, client info). */
  initialize: async (client: Client) => {
    await client.listTools();
  },
  /** The suite's server has `add_numbers` and checks that it was called with a and b. */
  tools_call: async (client: Client) => {
    const tools = await client.listTools();
    expectTool(tools.tools, "add_numbers");
    const result = await client.callTool({ name: "add_numbers", arguments: { a: 5, b: 3 } });
    expectText(result, "The sum of 5 and 3 is 8");
  },
  /**
   * The suite's tool sends an `elicitation/create` whose fields all have defaults; the client
   * declares `applyDefaults` and accepts with empty content, so the SDK fills in the defaults,
   * and the suite checks each one arrived at its server.
   */
  "elicitation-sep1034-client-defaults": async (client: Client) => {
    const tools = await client.listTools();
    expectTool(tools.tools, "test_client_elicitation_defaults");
    const result = await client.callTool({ name: "test_client_elicitation_defaults", arguments: {} });
    expectText(result, /^Elicitation completed: /);
  },
  /**
   * The suite's tool answers on an SSE stream that it closes after a priming event with
   * `retry: 500`, and delivers the result only on the GET stream the client must reopen after
   * that delay (SEP-1699). The suite checks the reconnection and its timing.
   */
  "sse-retry": async (client: Client) => {
    const tools = await client.listTools();
    expectTool(tools.tools, "test_reconnection");
    const result = await client.callTool({ name: "test_reconnection", arguments: {} });
    expectText(result, "Reconnection test completed successfully");
  },
} satisfies Record<string, (client: Client) => Promise<void>>;

type ScenarioName = keyof typeof SCENARIOS;

function isScenario(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

/**
 * The suite's auth scenarios (authorization code flow): `voidmcp auth scenario --no-browser`
 * signs in, with this driver as the person's browser (it follows the printed URL's redirects
 * to voidmcp's loopback callback; the suite's authorization server approves at once); then
 * the gateway lists and calls the scenario's `test-tool` with the stored token. Scenarios where
 * the client must refuse to sign in expect `voidmcp auth` to fail.
 */
const AUTH_SCENARIOS: Readonly<
  Record<
    string,
    {
      readonly mustRefuse?: boolean;
      readonly oauth?: (context: Record<string, unknown>) => Record<string, unknown>;
    }
  >
> = {
  "auth/metadata-default": {},
  "auth/metadata-var1": {},
  "auth/metadata-var2": {},
  "auth/metadata-var3": {},
  "auth/basic-cimd": {
    oauth: () => ({ clientMetadataUrl: "https://conformance-test.local/client-metadata.json" }),
  },
  "auth/scope-from-www-authenticate": {},
  "auth/scope-from-scopes-supported": {},
  "auth/scope-omitted-when-undefined": {},
  "auth/scope-step-up": {},
  "auth/token-endpoint-auth-basic": {},
  "auth/token-endpoint-auth-post": {},
  "auth/token-endpoint-auth-none": {},
  "auth/resource-mismatch": { mustRefuse: true },
  "auth/pre-registration": {
    oauth: (context) => ({
      clientId: String(context.client_id),
      clientSecret: String(context.client_secret),
    }),
  },
  "auth/2025-03-26-oauth-metadata-backcompat": {},
  "auth/2025-03-26-oauth-endpoint-fallback": {},
};

/** Runs `voidmcp auth scenario --no-browser` and plays the browser; resolves with its exit code and stderr. */
function signIn(registry: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [CLI, "auth", "scenario", "--no-browser", "--timeout", "15000", "--config", registry],
      {
        env,
        stdio: ["ignore", "inherit", "pipe"],
      },
    );
    let stderr = "";
    let followed = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = stderr.split("\n").find((line) => /^https?:\/\//.test(line));
      if (url && !followed) {
        followed = true;
        void fetch(url.trim()).catch(() => {});
      }
    });
    child.once("exit", (code) => resolve({ code: code ?? 1, stderr }));
  });
}

async function driveAuth(scenario: string, url: string): Promise<void> {
  const plan = AUTH_SCENARIOS[scenario] ?? {};
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}") as Record<string, unknown>;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-conformance-auth-"));
  try {
    const registry = join(dir, "servers.json");
    const oauth = plan.oauth?.(context);
    const document = {
      expose: "direct",
      mcpServers: { scenario: { type: "http", url, prefix: "", ...(oauth ? { oauth } : {}) } },
    };
    await writeFile(registry, `${JSON.stringify(document, null, 2)}\n`);
    const env = {
      ...(process.env as Record<string, string>),
      XDG_STATE_HOME: join(dir, "state"),
      HOME: join(dir, "home"),
    };
    const signedIn = await signIn(registry, env);
    process.stderr.write(signedIn.stderr);
    if (plan.mustRefuse) {
      if (signedIn.code === 0) throw new Error("voidmcp auth signed in although it should have refused");
      return;
    }
    if (signedIn.code !== 0) throw new Error(`voidmcp auth failed (exit ${signedIn.code})`);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--config", registry],
      env: { ...env, VOIDMCP_LOG_LEVEL: "info" },
      stderr: "inherit",
    });
    const client = new Client({ name: "voidmcp-conformance-driver", version: "1.0.0" });
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      expectTool(tools.tools, "test-tool");
      const result = await client.callTool({ name: "test-tool", arguments: {} });
      expectText(result, "test");
    } finally {
      await client.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The 2026-07-28 client scenarios (conformance 0.2.0-alpha) that are graded on what reaches the
 * scenario's server, not on answers the driver could check: the driver exercises everything the
 * gateway offers from that server (every tool, once, with arguments made from its schema; every
 * resource and prompt), and the suite grades the upstream requests voidmcp sent for it.
 */
const EXERCISED = new Set([
  "request-metadata",
  "sep-2322-client-request-state",
  "http-standard-headers",
  "http-custom-headers",
  "http-invalid-tool-headers",
  "json-schema-ref-no-deref",
  "json-schema-2020-12-preservation",
]);

/** A value of the schema's type, for a required argument. */
function sampleOf(schema: unknown): unknown {
  const type = (schema as { type?: unknown } | undefined)?.type;
  const values = (schema as { enum?: unknown[]; default?: unknown } | undefined) ?? {};
  if (values.default !== undefined) return values.default;
  if (Array.isArray(values.enum) && values.enum.length > 0) return values.enum[0];
  switch (type) {
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "us-west";
  }
}

async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  for (const tool of tools) {
    const schema = tool.inputSchema as { properties?: Record<string, unknown>; required?: string[] };
    // A `schema` argument gets another tool's inputSchema as the gateway lists it: the
    // json-schema-2020-12-preservation scenario checks which keywords survived the trip.
    const other = tools.find((t) => t.name !== tool.name)?.inputSchema;
    const args = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([name, property]) => [
        name,
        name === "schema" && other !== undefined ? other : sampleOf(property),
      ]),
    );
    await client.callTool({ name: tool.name, arguments: args }).catch((error: unknown) => {
      process.stderr.write(`client-driver: ${tool.name}: ${String(error)}\n`);
    });
  }
  const { resources } = await client.listResources().catch(() => ({ resources: [] }));
  for (const resource of resources) await client.readResource({ uri: resource.uri }).catch(() => {});
  const { prompts } = await client.listPrompts().catch(() => ({ prompts: [] }));
  for (const prompt of prompts) await client.getPrompt({ name: prompt.name }).catch(() => {});
}

function expectTool(tools: ReadonlyArray<{ name: string }>, name: string): void {
  if (!tools.some((tool) => tool.name === name)) {
    throw new Error(
      `the gateway does not list "${name}"; it lists: ${tools.map((t) => t.name).join(", ") || "nothing"}`,
    );
  }
}

function expectText(result: CallToolResult, expected: string | RegExp): void {
  const content = result.content;
  const text = content.find((block): block is { type: "text"; text: string } => block.type === "text")?.text;
  const ok = typeof expected === "string" ? text === expected : text !== undefined && expected.test(text);
  if (!ok || result.isError === true) {
    throw new Error(`unexpected tool result: ${JSON.stringify(result)} (expected text ${String(expected)})`);
  }
}

async function drive(scenario: string, url: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-conformance-client-"));
  try {
    const registry = join(dir, "servers.json");
    const document = {
      expose: "direct",
      mcpServers: { scenario: { type: "http", url, prefix: "" } },
    };
    await writeFile(registry, `${JSON.stringify(document, null, 2)}\n`);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--config", registry],
      env: { ...(process.env as Record<string, string>), VOIDMCP_LOG_LEVEL: "info" },
      stderr: "inherit",
    });
    const client = new Client(
      { name: "voidmcp-conformance-driver", version: "1.0.0" },
      { capabilities: { elicitation: { form: { applyDefaults: true } } } },
    );
    client.setRequestHandler("elicitation/create", () => ({ action: "accept", content: {} }));
    await client.connect(transport);
    try {
      await (isScenario(scenario) ? SCENARIOS[scenario](client) : exercise(client));
    } finally {
      await client.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const url = process.argv[process.argv.length - 1] ?? "";
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
  if (!/^https?:\/\//.test(url)) {
    process.stderr.write(`client-driver: expected the server URL as the last argument, got "${url}"\n`);
    return 2;
  }
  if (Object.hasOwn(AUTH_SCENARIOS, scenario)) {
    const deadline = setTimeout(() => {
      process.stderr.write(`client-driver: ${scenario} did not finish within ${DEADLINE_MS} ms\n`);
      process.exit(1);
    }, DEADLINE_MS);
    deadline.unref();
    await driveAuth(scenario, url);
    process.stdout.write(`client-driver: ok ${scenario}\n`);
    return 0;
  }
  if (!isScenario(scenario) && !EXERCISED.has(scenario)) {
    process.stderr.write(
      `client-driver: scenario "${scenario}" is not driven; known: ${Object.keys(SCENARIOS).join(", ")}\n`,
    );
    return 2;
  }
  const deadline = setTimeout(() => {
    // The gateway exits when its stdin closes, that is with us.
    process.stderr.write(`client-driver: ${scenario} did not finish within ${DEADLINE_MS} ms\n`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  await drive(scenario, url);
  process.stdout.write(`client-driver: ok ${scenario}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `client-driver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
