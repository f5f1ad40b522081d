import { describe, expect, it } from "vitest";
import type { ClientChannel, RequestContext } from "../downstream/index.js";
import { ClientRelay, passesLevel, relayableCapabilities } from "./relay.js";

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

describe("relayableCapabilities", () => {
  it("keeps only what an upstream can use through the gateway", () => {
    expect(
      relayableCapabilities({ sampling: {}, roots: { listChanged: true }, experimental: { x: {} } }),
    ).toEqual({
      sampling: {},
      roots: { listChanged: true },
    });
    expect(relayableCapabilities(undefined)).toEqual({});
  });
});

function channel(id: string, capabilities: Record<string, unknown>, seen: string[]): ClientChannel {
  return {
    id,
    capabilities: () => capabilities,
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
  it("sends an upstream's request to the client whose call runs there, else the latest client", async () => {
    const seen: string[] = [];
    const relay = new ClientRelay();
    const a = channel("a", { sampling: {} }, seen);
    const b = channel("b", { sampling: {} }, seen);
    relay.connected(a);
    relay.connected(b);
    const signal = new AbortController().signal;
    await relay.during("fx", context(a), () => relay.request("fx", "sampling/createMessage", {}, signal));
    await relay.request("fx", "sampling/createMessage", {}, signal);
    expect(seen).toEqual(["a:sampling/createMessage", "b:sampling/createMessage"]);
  });

  it("refuses, with method-not-found, a request the client did not declare", async () => {
    const relay = new ClientRelay();
    relay.connected(channel("a", {}, []));
    await expect(
      relay.request("fx", "elicitation/create", {}, new AbortController().signal),
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
