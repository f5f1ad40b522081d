import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, SdkErrorCode, SdkHttpError } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeHttpFailure,
  fetchWithHeaders,
  httpStatusOf,
  shouldFallBackToSse,
  sseTransport,
  streamableHttpTransport,
} from "./remote-transport.js";

function networkError(code: string): TypeError {
  const socket = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
  return new TypeError("fetch failed", { cause: socket });
}

describe("shouldFallBackToSse", () => {
  const cases: Array<{ status: number | undefined; fallBack: boolean }> = [
    { status: undefined, fallBack: false },
    { status: 200, fallBack: false },
    { status: 302, fallBack: false },
    { status: 399, fallBack: false },
    { status: 400, fallBack: true },
    { status: 401, fallBack: false },
    { status: 403, fallBack: false },
    { status: 404, fallBack: true },
    { status: 405, fallBack: true },
    { status: 406, fallBack: true },
    { status: 415, fallBack: true },
    { status: 499, fallBack: true },
    { status: 500, fallBack: false },
    { status: 503, fallBack: false },
  ];
  it.each(cases)("$status → $fallBack", ({ status, fallBack }) => {
    expect(shouldFallBackToSse(status)).toBe(fallBack);
  });
});

describe("httpStatusOf", () => {
  const cases: Array<{ what: string; error: unknown; status: number | undefined }> = [
    {
      what: "an SdkHttpError",
      error: new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, "Error POSTing to endpoint: nope", {
        status: 404,
        statusText: "Not Found",
      }),
      status: 404,
    },
    { what: "HTTP 502 in a message", error: new Error("upstream said HTTP 502"), status: 502 },
    { what: "HTTP: 418", error: new Error("HTTP: 418 teapot"), status: 418 },
    { what: "status 429", error: new Error("request failed with status 429"), status: 429 },
    { what: "status code: 401", error: new Error("status code: 401"), status: 401 },
    { what: "status code (403)", error: new Error("SSE error: Non-200 status code (403)"), status: 403 },
    { what: "a network failure", error: networkError("ECONNREFUSED"), status: undefined },
    { what: "a number that is not a status", error: new Error("read 1234 bytes"), status: undefined },
    { what: "a string", error: "HTTP 500", status: undefined },
    { what: "undefined", error: undefined, status: undefined },
  ];
  it.each(cases)("reads $what as $status", ({ error, status }) => {
    expect(httpStatusOf(error)).toBe(status);
  });
});

describe("describeHttpFailure", () => {
  const url = "https://mcp.example.com/mcp";
  const cases: Array<{ what: string; error: unknown; expected: string }> = [
    {
      what: "401",
      error: new Error("HTTP 401"),
      expected: `${url} answered 401 Unauthorized: check the headers (e.g. Authorization) of this server in the registry`,
    },
    {
      what: "403",
      error: new Error("status 403"),
      expected: `${url} answered 403 Forbidden: check the headers (e.g. Authorization) of this server in the registry`,
    },
    { what: "500", error: new Error("HTTP 500"), expected: `${url} answered HTTP 500` },
    {
      what: "a refused connection",
      error: networkError("ECONNREFUSED"),
      expected: `cannot reach ${url}: connection refused (is the server running?)`,
    },
    {
      what: "an unknown host",
      error: networkError("ENOTFOUND"),
      expected: `cannot reach ${url}: host not found`,
    },
    {
      what: "a refused connection known only from the text",
      error: new Error("SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:9"),
      expected: `cannot reach ${url}: connection refused (is the server running?)`,
    },
    {
      what: "another failure with a cause",
      error: new Error("fetch failed", { cause: new Error("certificate has expired") }),
      expected: `cannot connect to ${url}: fetch failed: certificate has expired`,
    },
    { what: "a plain failure", error: new Error("boom"), expected: `cannot connect to ${url}: boom` },
    { what: "a thrown string", error: "weird", expected: `cannot connect to ${url}: weird` },
  ];
  it.each(cases)("describes $what", ({ error, expected }) => {
    expect(describeHttpFailure(url, error)).toBe(expected);
  });
});

/** Real SDK transports against a real HTTP server on 127.0.0.1 that answers the status in the path. */
describe("real transport failures", () => {
  let server: Server;
  let base: string;
  const seenHeaders: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seenHeaders.push(request.headers["x-api-key"] as string | undefined);
      const status = Number((request.url ?? "/500").slice(1)) || 500;
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(`status ${status}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function failureOf(kind: "http" | "sse", url: URL): Promise<unknown> {
    const transport = kind === "http" ? streamableHttpTransport(url, {}) : sseTransport(url, {});
    const client = new Client({ name: "test", version: "1.0.0" }, { capabilities: {} });
    try {
      await client.connect(transport);
    } catch (error) {
      return error;
    } finally {
      await client.close().catch(() => {});
    }
    throw new Error(`expected ${url.href} to fail`);
  }

  const cases: Array<{ kind: "http" | "sse"; status: number }> = [
    { kind: "http", status: 401 },
    { kind: "http", status: 403 },
    { kind: "http", status: 404 },
    { kind: "http", status: 405 },
    { kind: "sse", status: 401 },
    { kind: "sse", status: 403 },
    { kind: "sse", status: 404 },
  ];
  it.each(cases)("$kind answering $status is read as $status", async ({ kind, status }) => {
    const url = new URL(`${base}/${status}`);
    const error = await failureOf(kind, url);
    expect(httpStatusOf(error)).toBe(status);
    const text = describeHttpFailure(url.href, error);
    if (status === 401 || status === 403) expect(text).toMatch(/check the headers/);
    else expect(text).toBe(`${url.href} answered HTTP ${status}`);
  });

  it.each(["http", "sse"] as const)("%s to a closed port says connection refused", async (kind) => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    const error = await failureOf(kind, url);
    expect(httpStatusOf(error)).toBeUndefined();
    expect(describeHttpFailure(url.href, error)).toBe(
      `cannot reach ${url.href}: connection refused (is the server running?)`,
    );
  });

  it("fetchWithHeaders adds the registry's headers to every request", async () => {
    seenHeaders.length = 0;
    const fetchLike = fetchWithHeaders({ "X-Api-Key": "secret" });
    const response = await fetchLike(`${base}/200`, { headers: { "X-Api-Key": "overridden" } });
    expect(response.status).toBe(200);
    await response.text();
    const plain = await fetchLike(`${base}/204`);
    expect(plain.status).toBe(204);
    expect(seenHeaders).toEqual(["secret", "secret"]);
  });
});
