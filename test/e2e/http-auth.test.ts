/**
 * How the HTTP front answers clients that have no token, or that try OAuth first (the SDK's own
 * `auth()`, Claude Code, mcp-remote): a 401 that names the token, plain 404s for the discovery
 * documents, OAuth-shaped errors at the fallback endpoints, so a real SDK client ends with a
 * message that says "bearer token" and `voidmcp token`, never a parse error. The built CLI on
 * 127.0.0.1, reached with fetch and with the SDK's Streamable HTTP client.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  Client,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthTokens,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureEntry, type TempDir, tempRegistry } from "./harness.js";
import { type HttpGateway, INITIALIZE, mcpHeaders, startHttpGateway } from "./http-support.js";

let temp: TempDir;
let gateway: HttpGateway;
let token: string;

beforeAll(async () => {
  temp = await tempRegistry({ mcpServers: { fixture: fixtureEntry() } });
  const home = join(temp.dir, "home");
  await mkdir(home);
  gateway = await startHttpGateway(temp.registry, {
    env: { HOME: home, XDG_STATE_HOME: join(temp.dir, "state") },
  });
  token = (await readFile(join(temp.dir, "token"), "utf8")).trim();
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await temp?.cleanup();
});

/** An interactive OAuth client as an IDE would have one: records where it would send the browser. */
class RecordingProvider implements OAuthClientProvider {
  redirectedTo: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  get redirectUrl(): string {
    return "http://127.0.0.1:9/callback";
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "e2e", redirect_uris: [this.redirectUrl] };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens(): OAuthTokens | undefined {
    return undefined;
  }
  saveTokens() {}
  redirectToAuthorization(url: URL) {
    this.redirectedTo = url;
  }
  saveCodeVerifier() {}
  codeVerifier() {
    return "verifier";
  }
}

async function connectError(transport: StreamableHTTPClientTransport): Promise<Error> {
  const client = new Client({ name: "auth-e2e", version: "1.0.0" });
  try {
    await client.connect(transport);
  } catch (error) {
    return error as Error;
  } finally {
    await client.close().catch(() => {});
  }
  throw new Error("connect succeeded without a token");
}

describe("serve --http without a token", () => {
  it("answers 401 with a Bearer challenge and a body that says where the token is", async () => {
    for (const [what, authorization] of [
      ["missing", undefined],
      ["wrong", "Bearer not-the-token"],
    ] as const) {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { ...mcpHeaders(undefined), ...(authorization ? { authorization } : {}) },
        body: INITIALIZE,
      });
      expect(response.status, what).toBe(401);
      expect(response.headers.get("www-authenticate"), what).toMatch(
        /^Bearer realm="voidmcp", error="invalid_token", error_description="[^"]*voidmcp token[^"]*"$/,
      );
      const body = (await response.json()) as { error?: { message?: string } };
      expect(body.error?.message, what).toContain("`voidmcp token`");
    }
  });

  it("answers the OAuth discovery documents with a plain 404, without asking for a token", async () => {
    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-authorization-server",
      "/.well-known/oauth-authorization-server/mcp",
      "/.well-known/openid-configuration",
      "/mcp/.well-known/openid-configuration",
    ]) {
      const response = await fetch(`${gateway.base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("www-authenticate"), path).toBeNull();
      expect(await response.json(), path).toMatchObject({ error: "not_found" });
    }
  });

  it("answers the OAuth fallback endpoints with an OAuth error whose description names the token", async () => {
    for (const [method, path] of [
      ["POST", "/register"],
      ["GET", "/authorize"],
      ["POST", "/token"],
    ] as const) {
      const response = await fetch(`${gateway.base}${path}`, {
        method,
        ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: "{}" } : {}),
      });
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body, path).toEqual({ error: "invalid_request", error_description: expect.any(String) });
      expect(body.error_description, path).toMatch(/static bearer token.*`voidmcp token`/);
    }
  });

  it("an SDK client without auth fails with the 401's message", async () => {
    const error = await connectError(new StreamableHTTPClientTransport(new URL(gateway.url)));
    expect(error.message).toContain("Unauthorized");
    expect(error.message).toContain("voidmcp token");
  });

  it("an SDK client with an OAuth provider ends with the token hint, not a parse error, and opens no browser", async () => {
    const provider = new RecordingProvider();
    const error = await connectError(
      new StreamableHTTPClientTransport(new URL(gateway.url), { authProvider: provider }),
    );
    expect(error.message).toContain("voidmcp token");
    expect(error.message).toContain("static bearer token");
    expect(error.message).not.toMatch(/ZodError|SyntaxError|Invalid OAuth error response/);
    expect(provider.redirectedTo).toBeUndefined();
  });

  it("the right token still connects", async () => {
    const client = new Client({ name: "auth-e2e", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(gateway.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    try {
      expect(await client.ping()).toEqual({});
    } finally {
      await transport.terminateSession().catch(() => {});
      await client.close();
    }
  });
});
