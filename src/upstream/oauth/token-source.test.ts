/**
 * The token source against a real token endpoint on 127.0.0.1 that rotates refresh tokens (a
 * used one is dead), with the real file store and lock. Two sources over one store stand for two
 * `voidmcp serve` processes: the lock and the re-read after it mean one refresh, not two.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../core/index.js";
import { FileCredentialStore } from "../../secrets/index.js";
import type { OAuthContext } from "./context.js";
import { readTokens, type StoredClient, type StoredTokens, writeClient, writeTokens } from "./credentials.js";
import { findNeedsAuth } from "./needs-auth.js";
import { TokenSource } from "./token-source.js";

let server: Server;
let base = "";
let dir: string;
let live = new Set<string>();
let refreshes = 0;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-token-source-"));
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const old = params.get("refresh_token") ?? "";
      // Slow enough that two refreshes would overlap without the lock.
      setTimeout(() => {
        if (!live.delete(old)) {
          res.writeHead(400, { "Content-Type": "application/json" }).end('{"error":"invalid_grant"}');
          return;
        }
        refreshes += 1;
        counter += 1;
        live.add(`rt-${counter}`);
        res.writeHead(200, { "Content-Type": "application/json" }).end(
          JSON.stringify({
            access_token: `at-${counter}`,
            token_type: "Bearer",
            expires_in: 3600,
            refresh_token: `rt-${counter}`,
          }),
        );
      }, 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

let context: OAuthContext;

beforeEach(async () => {
  refreshes = 0;
  live = new Set(["rt-0"]);
  const store = new FileCredentialStore(join(dir, String(Math.random()), "credentials.json"));
  context = { store, lockPath: (name) => join(dir, "locks", `${name}.lock`) };
  const client: StoredClient = {
    issuer: base,
    clientId: "c",
    registration: "dynamic",
    tokenEndpointAuthMethod: "none",
    redirectPort: 1,
    tokenEndpoint: `${base}/token`,
    serverUrl: `${base}/mcp`,
  };
  const expired: StoredTokens = {
    issuer: base,
    clientId: "c",
    accessToken: "at-0",
    refreshToken: "rt-0",
    obtainedAt: Date.now() - 7_200_000,
    expiresAt: Date.now() - 3_600_000,
  };
  await writeClient(context.store, "srv", client);
  await writeTokens(context.store, "srv", expired);
});

const source = () => new TokenSource("srv", undefined, context, silentLogger);

describe("TokenSource", () => {
  it("refreshes an expired token before use, once for many concurrent requests", async () => {
    const one = source();
    const tokens = await Promise.all([one.token(), one.token(), one.token()]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^at-\d+$/);
    expect(refreshes).toBe(1);
  });

  it("two processes' sources refresh once between them (lock, then re-read), with a rotating refresh token", async () => {
    const [a, b] = await Promise.all([source().token(), source().token()]);
    expect(a).toBe(b);
    expect(refreshes).toBe(1);
    const stored = await readTokens(context.store, "srv");
    expect(stored?.accessToken).toBe(a);
    expect(live.has(stored?.refreshToken ?? "")).toBe(true);
  });

  it("a refused refresh is needs-auth with the command, and the dead tokens are forgotten", async () => {
    live.clear();
    const error = await source()
      .token()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    const needsAuth = findNeedsAuth(error);
    expect(needsAuth?.message).toContain('server "srv" needs sign-in');
    expect(needsAuth?.hint).toBe("run `voidmcp auth srv`");
    expect(await readTokens(context.store, "srv")).toBeUndefined();
  });
});
