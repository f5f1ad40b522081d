import { describe, expect, it } from "vitest";
import {
  type ConnectOutcome,
  type ConnectPlan,
  connectPlan,
  eraOfVersion,
  MODERN_VERSION,
  type ProtocolEra,
  type ProtocolSetting,
  rememberAfterConnect,
} from "./era.js";

type Transport = "stdio" | "http" | "sse";

describe("connectPlan: the era verdict table", () => {
  const cases: Array<[ProtocolSetting, Transport, ProtocolEra | undefined, ConnectPlan["kind"]]> = [
    // auto: probe unless a legacy verdict is remembered
    ["auto", "stdio", undefined, "probe"],
    ["auto", "http", undefined, "probe"],
    ["auto", "http", "modern", "probe"],
    ["auto", "http", "legacy", "legacy"],
    ["auto", "stdio", "legacy", "legacy"],
    // a setting always wins over a remembered verdict
    ["legacy", "http", "modern", "legacy"],
    ["legacy", "stdio", undefined, "legacy"],
    ["modern", "http", "legacy", "modern"],
    ["modern", "stdio", undefined, "modern"],
    // legacy SSE predates 2026-07-28
    ["auto", "sse", undefined, "legacy"],
    ["legacy", "sse", undefined, "legacy"],
    ["modern", "sse", undefined, "refuse"],
  ];
  it.each(cases)("%s over %s, remembered %s → %s", (setting, transport, remembered, kind) => {
    expect(connectPlan(setting, transport, remembered).kind).toBe(kind);
  });

  it("pins the modern revision voidmcp speaks", () => {
    expect(connectPlan("modern", "http", undefined)).toEqual({ kind: "modern", version: MODERN_VERSION });
  });

  it("says why a modern SSE entry cannot work", () => {
    const plan = connectPlan("modern", "sse", undefined);
    expect(plan.kind === "refuse" && plan.reason).toMatch(/Streamable HTTP/);
  });
});

describe("rememberAfterConnect", () => {
  const cases: Array<[Transport, ConnectOutcome, ProtocolEra | undefined]> = [
    // HTTP: the origin's verdict holds for the entry
    ["http", { kind: "connected", era: "modern" }, "modern"],
    ["http", { kind: "connected", era: "legacy" }, "legacy"],
    ["sse", { kind: "connected", era: "legacy" }, "legacy"],
    // stdio: the verdict is the process's, the next process probes again...
    ["stdio", { kind: "connected", era: "modern" }, undefined],
    ["stdio", { kind: "connected", era: "legacy" }, undefined],
    // ...unless probing costs it its life
    ["stdio", { kind: "exited-on-probe" }, "legacy"],
  ];
  it.each(cases)("%s, %j → %s", (transport, outcome, expected) => {
    expect(rememberAfterConnect(transport, outcome)).toBe(expected);
  });
});

describe("eraOfVersion", () => {
  it.each([
    ["2024-11-05", "legacy"],
    ["2025-06-18", "legacy"],
    ["2025-11-25", "legacy"],
    ["2026-07-28", "modern"],
    ["2027-01-01", "modern"],
  ])("%s is %s", (version, era) => {
    expect(eraOfVersion(version)).toBe(era);
  });
});
