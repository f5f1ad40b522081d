import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseJsonBody, send, toWebRequest } from "./node-http.js";

/** A stream the test feeds by hand: chunks go out only when the test says so. */
function manualStream(): {
  stream: ReadableStream<Uint8Array>;
  push: (text: string) => void;
  close: () => void;
} {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
  });
  return {
    stream,
    push: (text) => controller?.enqueue(new TextEncoder().encode(text)),
    close: () => controller?.close(),
  };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real server on 127.0.0.1 whose every request is answered by `answer` through `send`. */
async function serve(answer: (req: IncomingMessage) => Response, outcomes: boolean[] = []): Promise<string> {
  const server = createServer((req, res) => {
    void send(answer(req), res).then((complete) => outcomes.push(complete));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Resolves once the status line and headers are in, with a way to read what follows. */
function get(url: string): Promise<{
  status: number;
  type: string | undefined;
  next: () => Promise<string>;
  rest: () => Promise<string>;
  abort: () => void;
}> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: string[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        chunks.push(chunk);
        wake?.();
      });
      res.on("end", () => {
        ended = true;
        wake?.();
      });
      const wait = () => new Promise<void>((w) => (wake = w));
      resolve({
        status: res.statusCode ?? 0,
        type: res.headers["content-type"],
        next: async () => {
          while (chunks.length === 0 && !ended) await wait();
          return chunks.splice(0).join("");
        },
        rest: async () => {
          while (!ended) await wait();
          return chunks.splice(0).join("");
        },
        abort: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("send", () => {
  it("sends the headers of a quiet stream at once, then its chunks as they come", async () => {
    const feed = manualStream();
    const url = await serve(
      () => new Response(feed.stream, { headers: { "Content-Type": "text/event-stream" } }),
    );
    // Nothing was pushed: the response (status and headers) must still arrive.
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/event-stream");
    feed.push("data: one\n\n");
    expect(await res.next()).toBe("data: one\n\n");
    feed.push("data: two\n\n");
    feed.close();
    expect(await res.rest()).toBe("data: two\n\n");
  });

  it("a first chunk that is ready at once still reaches the client when nothing follows it", async () => {
    const feed = manualStream();
    feed.push("id: 1\ndata: \n\n");
    const url = await serve(
      () => new Response(feed.stream, { headers: { "Content-Type": "text/event-stream" } }),
    );
    const res = await get(url);
    // The held chunk is released by itself: the stream stays open, no second chunk comes.
    expect(await res.next()).toBe("id: 1\ndata: \n\n");
    feed.push("data: later\n\n");
    feed.close();
    expect(await res.rest()).toBe("data: later\n\n");
  });

  it("sends exactly the Response's bytes, whether the rest follows the first chunk at once or not", async () => {
    for (const gapMs of [0, 1, 30]) {
      const feed = manualStream();
      const url = await serve(() => {
        feed.push("id: a_1\nretry: 1000\ndata: \n\n");
        setTimeout(() => {
          feed.push('event: message\nid: a_2\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
          feed.close();
        }, gapMs);
        return new Response(feed.stream, { status: 200, headers: { "Content-Type": "text/event-stream" } });
      });
      const res = await get(url);
      expect(await res.rest()).toBe(
        'id: a_1\nretry: 1000\ndata: \n\nevent: message\nid: a_2\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n',
      );
    }
  });

  it("answers a bodyless Response with its status and nothing else", async () => {
    const url = await serve(() => new Response(null, { status: 202 }));
    const res = await get(url);
    expect(res.status).toBe(202);
    expect(await res.rest()).toBe("");
  });

  it("resolves false when the client leaves before the stream ends, true when it stays", async () => {
    const outcomes: boolean[] = [];
    const feeds: Array<ReturnType<typeof manualStream>> = [];
    const url = await serve(() => {
      const feed = manualStream();
      feeds.push(feed);
      feed.push("data: first\n\n");
      return new Response(feed.stream);
    }, outcomes);
    const left = await get(url);
    expect(await left.next()).toBe("data: first\n\n");
    left.abort();
    await expect.poll(() => outcomes.length).toBe(1);
    const stayed = await get(url);
    expect(await stayed.next()).toBe("data: first\n\n");
    feeds[1]?.close();
    expect(await stayed.rest()).toBe("");
    await expect.poll(() => outcomes.length).toBe(2);
    expect(outcomes).toEqual([false, true]);
  });
});

describe("toWebRequest", () => {
  it("carries every header, and a body only when one is given", async () => {
    const seen: Request[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        seen.push(toWebRequest(req, url, body), toWebRequest(req, url, undefined));
        res.end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/mcp?x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Mcp-Session-Id": "s-1" },
      body: '{"a":1}',
    });
    const [withBody, without] = seen;
    expect(withBody?.method).toBe("POST");
    expect(withBody?.url).toBe("http://localhost/mcp?x=1");
    expect(await withBody?.text()).toBe('{"a":1}');
    expect(without?.headers.get("mcp-session-id")).toBe("s-1");
    expect(without?.headers.get("content-type")).toBe("application/json");
    expect(without?.body).toBeNull();
  });
});

describe("parseJsonBody", () => {
  it.each([
    ["", undefined],
    ["not json", undefined],
    ['{"jsonrpc":"2.0"', undefined],
    ["null", { json: null }],
    ["0", { json: 0 }],
    ['{"id":1}', { json: { id: 1 } }],
    ["[1,2]", { json: [1, 2] }],
  ])("%j → %j", (text, expected) => {
    expect(parseJsonBody(Buffer.from(text))).toEqual(expected);
  });
});
