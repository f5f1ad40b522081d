import { describe, expect, it } from "vitest";
import { LoopGuard, registryTag } from "./loop-guard.js";

describe("LoopGuard", () => {
  it("has a new id per gateway and the same tag per registry", () => {
    const a = new LoopGuard("/x/servers.json", {});
    const b = new LoopGuard("/x/servers.json", {});
    expect(a.self.id).not.toBe(b.self.id);
    expect(a.self.tag).toBe(b.self.tag);
    expect(a.self.tag).toBe(registryTag("/x/servers.json"));
    expect(a.self.tag).not.toBe(registryTag("/y/servers.json"));
    expect(a.chain()).toBe(`${a.self.id}:${a.self.tag}`);
  });

  it("refuses a request that already passed through it, and one from its own registry", () => {
    const a = new LoopGuard("/x/servers.json", {});
    expect(a.checkRequest(a.chain())).toMatch(/^Loop Detected: this request has already passed/);
    expect(a.checkRequest(new LoopGuard("/x/servers.json", {}).chain())).toMatch(/same registry file/);
    expect(a.checkRequest(undefined)).toBeUndefined();
  });

  it("passes on the gateways that called it, so that calling them back is refused by them", () => {
    const a = new LoopGuard("/a/servers.json", {});
    const b = new LoopGuard("/b/servers.json", {});
    expect(b.checkRequest(a.chain())).toBeUndefined();
    expect(b.chain()).toBe(`${a.chain()},${b.self.id}:${b.self.tag}`);
    expect(a.checkRequest(b.chain())).toMatch(/already passed through this voidmcp/);
  });

  it("sends the chain it was started in, and refuses to start inside its own registry's gateway", () => {
    const parent = new LoopGuard("/a/servers.json", {});
    const child = new LoopGuard("/b/servers.json", { VOIDMCP_CHAIN: parent.chain() });
    expect(child.startRefusal()).toBeUndefined();
    expect(child.chain()).toBe(`${parent.chain()},${child.self.id}:${child.self.tag}`);
    const same = new LoopGuard("/a/servers.json", { VOIDMCP_CHAIN: parent.chain() });
    expect(same.startRefusal()).toMatch(
      /^not starting any server: this voidmcp is in a loop: .*same registry/,
    );
  });
});
