/**
 * MCP Apps through the gateway, with the SDK client: two servers with the same `ui://` URI (two
 * fixtures), each tool's `_meta.ui.resourceUri` exposed as `ui://<server>/…`, resources/list and
 * resources/read of those URIs reaching the right server and returning its HTML, and the
 * `io.modelcontextprotocol/ui` extension passed on both ways. Over stdio (one client: its
 * extension is forwarded as declared) and over HTTP (shared: always declared).
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectGateway, fixtureEntry, type GatewaySession, type TempDir, tempRegistry } from "./harness.js";
import { connectHttp, type HttpGateway, startHttpGateway } from "./http-support.js";

const UI = "io.modelcontextprotocol/ui";
const APP = { mimeTypes: ["text/html;profile=mcp-app"] };
const HTML = "<!doctype html><title>fixture panel</title><p>hello from the fixture's app</p>";

let temp: TempDir;
let env: Record<string, string>;

beforeAll(async () => {
  temp = await tempRegistry({
    expose: "direct",
    mcpServers: { one: fixtureEntry("--name", "one"), two: fixtureEntry("--name", "two") },
  });
  const home = join(temp.dir, "home");
  await mkdir(home);
  env = { HOME: home, XDG_STATE_HOME: join(temp.dir, "state") };
});

afterAll(async () => {
  await temp?.cleanup();
});

/** What both fronts must show: rewritten URIs that read back each server's own HTML. */
async function expectAppsPassThrough(client: Client): Promise<void> {
  const tools = (await client.listTools()).tools;
  const meta = (name: string) => tools.find((t) => t.name === name)?._meta;
  expect(meta("one__show_panel")).toEqual({ ui: { resourceUri: "ui://one/panel/index.html" } });
  expect(meta("two__show_panel")).toEqual({ ui: { resourceUri: "ui://two/panel/index.html" } });

  const uris = (await client.listResources()).resources.map((r) => r.uri);
  expect(uris).toEqual(expect.arrayContaining(["ui://one/panel/index.html", "ui://two/panel/index.html"]));
  expect(uris).not.toContain("ui://panel/index.html");

  for (const server of ["one", "two"]) {
    const uri = `ui://${server}/panel/index.html`;
    const read = await client.readResource({ uri });
    expect(read.contents).toEqual([{ uri, mimeType: "text/html;profile=mcp-app", text: HTML }]);
  }
  await expect(client.readResource({ uri: "ui://panel/index.html" })).rejects.toThrow(/no server offers/);
  await expect(client.readResource({ uri: "ui://three/panel/index.html" })).rejects.toThrow(
    /no server offers/,
  );
}

describe("MCP Apps over stdio", () => {
  let session: GatewaySession;
  beforeAll(async () => {
    session = await connectGateway(temp.registry, {
      env,
      capabilities: { capabilities: { extensions: { [UI]: APP } } },
    });
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it("declares the UI extension to the client", () => {
    expect(session.client.getServerCapabilities()?.extensions).toEqual({ [UI]: {} });
  });

  it("exposes each server's ui:// URIs under its name and reads each back from its server", async () => {
    await expectAppsPassThrough(session.client);
  });

  it("tells the upstreams the client's UI extension as declared", async () => {
    const result = await session.client.callTool({ name: "one__show_panel", arguments: {} });
    expect(result.structuredContent).toEqual({ extensions: { [UI]: APP } });
  });
});

describe("MCP Apps over stdio, from a client without the extension", () => {
  it("does not tell the upstreams it", async () => {
    const session = await connectGateway(temp.registry, { env });
    try {
      const result = await session.client.callTool({ name: "two__show_panel", arguments: {} });
      expect(result.structuredContent).toEqual({ extensions: {} });
    } finally {
      await session.close();
    }
  }, 60_000);
});

describe("MCP Apps over HTTP", () => {
  let gateway: HttpGateway;
  beforeAll(async () => {
    gateway = await startHttpGateway(temp.registry, { env });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  it("passes ui:// resources through, and upstreams are told the extension", async () => {
    const token = (await readFile(join(temp.dir, "token"), "utf8")).trim();
    const http = await connectHttp(gateway.url, { token });
    try {
      expect(http.client.getServerCapabilities()?.extensions).toEqual({ [UI]: {} });
      await expectAppsPassThrough(http.client);
      const result = await http.client.callTool({ name: "two__show_panel", arguments: {} });
      expect(result.structuredContent).toEqual({ extensions: { [UI]: APP } });
    } finally {
      await http.close();
    }
  });
});
