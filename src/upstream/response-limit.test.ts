import { describe, expect, it } from "vitest";
import type { ServerSpec } from "../registry/index.js";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  formatBytes,
  leadingId,
  maxResponseBytesOf,
  tooLargeMessage,
  trailingId,
} from "./response-limit.js";

describe("leadingId", () => {
  it.each([
    ['{"jsonrpc":"2.0","id":7,"result":{"text":"xxx', 7],
    ['{"id":"abc","jsonrpc":"2.0","result":{', "abc"],
    ['  { "jsonrpc" : "2.0" , "id" : -3 , "result": [', -3],
    ['{"jsonrpc":"2.0","id":"with \\"quote\\"","result":{', 'with "quote"'],
    // The id comes after an object: it cannot be known from the start.
    ['{"result":{"id":5,"text":"xxx', undefined],
    ['{"jsonrpc":"2.0","method":"notifications/message","params":{"id":1', undefined],
    ['{"jsonrpc":"2.0","id":null,"error":{', undefined],
    ['{"jsonrpc":"2.0","id":', undefined],
    ['[{"id":1}', undefined],
    ["not json at all", undefined],
    ["", undefined],
  ])("%s → %s", (head, id) => {
    expect(leadingId(head)).toBe(id);
  });
});

describe("trailingId", () => {
  it.each([
    ['xxx"}},"jsonrpc":"2.0","id":7}', 7],
    ['xxx"}],"id":"late"}\r', "late"],
    ['xxx"},"id":8,"jsonrpc":"2.0"}  ', 8],
    // A nested id is not the message's id.
    ['xxx","id":5}}', undefined],
    ['xxx"}]}', undefined],
    ['"text":"a,\\"id\\":3"}', undefined],
    ["no brace", undefined],
    ["", undefined],
  ])("%s → %s", (tail, id) => {
    expect(trailingId(tail)).toBe(id);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [1023, "1023 bytes"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [64 * 1024 * 1024, "64 MiB"],
    [20.5 * 1024 * 1024, "20.5 MiB"],
    [3 * 1024 ** 3, "3 GiB"],
  ])("%i → %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("tooLargeMessage", () => {
  it("names the size, the cap and the setting that raises it", () => {
    expect(tooLargeMessage(70 * 1024 * 1024, 64 * 1024 * 1024, true)).toBe(
      'the server\'s answer is 70 MiB, more than the 64 MiB (67108864 bytes) voidmcp accepts; raise "maxResponseBytes" for this server in the registry to allow it',
    );
    expect(tooLargeMessage(2 * 1024 * 1024, 1024 * 1024, false)).toMatch(
      /^the server's answer is over 2 MiB,/,
    );
  });
});

describe("maxResponseBytesOf", () => {
  const spec = (extra: Record<string, unknown>) => ({ name: "s", ...extra }) as unknown as ServerSpec;
  it.each([
    [{}, undefined, DEFAULT_MAX_RESPONSE_BYTES],
    [{}, 1000, 1000],
    [{ maxResponseBytes: 5000 }, 1000, 5000],
    [{ maxResponseBytes: 5000 }, undefined, 5000],
  ])("%o with fallback %s → %i", (extra, fallback, expected) => {
    expect(maxResponseBytesOf(spec(extra), fallback)).toBe(expected);
  });
});
