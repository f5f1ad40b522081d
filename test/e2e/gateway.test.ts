/**
 * `voidmcp serve` as an IDE meets it: spawned over stdio with a real registry holding the fixture
 * (stdio and Streamable HTTP) and @modelcontextprotocol/server-everything, driven by the SDK client.
 */
import { ProtocolError } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  EVERYTHING,
  fixtureEntry,
  type GatewaySession,
  type HttpFixture,
  isAlive,
  startHttpFixture,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

let http: HttpFixture;
let sse: HttpFixture;
let temp: TempDir;
let session: GatewaySession;

beforeAll(async () => {
  http = await startHttpFixture("--name", "http-fixture");
  sse = await startHttpFixture("--sse");
  temp = await tempRegistry({
    version: 1,
    // More than the auto threshold of tools: ask for every tool to be listed, as these tests check them.
    expose: "direct",
    mcpServers: {
      fixture: { ...fixtureEntry("--spawn-grandchild"), env: { VOIDMCP_E2E: "from-registry" }, cwd: "/tmp" },
      remote: { type: "http", url: http.url },
      everything: { command: process.execPath, args: [EVERYTHING] },
      quiet: { ...fixtureEntry(), enabled: false },
      legacy: { url: sse.url },
      legacysse: { type: "sse", url: sse.url },
    },
  });
  session = await connectGateway(temp.registry);
});

afterAll(async () => {
  await session?.close();
  await http?.stop();
  await sse?.stop();
  await temp?.cleanup();
});

