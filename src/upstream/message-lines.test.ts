import { describe, expect, it } from "vitest";
import { EDGE_BYTES, type LineEvent, MessageLines } from "./message-lines.js";

function feed(reader: MessageLines, ...chunks: string[]): LineEvent[] {
  return chunks.flatMap((chunk) => reader.push(Buffer.from(chunk)));
}

describe("MessageLines", () => {
  it.each([
    { chunks: ["a\n"], lines: ["a"] },
    { chunks: ["a\nb\n"], lines: ["a", "b"] },
    { chunks: ["a", "b", "c\n"], lines: ["abc"] },
    { chunks: ["a\r\n", "b\r", "\n"], lines: ["a", "b"] },
    { chunks: ["\n\n"], lines: ["", ""] },
    { chunks: ["partial"], lines: [] },
  ])("splits $chunks into $lines", ({ chunks, lines }) => {
    const events = feed(new MessageLines(100), ...chunks);
    expect(events).toEqual(lines.map((text) => ({ kind: "line", text })));
  });

  it("keeps a multi-byte character split across chunks whole", () => {
    const bytes = Buffer.from("añb\n");
    const reader = new MessageLines(100);
    const events = [...reader.push(bytes.subarray(0, 2)), ...reader.push(bytes.subarray(2))];
    expect(events).toEqual([{ kind: "line", text: "añb" }]);
  });

  it("accepts a line of exactly the cap and reports one byte more as soon as it arrives", () => {
    expect(feed(new MessageLines(4), "abcd\n")).toEqual([{ kind: "line", text: "abcd" }]);
    const reader = new MessageLines(4);
    expect(feed(reader, "ab", "cd")).toEqual([]);
    expect(feed(reader, "e")).toEqual([{ kind: "oversized", bytesSoFar: 5, head: "abcde" }]);
    expect(feed(reader, "fgh")).toEqual([]);
    expect(feed(reader, "i\nok\n")).toEqual([
      { kind: "oversized-end", bytes: 9, head: "abcde", tail: "abcdefghi" },
      { kind: "line", text: "ok" },
    ]);
  });

  it("keeps only the first and last bytes of a long line over the cap", () => {
    const reader = new MessageLines(10);
    const start = `<${"s".repeat(EDGE_BYTES)}`;
    const end = `${"e".repeat(EDGE_BYTES)}>`;
    const events = feed(reader, start, "m".repeat(50_000), `${end}\n`);
    expect(events).toHaveLength(2);
    const [over, done] = events;
    expect(over).toMatchObject({ kind: "oversized", bytesSoFar: EDGE_BYTES + 1 });
    expect(done).toEqual({
      kind: "oversized-end",
      bytes: start.length + 50_000 + end.length,
      head: start.slice(0, EDGE_BYTES),
      tail: end.slice(-EDGE_BYTES),
    });
  });

  it("reports a whole line over the cap that arrives in one chunk", () => {
    expect(feed(new MessageLines(3), "abcdef\nx\n").map((e) => e.kind)).toEqual([
      "oversized",
      "oversized-end",
      "line",
    ]);
  });

  it("clear() drops a partial line", () => {
    const reader = new MessageLines(100);
    feed(reader, "half");
    reader.clear();
    expect(feed(reader, "new\n")).toEqual([{ kind: "line", text: "new" }]);
  });
});
