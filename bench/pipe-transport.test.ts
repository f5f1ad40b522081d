import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { PipeTransport } from "./pipe-transport.js";

// The built synthetic server (npm test builds before vitest runs).
const SYNTHETIC = join(fileURLToPath(new URL("..", import.meta.url)), "dist/bench/synthetic-server.js");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("PipeTransport: the SDK client and raw JSON-RPC on one pipe", () => {
  const opened: Client[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.close()));
  });

  async function connect(tools: number) {
    expect(existsSync(SYNTHETIC), `${SYNTHETIC} missing: run npm run build`).toBe(true);
    const transport = new PipeTransport(process.execPath, [SYNTHETIC, "--tools", String(tools)]);
    const client = new Client({ name: "pipe-transport-test", version: "1" });
    await client.connect(transport);
    opened.push(client);
    return { client, transport };
  }

  it("answers a raw tools/list with the same tools the SDK client lists", async () => {
    const { client, transport } = await connect(120);
    const sdk = (await client.listTools()).tools;
    const raw = (await transport.request("tools/list")) as {
      jsonrpc: string;
      id: string;
      result: { tools: unknown[] };
    };
    expect(sdk.length).toBe(120);
    expect(raw.jsonrpc).toBe("2.0");
    expect(raw.id).toMatch(/^bench-raw-\d+$/);
    expect(raw.result.tools).toEqual(sdk);
  });

  it("keeps raw and SDK answers apart when both are in flight", async () => {
    const { client, transport } = await connect(60);
    const [raw1, sdk, raw2, call] = await Promise.all([
      transport.request("tools/list"),
      client.listTools(),
      transport.request("tools/call", { name: "create_issue", arguments: { title: "t" } }),
      client.callTool({ name: "create_issue", arguments: { title: "u" } }),
    ]);
    expect((raw1 as { result: { tools: unknown[] } }).result.tools).toEqual(sdk.tools);
    expect(
      (raw2 as { result: { structuredContent?: { title?: string } } }).result.structuredContent?.title,
    ).toBe("t");
    expect((call.structuredContent as { title?: string } | undefined)?.title).toBe("u");
  });

  it("resolves a raw request answered with a JSON-RPC error with that answer", async () => {
    const { transport } = await connect(5);
    const answer = (await transport.request("no/such/method")) as { error?: { code: number } };
    expect(answer.error?.code).toBe(-32601);
  });

  it("stops the process on close, and rejects raw requests after it", async () => {
    const { client, transport } = await connect(5);
    const pid = transport.pid as number;
    expect(alive(pid)).toBe(true);
    await client.close();
    expect(alive(pid)).toBe(false);
    await expect(transport.request("tools/list")).rejects.toThrow(/closed/);
  });
});
