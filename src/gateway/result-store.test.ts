import { describe, expect, it } from "vitest";
import { ResultStore } from "./result-store.js";

function storeAt(totalBytes = 1000) {
  const clock = { now: 0 };
  return { clock, store: new ResultStore(totalBytes, () => clock.now) };
}

describe("ResultStore", () => {
  it("gives back what it kept, to the same owner only", () => {
    const { store } = storeAt();
    const kept = store.keep("a", '{"x":1}', 1000);
    expect(kept).toMatchObject({ bytes: 7, preview: '{"x":1}' });
    expect(kept.uri).toBe(`voidmcp://results/${kept.handle}`);
    expect(store.get("a", kept.handle)).toBe('{"x":1}');
    expect(() => store.get("b", kept.handle)).toThrow(/no result/);
  });

  it("forgets a handle once its time is up", () => {
    const { clock, store } = storeAt();
    const kept = store.keep("a", "1", 1000);
    clock.now = 999;
    expect(store.get("a", kept.handle)).toBe("1");
    clock.now = 1000;
    expect(() => store.get("a", kept.handle)).toThrow(/no result/);
  });

  it("drops the oldest first to stay within its total", () => {
    const { store } = storeAt(10);
    const first = store.keep("a", "aaaa", 1000);
    const second = store.keep("a", "bbbb", 1000);
    const third = store.keep("a", "cccc", 1000);
    expect(() => store.get("a", first.handle)).toThrow(/no result/);
    expect(store.get("a", second.handle)).toBe("bbbb");
    expect(store.get("a", third.handle)).toBe("cccc");
  });

  it("keeps nothing larger than its total, and previews are cut", () => {
    const { store } = storeAt(10);
    const big = store.keep("a", "x".repeat(600), 1000);
    expect(big.preview).toHaveLength(501);
    expect(() => store.get("a", big.handle)).toThrow(/no result/);
  });
});
