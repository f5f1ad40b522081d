import { describe, expect, it } from "vitest";
import {
  type ChainMember,
  formatChain,
  MAX_CHAIN_DEPTH,
  parseChain,
  requestLoop,
  startLoop,
} from "./chain.js";

const SELF: ChainMember = { id: "aaaa", tag: "r1" };

describe("parseChain", () => {
  it.each<[string | undefined, ChainMember[]]>([
    [undefined, []],
    ["", []],
    ["aaaa:r1", [{ id: "aaaa", tag: "r1" }]],
    [
      " aaaa:r1 , bbbb:r2 ",
      [
        { id: "aaaa", tag: "r1" },
        { id: "bbbb", tag: "r2" },
      ],
    ],
    ["aaaa:r1,aaaa:r1", [{ id: "aaaa", tag: "r1" }]],
    // Malformed entries are skipped, the rest is kept.
    ["aaaa,bbbb:r2,:x,y:,a:b:c,a b:c", [{ id: "bbbb", tag: "r2" }]],
  ])("%j", (value, members) => {
    expect(parseChain(value)).toEqual(members);
  });

  it("reads at most 32 entries", () => {
    const many = Array.from({ length: 40 }, (_, i) => `id${i}:t${i}`).join(",");
    expect(parseChain(many)).toHaveLength(32);
  });

  it("round-trips through formatChain", () => {
    const chain = [SELF, { id: "bbbb", tag: "r2" }];
    expect(parseChain(formatChain(chain))).toEqual(chain);
  });
});

describe("requestLoop", () => {
  it.each<[string, ChainMember[], string | undefined]>([
    ["no chain", [], undefined],
    [
      "other gateways",
      [
        { id: "bbbb", tag: "r2" },
        { id: "cccc", tag: "r3" },
      ],
      undefined,
    ],
    [
      "this gateway",
      [{ id: "bbbb", tag: "r2" }, SELF],
      "this request has already passed through this voidmcp",
    ],
    [
      "a gateway of the same registry",
      [{ id: "bbbb", tag: "r1" }],
      "this request comes from a voidmcp that serves the same registry file",
    ],
  ])("%s", (_, chain, reason) => {
    expect(requestLoop(chain, SELF)).toBe(reason);
  });
});

describe("startLoop", () => {
  const others = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id${i}`, tag: `t${i}` }));
  it.each<[string, ChainMember[], RegExp | undefined]>([
    ["started by a client", [], undefined],
    ["started by another registry's gateway", others(1), undefined],
    ["nested as deep as allowed", others(MAX_CHAIN_DEPTH - 1), undefined],
    ["nested too deep", others(MAX_CHAIN_DEPTH), /inside 4 other voidmcp gateways/],
    ["started by a gateway of the same registry", [{ id: "x", tag: "r1" }], /same registry/],
  ])("%s", (_, inherited, reason) => {
    const found = startLoop(inherited, "r1");
    if (reason === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(reason);
  });
});
