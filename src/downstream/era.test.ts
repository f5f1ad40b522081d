import { describe, expect, it } from "vitest";
import { type OpeningEra, openingEra } from "./era.js";

const modernMeta = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
};

describe("openingEra", () => {
  const cases: ReadonlyArray<{ name: string; message: unknown; want: OpeningEra }> = [
    {
      name: "a 2025-11-25 initialize",
      message: { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25" } },
      want: { era: "legacy", reason: "initialize" },
    },
    {
      name: "a 2024-11-05 initialize",
      message: {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2024-11-05", capabilities: {} },
      },
      want: { era: "legacy", reason: "initialize" },
    },
    {
      name: "a server/discover with the envelope",
      message: { jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: modernMeta } },
      want: { era: "modern", version: "2026-07-28" },
    },
    {
      name: "a tools/call with the envelope (no discover first)",
      message: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x", _meta: modernMeta } },
      want: { era: "modern", version: "2026-07-28" },
    },
    {
      name: "an initialize that claims the modern revision",
      message: { jsonrpc: "2.0", id: 1, method: "initialize", params: { _meta: modernMeta } },
      want: { era: "modern", version: "2026-07-28" },
    },
    {
      name: "a claim of a revision voidmcp does not serve",
      message: {
        jsonrpc: "2.0",
        id: 1,
        method: "server/discover",
        params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2027-01-01" } },
      },
      want: { era: "unsupported", requested: "2027-01-01" },
    },
    {
      name: "a claim that is not a string",
      message: {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/list",
        params: { _meta: { "io.modelcontextprotocol/protocolVersion": 7 } },
      },
      want: { era: "unsupported", requested: "7" },
    },
    {
      name: "a tools/list with no envelope",
      message: { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: { progressToken: 1 } } },
      want: { era: "legacy", reason: "no-claim" },
    },
    {
      name: "a server/discover with no envelope",
      message: { jsonrpc: "2.0", id: 1, method: "server/discover" },
      want: { era: "legacy", reason: "no-claim" },
    },
    { name: "not an object", message: "initialize", want: { era: "legacy", reason: "no-claim" } },
    {
      name: "an array (a batch)",
      message: [{ method: "initialize" }],
      want: { era: "legacy", reason: "no-claim" },
    },
  ];
  it.each(cases)("$name", ({ message, want }) => {
    expect(openingEra(message)).toEqual(want);
  });
});
