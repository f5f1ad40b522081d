import { describe, expect, it } from "vitest";
import type { ClientChannel, RequestContext } from "../downstream/index.js";
import { ClientRelay, logPasses, passesLevel, rootsSource, upstreamCapabilities } from "./relay.js";

describe("passesLevel", () => {
  it.each([
    ["error", undefined, true],
    ["debug", "info", false],
    ["info", "info", true],
    ["warning", "info", true],
    ["emergency", "critical", true],
    ["notice", "warning", false],
    ["made-up", "error", true],
  ])("%s against threshold %s → %s", (level, threshold, expected) => {
    expect(passesLevel(level, threshold as never)).toBe(expected);
  });
});

describe("logPasses", () => {
  const modern = (level: "debug" | "info" | "error" | undefined) => ({ logLevel: () => level });
  const legacy = {};
  it.each([
    ["a modern request that asked for no logs", "emergency", modern(undefined), undefined, false],
    ["a modern request at info, a debug message", "debug", modern("info"), undefined, false],
    ["a modern request at info, an error message", "error", modern("info"), undefined, true],
    ["a modern request ignores a session level", "info", modern("error"), "debug", false],
    ["a legacy session without setLevel", "debug", legacy, undefined, true],
    ["a legacy session at warning, an info message", "info", legacy, "warning", false],
  ] as const)("%s → %s", (_name, level, channel, session, expected) => {
    expect(logPasses(level, channel, session)).toBe(expected);
  });
});

describe("rootsSource", () => {
  it.each([
    [["file:///srv"], "none", "registry"],
    [["file:///srv"], "one", "registry"],
    [["file:///srv"], "shared", "registry"],
    [[], "shared", "registry"],
    [undefined, "one", "client"],
    [undefined, "shared", "none"],
    [undefined, "none", "none"],
  ] as const)("roots %j with clients %s → %s", (configured, mode, expected) => {
    expect(rootsSource(configured, mode)).toBe(expected);
  });
});

const UI = "io.modelcontextprotocol/ui";
const APP = { mimeTypes: ["text/html;profile=mcp-app"] };
const SHARED_UI = { [UI]: APP };

describe("upstreamCapabilities", () => {
  const full = {
    sampling: {},
    elicitation: { form: {} },
    roots: { listChanged: true },
    experimental: { x: {} },
  };
  it.each([
    ["one", full, undefined, { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } }],
    ["one", full, ["file:///srv"], { sampling: {}, elicitation: { form: {} }, roots: {} }],
    ["one", { sampling: {} }, undefined, { sampling: {} }],
    ["one", undefined, undefined, {}],
    ["shared", full, undefined, { sampling: {}, elicitation: { form: {} }, extensions: SHARED_UI }],
    [
      "shared",
      {},
      ["file:///srv"],
      { sampling: {}, elicitation: { form: {} }, roots: {}, extensions: SHARED_UI },
    ],
    ["one", { extensions: { [UI]: APP } }, undefined, { extensions: { [UI]: APP } }],
    ["one", { experimental: { [UI]: APP } }, undefined, { extensions: { [UI]: APP } }],
    ["one", { extensions: { "x.example/other": {} } }, undefined, {}],
    ["none", { extensions: { [UI]: APP } }, undefined, {}],
    ["none", undefined, undefined, {}],
    ["none", undefined, ["file:///srv"], { roots: {} }],
  ] as const)("clients %s declaring %j, server roots %j → %j", (mode, client, roots, expected) => {
    expect(upstreamCapabilities(mode, client, roots)).toEqual(expected);
  });
});

function channel(id: string, capabilities: Record<string, unknown>, seen: string[]): ClientChannel {
  return {
    id,
    capabilities: () => capabilities,
    info: () => undefined,
    request: async (method) => {
      seen.push(`${id}:${method}`);
      return { from: id };
    },
    notify: async (method, params) => {
      seen.push(`${id}:${method}:${JSON.stringify(params)}`);
    },
  };
}

