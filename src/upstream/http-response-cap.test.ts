import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cappedFetch, requestIds } from "./http-response-cap.js";

/** A real HTTP server on 127.0.0.1 whose answer each test chooses by path. */
let server: Server;
let base: string;
const bodies: Record<string, { type: string; chunks: string[] }> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const answer = bodies[req.url ?? ""];
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": answer.type });
      const write = (i: number): void => {
        if (i === answer.chunks.length) {
          res.end();
          return;
        }
        res.write(answer.chunks[i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (id: number | string) => ({
  method: "POST",
  body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "x" } }),
});
const capped = (cap: number) => cappedFetch((url, init) => fetch(url, init), cap);

describe("requestIds", () => {
  it.each([
    [JSON.stringify({ jsonrpc: "2.0", id: 1, method: "m" }), [1]],
    [
      JSON.stringify([
        { jsonrpc: "2.0", id: "a", method: "m" },
        { jsonrpc: "2.0", method: "n" },
        { id: 2, method: "m" },
      ]),
      ["a", 2],
    ],
    [JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), []],
    [JSON.stringify({ jsonrpc: "2.0", id: 3, result: {} }), []],
    ["not json", []],
    [undefined, []],
  ])("%s → %o", (body, ids) => {
    expect(requestIds(body)).toEqual(ids);
  });
});

describe("cappedFetch", () => {
  it("passes a JSON answer under the cap through unchanged", async () => {
    const json = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { text: "a".repeat(500) } });
    bodies["/json-small"] = { type: "application/json", chunks: [json.slice(0, 100), json.slice(100)] };
    const response = await capped(1000)(`${base}/json-small`, post(1));
    expect(await response.text()).toBe(json);
  });

  it("replaces a JSON answer over the cap with an error for the POSTed request", async () => {
    const json = JSON.stringify({ jsonrpc: "2.0", id: 9, result: { text: "a".repeat(5000) } });
    bodies["/json-big"] = { type: "application/json", chunks: [json.slice(0, 600), json.slice(600)] };
    const answer = (await (await capped(1000)(`${base}/json-big`, post(9))).json()) as Record<
      string,
      unknown
    >;
    expect(answer).toMatchObject({ jsonrpc: "2.0", id: 9, error: { code: -32603 } });
    expect(JSON.stringify(answer)).toMatch(/more than the 1000 bytes|\(1000 bytes\)/);
  });

  it("passes SSE events under the cap and replaces the first one over it, ending the stream", async () => {
    const small = 'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\n';
    const big = `event: message\r\ndata: {"jsonrpc":"2.0","id":4,"result":{"text":"${"b".repeat(3000)}"}}\r\n\r\n`;
    bodies["/sse"] = {
      type: "text/event-stream",
      chunks: [small.slice(0, 10), small.slice(10) + big.slice(0, 500), big.slice(500), small],
    };
    const text = await (await capped(1000)(`${base}/sse`, post(4))).text();
    const events = text.split("\n\n").filter((e) => e !== "");
    expect(events).toHaveLength(2);
    expect(`${events[0]}\n\n`).toBe(small);
    expect(events[1]).toMatch(/^event: message\ndata: \{"jsonrpc":"2.0","id":4,"error":\{"code":-32603/);
  });

  it("passes an SSE event under the cap that arrives in many small chunks", async () => {
    const event = `event: message\ndata: {"jsonrpc":"2.0","id":6,"result":{"text":"${"s".repeat(3000)}"}}\n\n`;
    const chunks = Array.from({ length: Math.ceil(event.length / 300) }, (_, i) =>
      event.slice(i * 300, i * 300 + 300),
    );
    bodies["/sse-split"] = { type: "text/event-stream", chunks };
    expect(await (await capped(10_000)(`${base}/sse-split`, post(6))).text()).toBe(event);
  });

  it("passes SSE events that are each under the cap, however many", async () => {
    const event = (i: number) =>
      `id: ${i}\ndata: {"jsonrpc":"2.0","method":"n","params":{"i":${i},"pad":"${"p".repeat(400)}"}}\n\n`;
    const all = Array.from({ length: 20 }, (_, i) => event(i));
    bodies["/sse-many"] = { type: "text/event-stream", chunks: all };
    expect(await (await capped(1000)(`${base}/sse-many`, post(5))).text()).toBe(all.join(""));
  });

  it("leaves GET streams and notifications alone", async () => {
    const json = JSON.stringify({ pad: "g".repeat(5000) });
    bodies["/get"] = { type: "application/json", chunks: [json] };
    expect(await (await capped(1000)(`${base}/get`, { method: "GET" })).text()).toBe(json);
    const notification = {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/x" }),
    };
    expect(await (await capped(1000)(`${base}/get`, notification)).text()).toBe(json);
  });
});
