import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  newStateKey,
  paramsDigest,
  principalDigest,
  type StateCheck,
  type StateClaims,
  signState,
  stateRejectionMessage,
  verifyState,
} from "./request-state.js";

const key = newStateKey();
const now = 1_000_000;
const params = paramsDigest({ name: "ask", arguments: { a: 1 } });
const principal = principalDigest("stdio-1|claude");
const claims: StateClaims = {
  continuation: "c1",
  round: 1,
  method: "tools/call",
  params,
  principal,
  expiresAt: now + 60_000,
};
const expected = { method: "tools/call", params, principal };
const good = signState(claims, key);

/** Replaces one character of the signature: the same length, another MAC. */
function flipLast(state: string): string {
  const last = state.at(-1) === "A" ? "B" : "A";
  return `${state.slice(0, -1)}${last}`;
}

/** The same signature bytes under another base64url spelling (the last character's unused bits). */
function respell(state: string): string {
  const last = state.at(-1) as string;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const value = alphabet.indexOf(last);
  return `${state.slice(0, -1)}${alphabet[value ^ 1]}`;
}

function reason(check: StateCheck): string {
  return check.ok ? "ok" : check.reason;
}

describe("verifyState", () => {
  const cases: ReadonlyArray<{
    name: string;
    state: string;
    at?: number;
    expect?: Partial<typeof expected>;
    want: string;
  }> = [
    { name: "the state as issued", state: good, want: "ok" },
    { name: "just before its deadline", state: good, at: now + 60_000, want: "ok" },
    { name: "after its deadline", state: good, at: now + 60_001, want: "expired" },
    { name: "a changed signature", state: flipLast(good), want: "forged" },
    // The MAC's 43rd character has two unused bits: "A" and "B" there decode to the same bytes.
    { name: "the same MAC spelt another way", state: respell(good), want: "forged" },
    { name: "a state with -TAMPERED appended", state: `${good}-TAMPERED`, want: "forged" },
    {
      name: "changed claims under the old signature",
      state: `${Buffer.from(JSON.stringify({ ...claims, round: 9 })).toString("base64url")}.${good.split(".")[1]}`,
      want: "forged",
    },
    { name: "signed by another process's key", state: signState(claims, newStateKey()), want: "forged" },
    { name: "not a state at all", state: "hello", want: "malformed" },
    { name: "an empty string", state: "", want: "malformed" },
    { name: "three parts", state: `${good}.x`, want: "malformed" },
    {
      name: "signed claims of the wrong shape",
      state: signState({ ...claims, round: "1" } as unknown as StateClaims, key),
      want: "malformed",
    },
    { name: "another method", state: good, expect: { method: "prompts/get" }, want: "other-request" },
    {
      name: "other arguments",
      state: good,
      expect: { params: paramsDigest({ name: "ask", arguments: { a: 2 } }) },
      want: "other-request",
    },
    {
      name: "another client",
      state: good,
      expect: { principal: principalDigest("http|other") },
      want: "other-client",
    },
  ];
  it.each(cases)("$name → $want", ({ state, at, expect: override, want }) => {
    expect(reason(verifyState(state, key, { ...expected, ...override }, at ?? now))).toBe(want);
  });

  it("hands back the claims it signed", () => {
    const check = verifyState(good, key, expected, now);
    expect(check).toEqual({ ok: true, claims });
  });
});

describe("paramsDigest", () => {
  const cases: ReadonlyArray<{
    name: string;
    a: Record<string, unknown>;
    b: Record<string, unknown>;
    same: boolean;
  }> = [
    {
      name: "key order",
      a: { name: "t", arguments: { x: 1, y: 2 } },
      b: { arguments: { y: 2, x: 1 }, name: "t" },
      same: true,
    },
    {
      name: "_meta, inputResponses and requestState",
      a: { name: "t" },
      b: { name: "t", _meta: { progressToken: 1 }, inputResponses: { k: {} }, requestState: "s" },
      same: true,
    },
    { name: "another tool", a: { name: "t" }, b: { name: "u" }, same: false },
    {
      name: "another argument value",
      a: { name: "t", arguments: { x: 1 } },
      b: { name: "t", arguments: { x: "1" } },
      same: false,
    },
    {
      name: "array order",
      a: { name: "t", arguments: { x: [1, 2] } },
      b: { name: "t", arguments: { x: [2, 1] } },
      same: false,
    },
  ];
  it.each(cases)("$name: same digest = $same", ({ a, b, same }) => {
    expect(paramsDigest(a) === paramsDigest(b)).toBe(same);
  });
});

describe("canonicalJson", () => {
  it.each([
    [{ b: 1, a: [{ d: 1, c: 2 }] }, '{"a":[{"c":2,"d":1}],"b":1}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    ["x", '"x"'],
    [undefined, "null"],
  ])("%j → %s", (value, want) => {
    expect(canonicalJson(value)).toBe(want);
  });
});

describe("stateRejectionMessage", () => {
  it.each([
    "malformed",
    "forged",
    "expired",
    "other-request",
    "other-client",
    "replayed",
    "unknown",
  ] as const)("%s says what to do", (why) => {
    expect(stateRejectionMessage(why)).toMatch(/requestState.*call again without requestState/);
  });
});