describe("catalogue", () => {
  it("lists meta-tools and every ready server's tools, namespaced", async () => {
    const { tools } = await session.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names.slice(0, 3)).toEqual(["search", "execute_code", "list_servers"]);
    for (const name of ["fixture__echo", "remote__echo", "everything__echo", "everything__get-sum"]) {
      expect(names).toContain(name);
    }
    expect(names.some((n) => n.startsWith("quiet__"))).toBe(false);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it("passes upstream JSON Schemas through verbatim", async () => {
    const { tools } = await session.client.listTools();
    const add = tools.find((t) => t.name === "fixture__add");
    expect(add?.inputSchema.properties).toHaveProperty("a");
    expect(add?.inputSchema.required).toEqual(["a", "b"]);
    expect(add?.outputSchema?.properties).toHaveProperty("sum");
    const json2020 = tools.find((t) => t.name === "fixture__json_schema_2020_12_tool");
    expect(JSON.stringify(json2020?.inputSchema)).toContain("$defs");
  });

  it("maps names that are not valid MCP names to stable valid ones, and routes them back", async () => {
    const { tools } = await session.client.listTools();
    const dotted = tools.find((t) => t.name.startsWith("fixture__dotted_name_"));
    const long = tools.filter((t) => t.name.startsWith("fixture__the_tool_has_a_very_long_name"));
    expect(dotted).toBeDefined();
    expect(long).toHaveLength(2);
    expect(long[0]?.name).not.toBe(long[1]?.name);
    const result = await session.client.callTool({ name: dotted?.name ?? "", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain("dotted.name");
  });

  it("lists resources, templates and prompts of every server", async () => {
    const { resources } = await session.client.listResources();
    expect(resources.map((r) => r.uri)).toContain("fixture://hello");
    const { resourceTemplates } = await session.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("fixture://items/{id}");
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(["fixture__greet", "remote__greet"]));
    expect(prompts.some((p) => p.name.startsWith("everything__"))).toBe(true);
  });
});

describe("calls", () => {
  it("routes calls to the stdio fixture, the HTTP fixture and server-everything", async () => {
    const a = await session.client.callTool({ name: "fixture__echo", arguments: { text: "one" } });
    const b = await session.client.callTool({ name: "remote__echo", arguments: { text: "two" } });
    const c = await session.client.callTool({ name: "everything__echo", arguments: { message: "three" } });
    expect(textOf(a)).toBe("one");
    expect(textOf(b)).toBe("two");
    expect(textOf(c)).toBe("Echo: three");
  });

  it("reaches a legacy SSE server, by falling back from Streamable HTTP or when told to", async () => {
    const fallback = await session.client.callTool({ name: "legacy__echo", arguments: { text: "old" } });
    const explicit = await session.client.callTool({ name: "legacysse__echo", arguments: { text: "older" } });
    expect(textOf(fallback)).toBe("old");
    expect(textOf(explicit)).toBe("older");
  });

  it("passes results back unchanged: structuredContent, images, _meta", async () => {
    const add = await session.client.callTool({ name: "fixture__add", arguments: { a: 2, b: 40 } });
    expect(add.structuredContent).toEqual({ sum: 42 });
    const image = await session.client.callTool({ name: "remote__image", arguments: {} });
    expect(image.content[0]).toMatchObject({ type: "image", mimeType: "image/png" });
    const meta = await session.client.callTool({ name: "fixture__meta", arguments: {} });
    expect(meta._meta).toMatchObject({ "voidmcp/test": true });
  });

  it("passes an upstream isError result through as a result", async () => {
    const result = await session.client.callTool({ name: "fixture__fail", arguments: { message: "nope" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("nope");
  });

  it("passes an upstream protocol error through as a protocol error", async () => {
    const error = await session.client
      .callTool({ name: "fixture__throw", arguments: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(-32603);
  });

  it("rejects an unknown tool with invalid params and says what to do", async () => {
    const error = await session.client
      .callTool({ name: "nope__nothing", arguments: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(-32602);
    expect((error as Error).message).toMatch(/unknown tool "nope__nothing".*search/);
  });

  it("gives the stdio child the registry's env and cwd on top of the gateway's environment", async () => {
    const result = await session.client.callTool({
      name: "fixture__env",
      arguments: { name: "VOIDMCP_E2E" },
    });
    expect(JSON.parse(textOf(result))).toEqual({ value: "from-registry", cwd: "/tmp" });
    const path = await session.client.callTool({ name: "fixture__env", arguments: { name: "PATH" } });
    expect(JSON.parse(textOf(path)).value).toBe(process.env.PATH);
  });

  it("reads resources by URI and through templates, and gets prompts", async () => {
    const hello = await session.client.readResource({ uri: "fixture://hello" });
    expect(hello.contents[0]).toMatchObject({ uri: "fixture://hello", text: "hello from the fixture" });
    const item = await session.client.readResource({ uri: "fixture://items/7" });
    expect(JSON.stringify(item.contents)).toContain("item 7");
    const prompt = await session.client.getPrompt({ name: "remote__greet", arguments: { name: "Ada" } });
    expect(JSON.stringify(prompt.messages)).toContain("Ada");
  });

  it("runs calls to different servers concurrently", async () => {
    const results = await Promise.all([
      session.client.callTool({ name: "fixture__slow", arguments: { ms: 300 } }),
      session.client.callTool({ name: "remote__slow", arguments: { ms: 300 } }),
      session.client.callTool({ name: "fixture__echo", arguments: { text: "x" } }),
    ]);
    expect(results.map(textOf)).toEqual(["done after 300 ms", "done after 300 ms", "x"]);
  });
});

describe("meta-tools", () => {
  it("list_servers shows state, transport and tool count of each server", async () => {
    const result = await session.client.callTool({ name: "list_servers", arguments: {} });
    const report = result.structuredContent as {
      registryPath: string;
      servers: Array<{ name: string; transport: string; state: string; toolCount: number }>;
    };
    expect(report.registryPath).toBe(temp.registry);
    const byName = Object.fromEntries(report.servers.map((s) => [s.name, s]));
    expect(byName.fixture).toMatchObject({ transport: "stdio", state: "ready" });
    expect(byName.remote).toMatchObject({ transport: "http", state: "ready" });
    expect(byName.everything?.state).toBe("ready");
    expect(byName.quiet?.state).toBe("disabled");
    expect(byName.fixture?.toolCount).toBeGreaterThan(20);
  });

  it("search finds tools by words across servers and declares how to call them", async () => {
    const result = await session.client.callTool({
      name: "search",
      arguments: { query: "sum numbers", limit: 5 },
    });
    const found = result.structuredContent as { tools: Array<{ name: string; declaration: string }> };
    const names = found.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["fixture__add", "everything__get-sum"]));
    expect(names.length).toBeLessThanOrEqual(5);
    expect(found.tools.find((t) => t.name === "fixture__add")?.declaration).toMatch(
      /^tools\.fixture\.add\(args: \{ a: number; b: number \}\)/,
    );
  });
});

describe("shutdown", () => {
  it("leaves no upstream process behind, grandchildren included, when the client disconnects", async () => {
    const own = await connectGateway(temp.registry);
    const pids = JSON.parse(textOf(await own.client.callTool({ name: "fixture__pids", arguments: {} }))) as {
      pid: number;
      grandchildPid: number | null;
    };
    const gatewayPid = own.transport.pid;
    expect(pids.grandchildPid).not.toBeNull();
    expect(isAlive(pids.pid)).toBe(true);
    expect(isAlive(pids.grandchildPid as number)).toBe(true);
    await own.close();
    const { eventually } = await import("./harness.js");
    expect(await eventually(() => !isAlive(pids.pid) && !isAlive(pids.grandchildPid as number), 10_000)).toBe(
      true,
    );
    expect(gatewayPid === null || !isAlive(gatewayPid)).toBe(true);
  });
});
