import { describe, expect, it } from "vitest";
import { eventsExpired, type SessionUse, sessionsToEvict } from "./session-limit.js";

const s = (id: string, lastSeen: number, active = 0): SessionUse => ({ id, active, lastSeen });

describe("sessionsToEvict", () => {
  it.each([
    ["under the limit", [s("a", 1), s("b", 2)], 3, 0, []],
    ["at the limit, no room asked", [s("a", 1), s("b", 2)], 2, 0, []],
    ["room for one more: the idle-longest goes", [s("a", 5), s("b", 2), s("c", 9)], 3, 1, ["b"]],
    ["over the limit (lowered): the oldest several go", [s("a", 5), s("b", 2), s("c", 9)], 1, 0, ["b", "a"]],
    ["a busy session goes after every idle one", [s("a", 1, 1), s("b", 2), s("c", 3)], 3, 2, ["b", "c"]],
    ["all busy: the least recently seen", [s("a", 4, 1), s("b", 2, 2)], 2, 1, ["b"]],
    ["limit 0 keeps nothing", [s("a", 1)], 0, 0, ["a"]],
  ] as const)("%s", (_, sessions, max, room, expected) => {
    expect(sessionsToEvict(sessions, max, room)).toEqual(expected);
  });
});

describe("eventsExpired", () => {
  it.each([
    [s("a", 0), 100, 50, true],
    [s("a", 0), 50, 50, false],
    [s("a", 0, 1), 1_000, 50, false],
  ] as const)("%j at %d, keep %d → %s", (session, now, keep, expected) => {
    expect(eventsExpired(session, now, keep)).toBe(expected);
  });
});
