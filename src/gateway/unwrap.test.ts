import { describe, expect, it } from "vitest";
import type { CallToolResult } from "../upstream/index.js";
import { unwrapToolResult } from "./unwrap.js";

const text = (t: string) => ({ type: "text" as const, text: t });
const image = { type: "image" as const, data: "AAAA", mimeType: "image/png" };

describe("unwrapToolResult", () => {
  const cases: Array<{ name: string; result: CallToolResult; expected: unknown }> = [
    {
      name: "structuredContent wins",
      result: { content: [text("ignored")], structuredContent: { sum: 3 } },
      expected: { ok: true, value: { sum: 3 } },
    },
    {
      name: "JSON text is parsed",
      result: { content: [text('{"a":[1,2]}')] },
      expected: { ok: true, value: { a: [1, 2] } },
    },
    { name: "a JSON number", result: { content: [text("42")] }, expected: { ok: true, value: 42 } },
    {
      name: "plain text stays text",
      result: { content: [text("hello world")] },
      expected: { ok: true, value: "hello world" },
    },
    {
      name: "text that looks like JSON but is not",
      result: { content: [text("{not json")] },
      expected: { ok: true, value: "{not json" },
    },
    {
      name: "true/false/null words",
      result: { content: [text("true")] },
      expected: { ok: true, value: true },
    },
    {
      name: "several text blocks are joined",
      result: { content: [text("a"), text("b")] },
      expected: { ok: true, value: "a\nb" },
    },
    {
      name: "mixed content is returned as blocks",
      result: { content: [text("pic"), image] },
      expected: { ok: true, value: [text("pic"), image] },
    },
    { name: "empty content is null", result: { content: [] }, expected: { ok: true, value: null } },
    {
      name: "isError carries the upstream's text",
      result: { content: [text("no such file")], isError: true },
      expected: { ok: false, message: "no such file" },
    },
    {
      name: "isError without text",
      result: { content: [], isError: true },
      expected: { ok: false, message: "the tool reported an error without a message" },
    },
  ];
  it.each(cases)("$name", ({ result, expected }) => {
    expect(unwrapToolResult(result)).toEqual(expected);
  });
});
