/**
 * Result handles through `voidmcp serve --http`: a script's large return value stays in the
 * gateway under a handle, a later run reads it with `results.get`, it is also the resource
 * voidmcp://results/<handle>, another HTTP session cannot read it, and it expires.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureEntry, type TempDir, tempRegistry, textOf } from "./harness.js";
import { connectHttp, type HttpClient, type HttpGateway, startHttpGateway } from "./http-support.js";

const TTL_MS = 3_000;

let temp: TempDir;
let gateway: HttpGateway;
let first: HttpClient;
let second: HttpClient;

beforeAll(async () => {
  temp = await tempRegistry({
    codeMode: { handleBytes: 2_000, handleTtlMs: TTL_MS },
    mcpServers: { fixture: fixtureEntry() },
  });
  gateway = await startHttpGateway(temp.registry, { args: ["--no-auth"] });
  first = await connectHttp(gateway.url, { name: "first" });
  second = await connectHttp(gateway.url, { name: "second" });
}, 60_000);

afterAll(async () => {
  await first?.close();
  await second?.close();
  await gateway?.stop();
  await temp?.cleanup();
});

async function run(client: HttpClient, code: string) {
  const result = await client.client.callTool({ name: "execute_code", arguments: { code } });
  return {
    text: textOf(result),
    structured: result.structuredContent as Record<string, unknown> | undefined,
  };
}

describe("result handles", () => {
  it("keep a large return value, readable by a later run and as a resource, by its own session only, until they expire", async () => {
    const small = await run(first, `return { n: 1 }`);
    expect(small.structured).toEqual({ n: 1 });

    const big = await run(first, `return Array.from({ length: 500 }, (_, i) => ({ i, word: "item" + i }))`);
    const kept = big.structured as { handle: string; bytes: number; preview: string; uri: string };
    expect(kept.handle).toMatch(/^r_[0-9a-f]{24}$/);
    expect(kept.bytes).toBeGreaterThan(2_000);
    expect(kept.preview.startsWith('[{"i":0,"word":"item0"}')).toBe(true);
    expect(big.text).toContain(`results.get("${kept.handle}")`);

    const later = await run(
      first,
      `const rows = await results.get("${kept.handle}"); return { count: rows.length, last: rows[499].word }`,
    );
    expect(later.structured).toEqual({ count: 500, last: "item499" });

    const resource = await first.client.readResource({ uri: kept.uri });
    const text = (resource.contents[0] as { text: string }).text;
    expect(JSON.parse(text)).toHaveLength(500);

    // Above maxOutputBytes (100000 by default) the value is no longer cut: it is kept whole.
    const huge = await run(first, `return "x".repeat(150000)`);
    const hugeKept = huge.structured as { handle: string; bytes: number };
    expect(hugeKept.bytes).toBe(150_002);
    expect(huge.text).not.toContain("result cut");
    const whole = await run(first, `return (await results.get("${hugeKept.handle}")).length`);
    expect(whole.text).toMatch(/^150000/);

    // Another HTTP session of the same gateway: not found, both ways.
    await expect(second.client.readResource({ uri: kept.uri })).rejects.toThrow(/no result/);
    const stolen = await run(
      second,
      `try { await results.get("${kept.handle}"); return "read"; } catch (e) { return e.message; }`,
    );
    expect(JSON.parse(stolen.text)).toMatch(/no result "r_[0-9a-f]+" for this client/);

    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 500));
    await expect(first.client.readResource({ uri: kept.uri })).rejects.toThrow(/no result/);
  }, 30_000);
});