function context(client: ClientChannel): RequestContext {
  return { signal: new AbortController().signal, onprogress: undefined, client };
}

describe("ClientRelay", () => {
  it("sends sampling to the client whose call runs there, and refuses it with no call running", async () => {
    const seen: string[] = [];
    const relay = new ClientRelay();
    const a = channel("a", { sampling: {} }, seen);
    const b = channel("b", { sampling: {} }, seen);
    relay.connected(a);
    relay.connected(b);
    const signal = new AbortController().signal;
    await relay.during("fx", context(a), () => relay.request("fx", "sampling/createMessage", {}, signal));
    await expect(relay.request("fx", "sampling/createMessage", {}, signal)).rejects.toThrow(
      /no call of a client was running/,
    );
    expect(seen).toEqual(["a:sampling/createMessage"]);
  });

  it("answers roots/list from the registry, a lone stdio client, or with nothing behind a shared front", async () => {
    const signal = new AbortController().signal;
    const configured: Record<string, readonly string[]> = { own: ["file:///srv/own"] };
    for (const mode of ["one", "shared"] as const) {
      const seen: string[] = [];
      const relay = new ClientRelay((server) => configured[server]);
      const a = channel("a", { roots: {} }, seen);
      relay.declare(mode, a.capabilities());
      relay.connected(a);
      expect(await relay.request("own", "roots/list", {}, signal)).toEqual({
        roots: [{ uri: "file:///srv/own" }],
      });
      // Even within the client's own call: an upstream keeps roots as its own state.
      const other = await relay.during("fx", context(a), () => relay.request("fx", "roots/list", {}, signal));
      expect(other).toEqual(mode === "one" ? { from: "a" } : { roots: [] });
      expect(seen).toEqual(mode === "one" ? ["a:roots/list"] : []);
    }
  });

  it("forwards a lone client's roots/list_changed to upstreams without roots of their own", () => {
    const changed: string[] = [];
    const relay = new ClientRelay((server) => (server === "own" ? ["file:///srv"] : undefined));
    const a = channel("a", { roots: { listChanged: true } }, []);
    relay.declare("one", a.capabilities());
    relay.connected(a);
    relay.onRootsChanged("own", () => changed.push("own"));
    const off = relay.onRootsChanged("fx", () => changed.push("fx"));
    relay.rootsChanged(a);
    off();
    relay.rootsChanged(a);
    expect(changed).toEqual(["fx"]);
    const shared = new ClientRelay();
    shared.declare("shared", {});
    shared.connected(a);
    shared.onRootsChanged("fx", () => changed.push("shared"));
    shared.rootsChanged(a);
    expect(changed).toEqual(["fx"]);
  });

  it("refuses, with method-not-found, a request the client did not declare", async () => {
    const relay = new ClientRelay();
    const a = channel("a", {}, []);
    relay.connected(a);
    await expect(
      relay.during("fx", context(a), () =>
        relay.request("fx", "elicitation/create", {}, new AbortController().signal),
      ),
    ).rejects.toMatchObject({
      details: { rpcCode: -32601 },
    });
  });

  it("counts subscriptions per URI and drops a closed client's", () => {
    const relay = new ClientRelay();
    const a = channel("a", {}, []);
    const b = channel("b", {}, []);
    expect(relay.subscribe(a, "u")).toBe(true);
    expect(relay.subscribe(b, "u")).toBe(false);
    expect(relay.unsubscribe(a, "u")).toBe(false);
    expect(relay.closed(b)).toEqual(["u"]);
    expect(relay.unsubscribe(b, "u")).toBe(false);
  });

  it("sends log messages with the running call, else to every client at its level", () => {
    const seen: string[] = [];
    const relay = new ClientRelay();
    const a = channel("a", {}, seen);
    const b = channel("b", {}, seen);
    relay.connected(a);
    relay.connected(b);
    relay.setLevel(b, "error");
    relay.notify("fx", "notifications/message", { level: "info", data: "x" });
    expect(seen).toEqual(['a:notifications/message:{"level":"info","data":"x","logger":"fx"}']);
  });
});
