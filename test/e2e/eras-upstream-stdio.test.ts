/**
 * A legacy client (the SDK's default: `initialize`, 2025-11-25) → `voidmcp serve` (the built
 * CLI, stdio) → a modern-only upstream (fixture-modern: 2026-07-28, refuses `initialize`). The
 * gateway detects the upstream's era and translates: tool calls, an elicitation the upstream
 * asks for with `input_required` (answered by the client through a real `elicitation/create`,
 * the answer returned as `inputResponses` with the `requestState` echoed), a list change seen
 * on the upstream's `subscriptions/listen` stream reaching the client as `list_changed`, a
 * cancellation, and Code Mode calling the modern tools.
 */
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  eventually,
  fixtureEntry,
  type GatewaySession,
  runCli,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

const MODERN = join(import.meta.dirname, "../../dist/test/fixtures/fixture-modern.js");

let temp: TempDir;
let session: GatewaySession;
let env: Record<string, string>;
/** How the client answers the next elicitation/create. */
let elicitation: "accept" | "decline" | "fail" = "accept";
const asked: unknown[] = [];
let toolsChanged = 0;

beforeAll(async () => {
  temp = await tempRegistry({
    expose: "direct",
    mcpServers: {
      modern: { command: process.execPath, args: [MODERN] },
      legacy: fixtureEntry(),
    },
  });
  env = { XDG_STATE_HOME: join(temp.dir, "state"), HOME: temp.dir };
  session = await connectGateway(temp.registry, {
    env,
    capabilities: { capabilities: { elicitation: { form: {} } } },
  });
  session.client.setRequestHandler("elicitation/create", async (request) => {
    asked.push(request.params);
    if (elicitation === "fail") throw new Error("the person closed the dialog");
    return elicitation === "accept" ? { action: "accept", content: { name: "Ada" } } : { action: "decline" };
  });
  session.client.setNotificationHandler("notifications/tools/list_changed", () => {
    toolsChanged += 1;
  });
});

afterAll(async () => {
  await session?.close();
  await temp?.cleanup();
});

interface StatusRow {
  name: string;
  state: string;
  era?: string;
  protocolVersion?: string;
  protocol?: string;
}

async function servers(): Promise<StatusRow[]> {
  const result = (await session.client.callTool({ name: "list_servers", arguments: {} })) as CallToolResult;
  return (JSON.parse(textOf(result)) as { servers: StatusRow[] }).servers;
}

describe("legacy client → voidmcp → modern-only upstream (stdio)", () => {
  it("detects each upstream's era and shows it in list_servers", async () => {
    expect(await eventually(async () => (await servers()).every((s) => s.state === "ready"), 20_000)).toBe(
      true,
    );
    const byName = new Map((await servers()).map((s) => [s.name, s]));
    expect(byName.get("modern")).toMatchObject({
      era: "modern",
      protocolVersion: "2026-07-28",
      protocol: "auto",
    });
    expect(byName.get("legacy")).toMatchObject({
      era: "legacy",
      protocolVersion: "2025-11-25",
      protocol: "auto",
    });
  });

  it("calls a modern tool", async () => {
    const result = await session.client.callTool({ name: "modern__echo", arguments: { text: "hi there" } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("hi there");
  });

  it("turns input_required into elicitation/create to the calling client, and its answer into inputResponses", async () => {
    elicitation = "accept";
    const before = asked.length;
    const result = await session.client.callTool({ name: "modern__ask_name", arguments: {} });
    expect(asked.length).toBe(before + 1);
    expect(asked.at(-1)).toMatchObject({ message: "What is your name?" });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("Hello, Ada (state echoed)");
  });

  it("passes a declined elicitation to the upstream, which answers with its own error", async () => {
    elicitation = "decline";
    const result = await session.client.callTool({ name: "modern__ask_name", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("the person declined to give a name (decline; state echoed)");
  });

  it("ends the call with a clear error when the client cannot answer the elicitation", async () => {
    elicitation = "fail";
    const message = await session.client.callTool({ name: "modern__ask_name", arguments: {} }).then(
      (result) => (result.isError ? textOf(result) : `no error: ${textOf(result)}`),
      (error: unknown) => String(error),
    );
    expect(message).toMatch(/tool "ask_name" on server "modern" needs input/);
    expect(message).toMatch(/elicitation\/create/);
    expect(message).toMatch(/the person closed the dialog/);
    elicitation = "accept";
  });

  it("a change of the upstream's tools (seen on its listen stream) reaches the client as list_changed", async () => {
    const before = toolsChanged;
    const added = await session.client.callTool({ name: "modern__add_tool", arguments: { name: "shout" } });
    expect(textOf(added)).toBe("added shout");
    expect(await eventually(() => toolsChanged > before, 10_000)).toBe(true);
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toContain("modern__shout");
    const result = await session.client.callTool({ name: "modern__shout", arguments: { text: "new" } });
    expect(textOf(result)).toBe("new");
  });

  it("cancelling a call cancels it upstream", async () => {
    const controller = new AbortController();
    const call = session.client.callTool(
      { name: "modern__slow", arguments: {} },
      { signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 500));
    controller.abort("changed my mind");
    await expect(call).rejects.toThrow();
    const count = async () =>
      textOf(await session.client.callTool({ name: "modern__cancellations", arguments: {} }));
    expect(await eventually(async () => (await count()) === "1", 10_000)).toBe(true);
  });

  it("passes log messages on once the client set a level (per-request log level upstream)", async () => {
    const logs: unknown[] = [];
    session.client.setNotificationHandler("notifications/message", (n) => {
      logs.push(n.params);
    });
    await session.client.setLoggingLevel("info");
    await session.client.callTool({ name: "modern__log", arguments: { message: "hello from modern" } });
    expect(await eventually(() => JSON.stringify(logs).includes("hello from modern"))).toBe(true);
  });

  it("Code Mode calls modern tools, input_required included", async () => {
    elicitation = "accept";
    const code = [
      "const a = await tools.modern.echo({ text: 'from a script' });",
      "const b = await tools.modern.ask_name({});",
      "return { a, b };",
    ].join("\n");
    const result = (await session.client.callTool({
      name: "execute_code",
      arguments: { code },
    })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain("from a script");
    expect(textOf(result)).toContain("Hello, Ada (state echoed)");
  });
});

describe("voidmcp list", () => {
  it("shows the era and version of each server, in text and --json", async () => {
    const text = await runCli(["list", "--config", temp.registry], { env });
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(/\bPROTOCOL\b/);
    expect(lines.find((l) => l.startsWith("modern"))).toMatch(/modern 2026-07-28/);
    expect(lines.find((l) => l.startsWith("legacy"))).toMatch(/legacy 2025-11-25/);

    const json = await runCli(["list", "--json", "--config", temp.registry], { env });
    const report = JSON.parse(json.stdout) as { servers: StatusRow[] };
    expect(report.servers.find((s) => s.name === "modern")).toMatchObject({
      era: "modern",
      protocolVersion: "2026-07-28",
    });
  });

  it("a server pinned to legacy fails against a modern-only upstream, saying so", async () => {
    const pinned = await tempRegistry({
      mcpServers: { modern: { command: process.execPath, args: [MODERN], protocol: "legacy" } },
    });
    try {
      const result = await runCli(["list", "--json", "--config", pinned.registry], { env });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { servers: Array<StatusRow & { error?: string }> };
      expect(report.servers[0]?.state).toBe("failed");
      expect(report.servers[0]?.error).toMatch(/2025-11-25|Unsupported protocol version/i);
    } finally {
      await pinned.cleanup();
    }
  });
});
