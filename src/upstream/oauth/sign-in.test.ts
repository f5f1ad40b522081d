/**
 * signIn against a real authorization server on 127.0.0.1 (node:http, written here) whose token
 * or registration answer is malformed in one way per case: the error names the server and the
 * field, and nothing reaches the credential store (a real 0600 file in a temporary directory).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteServerSpec } from "../../registry/index.js";
import { FileCredentialStore } from "../../secrets/index.js";
import type { OAuthContext } from "./context.js";
import { signIn } from "./sign-in.js";

let base = "";
let tokenAnswer: { status: number; body: unknown } = { status: 200, body: {} };
let registrationAnswer: { status: number; body: unknown } = { status: 201, body: { client_id: "c1" } };
let server: Server;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-signin-"));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case "/mcp":
        return send(
          401,
          {},
          {
            "WWW-Authenticate": `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
          },
        );
      case "/.well-known/oauth-protected-resource/mcp":
        return send(200, { resource: `${base}/mcp`, authorization_servers: [base] });
      case "/.well-known/oauth-authorization-server":
        return send(200, {
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          registration_endpoint: `${base}/register`,
          code_challenge_methods_supported: ["S256"],
        });
      case "/register":
        return send(registrationAnswer.status, registrationAnswer.body);
      case "/authorize": {
        const back = new URL(url.searchParams.get("redirect_uri") ?? "");
        back.searchParams.set("code", "the-code");
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        res.writeHead(302, { Location: back.href }).end();
        return;
      }
      case "/token":
        return send(tokenAnswer.status, tokenAnswer.body);
      default:
        return send(404, {});
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function spec(): RemoteServerSpec {
  return {
    name: "srv",
    enabled: true,
    prefix: "srv",
    timeoutMs: 10_000,
    tools: {},
    lazy: false,
    idleTimeoutMs: 1000,
    transport: "http",
    url: `${base}/mcp`,
    headers: {},
  };
}

async function attempt(): Promise<{ error: unknown; keys: string[] }> {
  const store = new FileCredentialStore(join(dir, String(Math.random()), "credentials.json"));
  const context: OAuthContext = { store, lockPath: () => join(dir, "locks", "srv.lock") };
  let error: unknown;
  try {
    await signIn({
      spec: spec(),
      context,
      timeoutMs: 10_000,
      say: () => {},
      // The scripted browser: follow the redirects to the loopback callback.
      present: async (url) => {
        void fetch(url).catch(() => {});
      },
    });
  } catch (caught) {
    error = caught;
  }
  return { error, keys: await store.keys("") };
}

describe("a malformed token answer: a clear error naming the server and the field, nothing stored", () => {
  const good = { access_token: "at", token_type: "Bearer", expires_in: 60, refresh_token: "rt" };
  it.each([
    { what: "no access_token", body: { ...good, access_token: undefined }, field: "access_token" },
    { what: "token_type not Bearer", body: { ...good, token_type: "MAC" }, field: "token_type" },
    { what: "expires_in a string", body: { ...good, expires_in: "60" }, field: "expires_in" },
    { what: "refresh_token empty", body: { ...good, refresh_token: "" }, field: "refresh_token" },
    { what: "not an object", body: ["at"], field: "is not a JSON object" },
  ])("$what", async ({ body, field }) => {
    registrationAnswer = { status: 201, body: { client_id: "c1" } };
    tokenAnswer = { status: 200, body };
    const { error, keys } = await attempt();
    expect(String(error)).toContain('server "srv"');
    expect(String(error)).toContain(field);
    expect(keys).toEqual([]);
  });

  it("a refused code exchange", async () => {
    tokenAnswer = { status: 400, body: { error: "invalid_grant" } };
    const { error, keys } = await attempt();
    expect(String(error)).toMatch(/server "srv".*invalid_grant/);
    expect(keys).toEqual([]);
  });

  it("a malformed registration answer", async () => {
    registrationAnswer = { status: 201, body: { client_secret: "s" } };
    const { error, keys } = await attempt();
    expect(String(error)).toMatch(/server "srv".*"client_id"/);
    expect(keys).toEqual([]);
  });

  it("a good answer is stored: client and tokens", async () => {
    registrationAnswer = { status: 201, body: { client_id: "c1" } };
    tokenAnswer = { status: 200, body: good };
    const { error, keys } = await attempt();
    expect(error).toBeUndefined();
    expect(keys).toEqual(["oauth:srv:client", "oauth:srv:tokens"]);
  });
});
