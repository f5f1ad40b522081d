import { describe, expect, it } from "vitest";
import type { ClientChannel, RequestContext } from "./backend.js";
import { Continuations, isInputResponse, type Round, type RoundOutcome } from "./input-required.js";
import { paramsDigest, principalDigest } from "./request-state.js";

const expectation = {
  method: "tools/call",
  params: paramsDigest({ name: "ask", arguments: {} }),
  principal: principalDigest("test|client"),
};

function round(overrides: Partial<Round> = {}): Round & { controller: AbortController; sent: string[] } {
  const controller = new AbortController();
  const sent: string[] = [];
  return {
    signal: controller.signal,
    capabilities: { elicitation: { form: {} }, sampling: {} },
    clientInfo: undefined,
    logLevel: undefined,
    notify: async (method) => {
      sent.push(method);
    },
    progress: undefined,
    ...overrides,
    controller,
    sent,
  };
}

const hooks = { opened: (_: ClientChannel) => {}, closed: (_: ClientChannel) => {} };
const form = { mode: "form", message: "name?", requestedSchema: { type: "object", properties: {} } };
const accepted = { action: "accept", content: { name: "Ada" } };

function input(outcome: RoundOutcome) {
  if (outcome.kind !== "input") throw new Error(`expected input_required, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe("isInputResponse", () => {
  it.each([
    ["elicitation/create", { action: "accept", content: {} }, true],
    ["elicitation/create", { action: "decline" }, true],
    ["elicitation/create", { action: "maybe" }, false],
    ["elicitation/create", "accept", false],
    ["elicitation/create", null, false],
    ["sampling/createMessage", { role: "assistant", content: { type: "text", text: "x" } }, true],
    ["sampling/createMessage", { role: "assistant" }, false],
    ["roots/list", { roots: [] }, true],
    ["roots/list", { roots: "file:///" }, false],
    ["ping", {}, false],
  ])("%s answered by %j → %s", (method, value, expected) => {
    expect(isInputResponse(method, value)).toBe(expected);
  });
});

describe("Continuations", () => {
  it("returns the result of a call that needs nothing from the client", async () => {
    const continuations = new Continuations();
    const outcome = await continuations.start(expectation, round(), async () => ({ content: [] }), hooks);
    expect(outcome).toEqual({ kind: "done", value: { content: [] } });
    expect(continuations.size).toBe(0);
  });

  it("turns a question into input_required, and the retry's answer into the call's result", async () => {
    const continuations = new Continuations();
    const opened: string[] = [];
    const closed: string[] = [];
    const call = async (context: RequestContext) => {
      const answer = await context.client.request("elicitation/create", form);
      return { content: [{ type: "text", text: JSON.stringify(answer) }] };
    };
    const first = input(
      await continuations.start(expectation, round(), call, {
        opened: (c) => opened.push(c.id),
        closed: (c) => closed.push(c.id),
      }),
    );
    expect(Object.values(first.inputRequests)).toEqual([{ method: "elicitation/create", params: form }]);
    const [key] = Object.keys(first.inputRequests);
    const second = await continuations.resume(
      first.requestState,
      { [key as string]: accepted },
      expectation,
      round(),
    );
    expect(second).toEqual({
      kind: "done",
      value: { content: [{ type: "text", text: JSON.stringify(accepted) }] },
    });
    expect(opened).toHaveLength(1);
    expect(closed).toEqual(opened);
    // The same state again: the call it continued is gone.
    await expect(
      continuations.resume(first.requestState, { [key as string]: accepted }, expectation, round()),
    ).rejects.toThrow(/no longer waiting/);
  });

  it("asks again for what the retry did not (validly) answer, with a new state; the old one is spent", async () => {
    const continuations = new Continuations();
    const call = async (context: RequestContext) => context.client.request("elicitation/create", form);
    const first = input(await continuations.start(expectation, round(), call, hooks));
    const key = Object.keys(first.inputRequests)[0] as string;
    const again = input(
      await continuations.resume(
        first.requestState,
        { [key]: { action: "nonsense" }, other: accepted },
        expectation,
        round(),
      ),
    );
    expect(Object.keys(again.inputRequests)).toEqual([key]);
    expect(again.requestState).not.toBe(first.requestState);
    await expect(
      continuations.resume(first.requestState, { [key]: accepted }, expectation, round()),
    ).rejects.toThrow(/already used/);
    expect(await continuations.resume(again.requestState, { [key]: accepted }, expectation, round())).toEqual(
      {
        kind: "done",
        value: accepted,
      },
    );
  });

  it("refuses an altered state, or one presented for another request or client", async () => {
    const continuations = new Continuations();
    const call = async (context: RequestContext) => context.client.request("elicitation/create", form);
    const first = input(await continuations.start(expectation, round(), call, hooks));
    const cases: Array<[string, typeof expectation, RegExp]> = [
      [`${first.requestState}-TAMPERED`, expectation, /signature/],
      [first.requestState, { ...expectation, params: paramsDigest({ name: "other" }) }, /another request/],
      [
        first.requestState,
        { ...expectation, principal: principalDigest("test|someone else") },
        /another client/,
      ],
    ];
    for (const [state, expected, message] of cases) {
      await expect(continuations.resume(state, {}, expected, round())).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(message),
      });
    }
    // None of those spent it.
    const key = Object.keys(first.inputRequests)[0] as string;
    expect(await continuations.resume(first.requestState, { [key]: accepted }, expectation, round())).toEqual(
      {
        kind: "done",
        value: accepted,
      },
    );
  });

  it("sends questions asked together in one result", async () => {
    const continuations = new Continuations();
    const call = async (context: RequestContext) =>
      Promise.all([
        context.client.request("elicitation/create", form),
        context.client.request("sampling/createMessage", { messages: [], maxTokens: 5 }),
      ]);
    const first = input(await continuations.start(expectation, round(), call, hooks));
    const methods = Object.values(first.inputRequests).map((r) => r.method);
    expect(methods.sort()).toEqual(["elicitation/create", "sampling/createMessage"]);
    const sampled = { role: "assistant", content: { type: "text", text: "hi" }, model: "m" };
    const answers = Object.fromEntries(
      Object.entries(first.inputRequests).map(([key, r]) => [
        key,
        r.method === "elicitation/create" ? accepted : sampled,
      ]),
    );
    expect(await continuations.resume(first.requestState, answers, expectation, round())).toEqual({
      kind: "done",
      value: [accepted, sampled],
    });
  });

  it("cancels the call when the client abandons the request", async () => {
    const continuations = new Continuations();
    let callSignal: AbortSignal | undefined;
    const r = round();
    const outcome = continuations.start(
      expectation,
      r,
      (context) => {
        callSignal = context.signal;
        return new Promise(() => {});
      },
      hooks,
    );
    r.controller.abort();
    await expect(outcome).rejects.toThrow(/cancelled/);
    expect(callSignal?.aborted).toBe(true);
    expect(continuations.size).toBe(0);
  });

  it("cancels a call whose client does not come back before the state expires", async () => {
    const continuations = new Continuations({ ttlMs: 50 });
    let callSignal: AbortSignal | undefined;
    const first = input(
      await continuations.start(
        expectation,
        round(),
        (context) => {
          callSignal = context.signal;
          return context.client.request("elicitation/create", form);
        },
        hooks,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(callSignal?.aborted).toBe(true);
    await expect(continuations.resume(first.requestState, {}, expectation, round())).rejects.toThrow(
      /expired/,
    );
  });

  it("carries log messages and progress only on an attached request that asked for them", async () => {
    const continuations = new Continuations();
    const progressed: number[] = [];
    const quiet = round();
    const loud = round({ logLevel: "info", progress: (p) => progressed.push(p.progress) });
    let channel: ClientChannel | undefined;
    const outcome = await continuations.start(
      expectation,
      loud,
      async (context) => {
        channel = context.client;
        context.onprogress?.({ progress: 1 });
        await context.client.notify("notifications/message", { level: "info", data: "x" });
        return { levels: [context.client.logLevel?.()] };
      },
      hooks,
    );
    expect(outcome).toEqual({ kind: "done", value: { levels: ["info"] } });
    expect(loud.sent).toEqual(["notifications/message"]);
    expect(progressed).toEqual([1]);
    expect(quiet.sent).toEqual([]);
    // After the call, nothing is attached: no level, nothing sent.
    expect(channel?.logLevel?.()).toBeUndefined();
  });
});
