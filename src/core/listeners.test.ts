import { describe, expect, it } from "vitest";
import { Listeners } from "./listeners.js";

describe("Listeners", () => {
  it("calls every listener with the arguments, until removed", () => {
    const seen: string[] = [];
    const listeners = new Listeners<[string]>();
    const removeA = listeners.add((x) => seen.push(`a:${x}`));
    listeners.add((x) => seen.push(`b:${x}`));
    listeners.emit("1");
    removeA();
    listeners.emit("2");
    listeners.clear();
    listeners.emit("3");
    expect(seen).toEqual(["a:1", "b:1", "b:2"]);
  });

  it("reports a throwing listener to onError and still calls the others", () => {
    const errors: string[] = [];
    const listeners = new Listeners((error) => errors.push((error as Error).message));
    let called = false;
    listeners.add(() => {
      throw new Error("boom");
    });
    listeners.add(() => {
      called = true;
    });
    listeners.emit();
    expect(errors).toEqual(["boom"]);
    expect(called).toBe(true);
  });

  it("rethrows without onError", () => {
    const listeners = new Listeners();
    listeners.add(() => {
      throw new Error("loud");
    });
    expect(() => listeners.emit()).toThrow("loud");
  });
});
