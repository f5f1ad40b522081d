import { describe, expect, it } from "vitest";
import { type AuditRecord, argumentShape } from "./audit-log.js";
import { auditRecords, formatAuditRecord } from "./audit-query.js";

const base: AuditRecord = {
  time: "2026-01-01T00:00:00.000Z",
  client: "stdio",
  via: "direct",
  server: "github",
  tool: "delete_issue",
  decision: "confirm",
  because: "destructiveHint",
  confirmation: "accepted",
  durationMs: 12,
  ok: true,
  bytes: 40,
  args: { id: "number" },
};

describe("argumentShape", () => {
  const cases: Array<[string, unknown, unknown]> = [
    [
      "strings and numbers become their types",
      { id: 7, token: "sk-secret" },
      { id: "number", token: "string" },
    ],
    [
      "nested objects keep their keys",
      { opts: { force: true, at: null } },
      { opts: { force: "boolean", at: "null" } },
    ],
    ["arrays show one element's shape, not their length", { ids: [1, 2, 3] }, { ids: ["number"] }],
    ["empty arrays", { ids: [] }, { ids: "array" }],
    [
      "deep values stop at depth four",
      { a: { b: { c: { d: { e: "x" } } } } },
      { a: { b: { c: { d: "object" } } } },
    ],
  ];
  it.each(cases)("%s", (_name, value, shape) => {
    expect(argumentShape(value)).toEqual(shape);
    expect(JSON.stringify(argumentShape(value))).not.toContain("sk-secret");
  });
});

describe("auditRecords", () => {
  const lines = [
    JSON.stringify(base),
    "{not json",
    JSON.stringify({ hello: 1 }),
    JSON.stringify({ ...base, tool: "list_issues", decision: "allow" }),
    JSON.stringify({ ...base, server: "files" }),
    "",
  ];
  it("skips lines that are not records and keeps file order", () => {
    expect(auditRecords(lines, {}).map((r) => `${r.server}.${r.tool}`)).toEqual([
      "github.delete_issue",
      "github.list_issues",
      "files.delete_issue",
    ]);
  });
  it("filters by server and by tool", () => {
    expect(auditRecords(lines, { server: "files" })).toHaveLength(1);
    expect(auditRecords(lines, { tool: "delete_issue" })).toHaveLength(2);
    expect(auditRecords(lines, { server: "github", tool: "list_issues" })).toHaveLength(1);
  });
  it("formats one readable line", () => {
    expect(formatAuditRecord(base)).toBe(
      '2026-01-01T00:00:00.000Z  stdio direct  github.delete_issue  confirm:accepted  ok  12 ms  40 B  args {"id":"number"}',
    );
    expect(formatAuditRecord({ ...base, ok: false, error: "denied", confirmation: undefined })).toContain(
      "confirm  failed (denied)",
    );
  });
});
