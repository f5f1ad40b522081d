import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./limits.js";
import { stopMessage } from "./stop-message.js";
import type { LimitName } from "./types.js";

describe("stopMessage", () => {
  const limits = { ...DEFAULT_LIMITS, timeoutMs: 300, memoryMb: 16, stackKb: 128 };
  const cases: { reason: LimitName; running: string[]; message: string }[] = [
    { reason: "timeout", running: [], message: "the script did not finish within its time limit of 300 ms" },
    {
      reason: "timeout",
      running: ["a.x", "a.x", "b.y"],
      message:
        "the script did not finish within its time limit of 300 ms; cancelled the tool calls still running: a.x, a.x, b.y",
    },
    { reason: "cancelled", running: [], message: "the run was cancelled" },
    {
      reason: "cancelled",
      running: ["srv.hang"],
      message: "the run was cancelled; cancelled the tool calls still running: srv.hang",
    },
    {
      reason: "memory",
      running: ["a.x"],
      message: "out of memory: the script used more than its 16 MB (memoryMb)",
    },
    {
      reason: "stack",
      running: [],
      message: "stack overflow: the script recursed deeper than its 128 KB stack allows (stackKb)",
    },
    { reason: "maxToolCalls", running: [], message: "the run was stopped: maxToolCalls" },
  ];

  it.each(cases)("$reason with $running.length calls running", ({ reason, running, message }) => {
    expect(stopMessage(reason, limits, running)).toBe(message);
  });
});
