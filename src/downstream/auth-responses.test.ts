import { describe, expect, it } from "vitest";
import { bearerToken, oauthPathResponse, unauthorizedResponse } from "./auth-responses.js";

describe("bearerToken", () => {
  it.each([
    { header: undefined, token: undefined },
    { header: "", token: undefined },
    { header: "Bearer", token: undefined },
    { header: "Bearer   ", token: undefined },
    { header: "Basic abc", token: undefined },
    { header: "abc", token: undefined },
    { header: "Bearer abc", token: "abc" },
    { header: "bearer  abc ", token: "abc" },
  ])("$header → $token", ({ header, token }) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe("unauthorizedResponse", () => {
  it.each(["missing", "wrong"] as const)(
    "%s token: 401, a Bearer challenge and a JSON-RPC error naming `voidmcp token`",
    (problem) => {
      const answer = unauthorizedResponse(problem);
      expect(answer.status).toBe(401);
      const challenge = answer.headers["WWW-Authenticate"] ?? "";
      expect(challenge).toMatch(/^Bearer realm="voidmcp", error="invalid_token", error_description="[^"]+"$/);
      expect(challenge).toContain("voidmcp token");
      // No resource_metadata: there is no OAuth protected resource to discover.
      expect(challenge).not.toContain("resource_metadata");
      expect(answer.body).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32001, message: expect.stringContaining("`voidmcp token`") },
      });
    },
  );

  it("says which problem it was", () => {
    expect(JSON.stringify(unauthorizedResponse("missing").body)).toContain("needs Authorization: Bearer");
    expect(JSON.stringify(unauthorizedResponse("wrong").body)).toContain("not voidmcp's token");
  });
});

describe("oauthPathResponse", () => {
  it.each([
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp",
    "/.well-known/oauth-authorization-server",
    "/.well-known/oauth-authorization-server/mcp",
    "/.well-known/openid-configuration",
    "/.well-known/openid-configuration/mcp",
    "/mcp/.well-known/openid-configuration",
    "/mcp/work/.well-known/oauth-protected-resource",
  ])("discovery document %s → plain 404 with an OAuth-shaped body", (path) => {
    const answer = oauthPathResponse(path);
    expect(answer?.status).toBe(404);
    expect(answer?.headers).toEqual({});
    expect(answer?.body).toMatchObject({
      error: "not_found",
      error_description: expect.stringContaining("voidmcp token"),
    });
  });

  it.each(["/register", "/authorize", "/token"])(
    "OAuth endpoint %s → 400 with an OAuth error a client can show",
    (path) => {
      const answer = oauthPathResponse(path);
      expect(answer?.status).toBe(400);
      expect(answer?.body).toEqual({
        error: "invalid_request",
        error_description: expect.stringMatching(/^voidmcp uses a static bearer token.*`voidmcp token`/),
      });
    },
  );

  it.each([
    "/mcp",
    "/mcp/work",
    "/healthz",
    "/",
    "/.well-known/security.txt",
    "/.well-known",
    "/mcp/register",
    "/registers",
    "/tokens",
  ])("%s is not an OAuth path", (path) => {
    expect(oauthPathResponse(path)).toBeUndefined();
  });
});
