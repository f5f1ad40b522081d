/**
 * `http.maxSessions`: the HTTP front keeps at most that many sessions; opening one more ends the
 * session idle the longest, whose client then gets 404 (as for an expired session) and can
 * initialize again. Raw requests on node:http against the built CLI, with the stdio fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureEntry, type TempDir, tempRegistry } from "./harness.js";
import {
  type HttpGateway,
  mcpHeaders,
  messagesOf,
  openRawSession,
  rawRequest,
  rpc,
  startHttpGateway,
} from "./http-support.js";

const MAX_SESSIONS = 5;

let temp: TempDir;
let gateway: HttpGateway;

beforeAll(async () => {
  temp = await tempRegistry({ http: { maxSessions: MAX_SESSIONS }, mcpServers: { fixture: fixtureEntry() } });
  gateway = await startHttpGateway(temp.registry, { args: ["--no-auth"] });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await temp?.cleanup();
});

/** A ping on the session: the status, and whether the answer was a pong. */
async function ping(session: string): Promise<{ status: number; pong: boolean }> {
  const response = await rawRequest(gateway.url, {
    headers: mcpHeaders(undefined, session),
    body: rpc(7, "ping"),
  });
  const pong =
    response.status === 200 && messagesOf(response).some((m) => m.id === 7 && m.result !== undefined);
  return { status: response.status, pong };
}

/** Opens sessions one after another, a few ms apart, so their idle order is certain. */
async function openSessions(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await openRawSession(gateway.url, undefined));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return ids;
}

describe("serve --http with http.maxSessions", () => {
  it(`keeps ${MAX_SESSIONS} of 8 sessions: the 3 idle the longest get 404, the rest work`, async () => {
    const sessions = await openSessions(8);
    expect((await gateway.health()).sessions).toBe(MAX_SESSIONS);
    const results = [];
    for (const session of sessions) results.push(await ping(session));
    expect(results.map((r) => r.status)).toEqual([404, 404, 404, 200, 200, 200, 200, 200]);
    expect(results.slice(3).every((r) => r.pong)).toBe(true);
    // An evicted client starts over, as after an expiry.
    const again = await openRawSession(gateway.url, undefined);
    expect((await ping(again)).pong).toBe(true);
  }, 60_000);

  it("a session in use is kept over one that sat idle, however old it is", async () => {
    const sessions = await openSessions(MAX_SESSIONS);
    const [oldest, second] = sessions as [string, string];
    expect((await ping(oldest)).pong).toBe(true);
    await openSessions(1);
    expect((await ping(second)).status).toBe(404);
    expect((await ping(oldest)).pong).toBe(true);
    const call = await rawRequest(gateway.url, {
      headers: mcpHeaders(undefined, oldest),
      body: rpc(2, "tools/call", { name: "fixture__echo", arguments: { text: "kept" } }),
    });
    expect(messagesOf(call).find((m) => m.id === 2)?.result).toMatchObject({
      content: [{ type: "text", text: "kept" }],
    });
  }, 60_000);
});
