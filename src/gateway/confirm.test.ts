import { describe, expect, it } from "vitest";
import type { RequestContext } from "../downstream/index.js";
import { canElicit, confirmMessage, RunScope } from "./confirm.js";

function contextDeclaring(capabilities: Record<string, unknown> | undefined): RequestContext {
  return {
    signal: new AbortController().signal,
    onprogress: undefined,
    client: {
      id: "c",
      capabilities: () => capabilities,
      info: () => undefined,
      request: () => Promise.reject(new Error("unused")),
      notify: () => Promise.resolve(),
    },
  };
}

describe("canElicit", () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ elicitation: {} }, true],
    [{ elicitation: { form: {} } }, true],
    [{ elicitation: { url: {} } }, false],
    [{ elicitation: { form: {}, url: {} } }, true],
  ])("%o → %s", (capabilities, expected) => {
    expect(canElicit(contextDeclaring(capabilities))).toBe(expected);
  });
});

describe("confirmMessage", () => {
  const base = {
    server: "gh",
    tool: "delete_issue",
    because: "destructiveHint",
    timeoutMs: 1,
    registryPath: "/r",
  };
  it("names the tool, the reason, the position in a run and the arguments", () => {
    expect(confirmMessage({ ...base, args: { n: 3 }, position: 4 })).toBe(
      'Allow gh.delete_issue? voidmcp\'s policy asks before this tool runs (destructiveHint). It is call 4 of an execute_code script.\nArguments: {"n":3}',
    );
    expect(confirmMessage({ ...base, args: {}, position: undefined })).not.toContain("execute_code");
  });
  it("cuts long arguments and says how long they were", () => {
    const message = confirmMessage({ ...base, args: { text: "y".repeat(5000) }, position: undefined });
    expect(message).toMatch(/… \(5011 characters\)$/);
    expect(message.length).toBeLessThan(1_200);
  });
});

describe("RunScope", () => {
  it("counts positions and asks one question at a time, even after a failed one", async () => {
    const run = new RunScope();
    expect([run.nextPosition(), run.nextPosition()]).toEqual([1, 2]);
    const order: string[] = [];
    let release: () => void = () => {};
    const first = run.oneAtATime(
      () =>
        new Promise<string>((_, reject) => {
          release = () => reject(new Error("declined"));
          order.push("first asked");
        }),
    );
    const second = run.oneAtATime(async () => {
      order.push("second asked");
      return "ok";
    });
    await Promise.resolve();
    expect(order).toEqual(["first asked"]);
    release();
    await expect(first).rejects.toThrow("declined");
    await expect(second).resolves.toBe("ok");
    expect(order).toEqual(["first asked", "second asked"]);
  });
});
