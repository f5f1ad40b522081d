import type { ClientCapabilities } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { type InputRequired, isInputRequired, planInputs, retryParams } from "./input-required.js";

const ELICIT = {
  method: "elicitation/create",
  params: { message: "Name?", requestedSchema: { type: "object" } },
};
const SAMPLE = { method: "sampling/createMessage", params: { messages: [], maxTokens: 5 } };
const ROOTS = { method: "roots/list" };
const ALL: ClientCapabilities = { elicitation: { form: {} }, sampling: {}, roots: {} };

function needing(inputRequests: Record<string, unknown>, requestState?: string): InputRequired {
  return {
    resultType: "input_required",
    inputRequests,
    ...(requestState === undefined ? {} : { requestState }),
  };
}

describe("isInputRequired", () => {
  it.each([
    [{ resultType: "input_required" }, true],
    [{ resultType: "complete", content: [] }, false],
    [{ content: [] }, false],
    [null, false],
    ["input_required", false],
  ])("%j → %s", (value, expected) => {
    expect(isInputRequired(value)).toBe(expected);
  });
});

describe("planInputs: input_required → relayed requests", () => {
  it.each([
    ["elicitation", { a: ELICIT }, ALL, [["a", "elicitation/create"]]],
    ["sampling", { s: SAMPLE }, ALL, [["s", "sampling/createMessage"]]],
    ["roots", { r: ROOTS }, ALL, [["r", "roots/list"]]],
    [
      "several at once, in order",
      { one: ELICIT, two: SAMPLE, three: ROOTS },
      ALL,
      [
        ["one", "elicitation/create"],
        ["two", "sampling/createMessage"],
        ["three", "roots/list"],
      ],
    ],
  ] as const)("%s", (_, requests, declared, expected) => {
    const plan = planInputs(needing(requests), declared);
    expect(plan.ok && plan.inputs.map((i) => [i.key, i.method])).toEqual(expected);
  });

  it("passes the params on untouched, and none when there are none", () => {
    const plan = planInputs(needing({ a: ELICIT, r: ROOTS }), ALL);
    expect(plan.ok && plan.inputs.map((i) => i.params)).toEqual([ELICIT.params, undefined]);
  });

  it("accepts a requestState-only answer (retry at once, nothing to ask)", () => {
    expect(planInputs({ resultType: "input_required", requestState: "s" }, ALL)).toEqual({
      ok: true,
      inputs: [],
    });
  });

  it.each([
    ["an undeclared capability", { a: ELICIT }, { sampling: {} }, /did not declare elicitation/],
    ["roots not declared", { r: ROOTS }, { elicitation: {} }, /did not declare roots/],
    ["a method no server may ask", { x: { method: "tools/call" } }, ALL, /not one a server may ask/],
    ["an entry without a method", { x: { params: {} } }, ALL, /has no method/],
    ["an entry that is not an object", { x: "elicit" }, ALL, /has no method/],
    ["nothing at all", {}, ALL, /neither inputRequests nor requestState/],
  ] as const)("refuses %s", (_, requests, declared, reason) => {
    const plan = planInputs(needing(requests), declared);
    expect(plan.ok ? "accepted" : plan.reason).toMatch(reason);
  });
});

describe("retryParams", () => {
  const original = { name: "book", arguments: { day: 1 } };
  it.each([
    [
      "answers and state",
      { a: { action: "accept" } },
      "opaque==",
      { ...original, inputResponses: { a: { action: "accept" } }, requestState: "opaque==" },
    ],
    ["state only", {}, "s", { ...original, requestState: "s" }],
    [
      "answers without state: no requestState",
      { a: { roots: [] } },
      undefined,
      { ...original, inputResponses: { a: { roots: [] } } },
    ],
    ["nothing", {}, undefined, original],
  ] as const)("%s", (_, responses, state, expected) => {
    expect(retryParams(original, responses, state)).toEqual(expected);
  });

  it("never carries answers or state of an earlier round into the next", () => {
    const earlier = { ...original, inputResponses: { old: {} }, requestState: "old" };
    expect(retryParams(earlier, { now: {} }, undefined)).toEqual({
      ...original,
      inputResponses: { now: {} },
    });
  });

  it("echoes the state byte for byte", () => {
    const state = " spaced\nand ünïcode ";
    expect(retryParams(original, {}, state).requestState).toBe(state);
  });
});
