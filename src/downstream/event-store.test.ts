import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { SessionEventStore } from "./event-store.js";

const message = (id: number, text = ""): JSONRPCMessage => ({ jsonrpc: "2.0", id, result: { text } });

async function replay(store: SessionEventStore, after: string): Promise<{ stream: string; ids: unknown[] }> {
  const ids: unknown[] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (_, m) => {
      ids.push("id" in m ? m.id : undefined);
    },
  });
  return { stream, ids };
}

describe("SessionEventStore", () => {
  it("replays what came after an event, on that event's stream only", async () => {
    const store = new SessionEventStore();
    const first = await store.storeEvent("s1", message(1));
    await store.storeEvent("s2", message(2));
    await store.storeEvent("s1", message(3));
    expect(await store.getStreamIdForEventId(first)).toBe("s1");
    expect(await replay(store, first)).toEqual({ stream: "s1", ids: [3] });
  });

  it("keeps at most 200 events and about 1 MiB, but always the newest", async () => {
    const store = new SessionEventStore();
    const first = await store.storeEvent("s", message(0));
    for (let i = 1; i <= 250; i++) await store.storeEvent("s", message(i));
    expect(store.size.events).toBe(200);
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    const big = "x".repeat(400 * 1024);
    for (let i = 0; i < 5; i++) await store.storeEvent("s", message(i, big));
    expect(store.size.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(store.size.events).toBe(2);
    const huge = await store.storeEvent("s", message(9, "y".repeat(2 * 1024 * 1024)));
    expect(store.size.events).toBe(1);
    expect(await store.getStreamIdForEventId(huge)).toBe("s");
  });

  it("forgets everything on clear()", async () => {
    const store = new SessionEventStore();
    const id = await store.storeEvent("s", message(1));
    store.clear();
    expect(store.size).toEqual({ events: 0, bytes: 0 });
    expect(await replay(store, id)).toEqual({ stream: "", ids: [] });
  });
});
