import { describe, expect, it } from "vitest";
import { buildCatalogue } from "./catalogue.js";
import type { ReadResourceResult, Tool } from "./index.js";
import { exposeReadResult, exposeToolUi, exposeUiUri, uiServerOf, upstreamResourceUri } from "./ui-uri.js";

describe("exposeUiUri / uiServerOf / upstreamResourceUri", () => {
  it.each([
    { server: "weather", uri: "ui://forecast/index.html", exposed: "ui://weather/forecast/index.html" },
    { server: "weather", uri: "ui://index.html", exposed: "ui://weather/index.html" },
    { server: "a-b_c", uri: "ui://widget", exposed: "ui://a-b_c/widget" },
    { server: "weather", uri: "ui://", exposed: "ui://weather/" },
    { server: "weather", uri: "ui://x?theme=dark#top", exposed: "ui://weather/x?theme=dark#top" },
    // Not UI: unchanged, as every other resource URI.
    { server: "weather", uri: "file:///tmp/a", exposed: "file:///tmp/a" },
    { server: "weather", uri: "UI://upper", exposed: "UI://upper" },
    { server: "weather", uri: "fixture://hello", exposed: "fixture://hello" },
  ])("$server: $uri ⇄ $exposed", ({ server, uri, exposed }) => {
    expect(exposeUiUri(server, uri)).toBe(exposed);
    expect(upstreamResourceUri(server, exposed)).toBe(uri);
    if (uri.startsWith("ui://")) expect(uiServerOf(exposed)).toBe(server);
  });

  it.each([
    { uri: "ui://weather/x", server: "weather" },
    { uri: "ui://weather", server: undefined },
    { uri: "ui:///x", server: undefined },
    { uri: "file:///x", server: undefined },
  ])("uiServerOf($uri) → $server", ({ uri, server }) => {
    expect(uiServerOf(uri)).toBe(server);
  });

  it("maps back only a URI of that server", () => {
    expect(upstreamResourceUri("weather", "ui://maps/x")).toBe("ui://maps/x");
    expect(upstreamResourceUri("we", "ui://weather/x")).toBe("ui://weather/x");
  });
});

describe("exposeToolUi", () => {
  const base: Tool = { name: "show", inputSchema: { type: "object" } };
  it.each([
    {
      what: "_meta.ui.resourceUri, keeping the other ui keys and other _meta",
      meta: { ui: { resourceUri: "ui://panel/index.html", visibility: ["model", "app"] }, other: 1 },
      expected: { ui: { resourceUri: "ui://srv/panel/index.html", visibility: ["model", "app"] }, other: 1 },
    },
    {
      what: "the flat ui/resourceUri key of earlier drafts",
      meta: { "ui/resourceUri": "ui://panel" },
      expected: { "ui/resourceUri": "ui://srv/panel" },
    },
    {
      what: "both at once",
      meta: { ui: { resourceUri: "ui://a" }, "ui/resourceUri": "ui://a" },
      expected: { ui: { resourceUri: "ui://srv/a" }, "ui/resourceUri": "ui://srv/a" },
    },
    {
      what: "a non-ui URI as it is",
      meta: { ui: { resourceUri: "https://example.com/x" } },
      expected: { ui: { resourceUri: "https://example.com/x" } },
    },
  ])("$what", ({ meta, expected }) => {
    const tool = { ...base, _meta: meta };
    const before = JSON.stringify(tool);
    expect(exposeToolUi("srv", tool)._meta).toEqual(expected);
    expect(JSON.stringify(tool)).toBe(before);
  });

  it.each([
    { _meta: undefined },
    { _meta: {} },
    { _meta: { ui: "odd" } },
    { _meta: { ui: { resourceUri: 3 } } },
  ])("returns the same tool when there is no UI URI: %j", (extra) => {
    const tool = { ...base, ...extra } as Tool;
    expect(exposeToolUi("srv", tool)).toBe(tool);
  });
});

describe("exposeReadResult", () => {
  it("exposes ui:// URIs of the contents and keeps everything else", () => {
    const result: ReadResourceResult = {
      contents: [
        {
          uri: "ui://panel/index.html",
          mimeType: "text/html;profile=mcp-app",
          text: "<p>hi</p>",
          _meta: { ui: {} },
        },
        { uri: "fixture://x", text: "x" },
      ],
      _meta: { k: 1 },
    };
    expect(exposeReadResult("srv", result)).toEqual({
      contents: [
        {
          uri: "ui://srv/panel/index.html",
          mimeType: "text/html;profile=mcp-app",
          text: "<p>hi</p>",
          _meta: { ui: {} },
        },
        { uri: "fixture://x", text: "x" },
      ],
      _meta: { k: 1 },
    });
    const plain: ReadResourceResult = { contents: [{ uri: "fixture://x", text: "x" }] };
    expect(exposeReadResult("srv", plain)).toBe(plain);
  });
});

describe("the catalogue with UI resources", () => {
  const panel = (server: string) => ({
    server,
    prefix: server,
    filter: {},
    listing: {
      tools: [
        {
          name: "show",
          inputSchema: { type: "object" as const },
          _meta: { ui: { resourceUri: "ui://panel" } },
        },
      ],
      resources: [
        { uri: "ui://panel", name: "panel", mimeType: "text/html;profile=mcp-app" },
        { uri: "file:///same", name: "f" },
      ],
      resourceTemplates: [{ uriTemplate: "ui://item/{id}", name: "item" }],
      prompts: [],
    },
  });

  it("keeps two servers' equal ui:// URIs apart, and routes each back to its server", () => {
    const catalogue = buildCatalogue([panel("a"), panel("b")]);
    expect(catalogue.tools.map((t) => t.tool._meta)).toEqual([
      { ui: { resourceUri: "ui://a/panel" } },
      { ui: { resourceUri: "ui://b/panel" } },
    ]);
    expect(catalogue.resources.map((r) => [r.server, r.resource.uri])).toEqual([
      ["a", "ui://a/panel"],
      ["a", "file:///same"],
      ["b", "ui://b/panel"],
    ]);
    // Other URIs are not rewritten: the same one from two servers is still a collision.
    expect(catalogue.collisions).toEqual([
      { kind: "resource", name: "file:///same", kept: "a", dropped: "b" },
    ]);
    expect(catalogue.templates.map((t) => t.template.uriTemplate)).toEqual([
      "ui://a/item/{id}",
      "ui://b/item/{id}",
    ]);
    expect(catalogue.resourceOwner("ui://a/panel")).toBe("a");
    expect(catalogue.resourceOwner("ui://b/panel")).toBe("b");
    expect(catalogue.resourceOwner("ui://b/item/7")).toBe("b");
    // A UI resource a tool points to need not be listed.
    expect(catalogue.resourceOwner("ui://b/unlisted.html")).toBe("b");
    expect(catalogue.resourceOwner("ui://c/panel")).toBeUndefined();
    expect(catalogue.resourceOwner("ui://panel")).toBeUndefined();
  });
});
