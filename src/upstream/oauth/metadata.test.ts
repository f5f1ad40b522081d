import { describe, expect, it } from "vitest";
import { judgeCallback } from "./callback.js";
import {
  authServerMetadataUrls,
  parseBearerChallenge,
  protectedResourceUrls,
  resourceCovers,
} from "./discovery-urls.js";
import {
  parseAuthServer,
  parseProtectedResource,
  parseRegistration,
  parseTokenResponse,
} from "./metadata.js";

const SOURCE = { server: "srv", what: "the answer" };
const ISSUER = "https://as.example";
const GOOD_AS = {
  issuer: ISSUER,
  authorization_endpoint: "https://as.example/authorize",
  token_endpoint: "https://as.example/token",
  code_challenge_methods_supported: ["S256"],
};

/** Every malformed document: the error names the server and the field, and says nothing was stored. */
function expectFieldError(run: () => unknown, field: string): void {
  expect(run).toThrow(`server "srv"`);
  expect(run).toThrow(field === "" ? "is not a JSON object" : `"${field}"`);
  expect(run).toThrow("nothing was stored");
}

describe("parseAuthServer refuses malformed metadata, naming the field", () => {
  it("accepts good metadata", () => {
    expect(
      parseAuthServer(SOURCE, { ...GOOD_AS, registration_endpoint: "https://as.example/reg" }, ISSUER),
    ).toMatchObject({
      issuer: ISSUER,
      registrationEndpoint: "https://as.example/reg",
      issParameterSupported: false,
    });
  });
  it.each([
    { what: "not an object", doc: [1], field: "" },
    { what: "no issuer", doc: { ...GOOD_AS, issuer: undefined }, field: "issuer" },
    { what: "another issuer", doc: { ...GOOD_AS, issuer: "https://evil.example" }, field: "issuer" },
    {
      what: "no authorization_endpoint",
      doc: { ...GOOD_AS, authorization_endpoint: undefined },
      field: "authorization_endpoint",
    },
    {
      what: "plain-http token_endpoint",
      doc: { ...GOOD_AS, token_endpoint: "http://as.example/token" },
      field: "token_endpoint",
    },
    { what: "token_endpoint a number", doc: { ...GOOD_AS, token_endpoint: 5 }, field: "token_endpoint" },
    {
      what: "no PKCE methods",
      doc: { ...GOOD_AS, code_challenge_methods_supported: undefined },
      field: "code_challenge_methods_supported",
    },
    {
      what: "plain PKCE only",
      doc: { ...GOOD_AS, code_challenge_methods_supported: ["plain"] },
      field: "code_challenge_methods_supported",
    },
    {
      what: "PKCE methods not an array",
      doc: { ...GOOD_AS, code_challenge_methods_supported: "S256" },
      field: "code_challenge_methods_supported",
    },
    {
      what: "bad registration_endpoint",
      doc: { ...GOOD_AS, registration_endpoint: "javascript:x" },
      field: "registration_endpoint",
    },
    {
      what: "scopes_supported not strings",
      doc: { ...GOOD_AS, scopes_supported: [1] },
      field: "scopes_supported",
    },
    {
      what: "iss support not boolean",
      doc: { ...GOOD_AS, authorization_response_iss_parameter_supported: "yes" },
      field: "authorization_response_iss_parameter_supported",
    },
  ])("$what", ({ doc, field }) => {
    expectFieldError(() => parseAuthServer(SOURCE, doc, ISSUER), field);
  });
});

describe("parseProtectedResource", () => {
  const good = { resource: "https://mcp.example/mcp", authorization_servers: [ISSUER] };
  it("accepts good metadata", () => {
    expect(parseProtectedResource(SOURCE, good).authorizationServers).toEqual([ISSUER]);
  });
  it.each([
    { what: "not an object", doc: "x", field: "" },
    { what: "no resource", doc: { ...good, resource: undefined }, field: "resource" },
    {
      what: "no authorization_servers",
      doc: { ...good, authorization_servers: undefined },
      field: "authorization_servers",
    },
    {
      what: "empty authorization_servers",
      doc: { ...good, authorization_servers: [] },
      field: "authorization_servers",
    },
    {
      what: "http authorization server",
      doc: { ...good, authorization_servers: ["http://as.example"] },
      field: "authorization_servers",
    },
    {
      what: "scopes_supported a string",
      doc: { ...good, scopes_supported: "a b" },
      field: "scopes_supported",
    },
  ])("$what", ({ doc, field }) => {
    expectFieldError(() => parseProtectedResource(SOURCE, doc), field);
  });
});

describe("parseTokenResponse", () => {
  const good = {
    access_token: "at",
    token_type: "Bearer",
    expires_in: 3600,
    refresh_token: "rt",
    scope: "a",
  };
  it("accepts a good answer, token_type in any case", () => {
    expect(parseTokenResponse(SOURCE, { ...good, token_type: "bearer" })).toEqual({
      accessToken: "at",
      refreshToken: "rt",
      expiresInS: 3600,
      scope: "a",
    });
  });
  it.each([
    { what: "not JSON (undefined)", doc: undefined, field: "" },
    { what: "no access_token", doc: { ...good, access_token: undefined }, field: "access_token" },
    { what: "empty access_token", doc: { ...good, access_token: "" }, field: "access_token" },
    { what: "access_token a number", doc: { ...good, access_token: 12 }, field: "access_token" },
    { what: "no token_type", doc: { ...good, token_type: undefined }, field: "token_type" },
    { what: "token_type mac", doc: { ...good, token_type: "mac" }, field: "token_type" },
    { what: "expires_in a string", doc: { ...good, expires_in: "3600" }, field: "expires_in" },
    { what: "expires_in negative", doc: { ...good, expires_in: -1 }, field: "expires_in" },
    { what: "refresh_token a number", doc: { ...good, refresh_token: 1 }, field: "refresh_token" },
    { what: "scope an array", doc: { ...good, scope: ["a"] }, field: "scope" },
  ])("$what", ({ doc, field }) => {
    expectFieldError(() => parseTokenResponse(SOURCE, doc), field);
  });
  it("never echoes what the server sent", () => {
    expect(() => parseTokenResponse(SOURCE, { ...good, token_type: "SECRET-ish" })).not.toThrow(/SECRET/);
  });
});

describe("parseRegistration", () => {
  it.each([
    { what: "no client_id", doc: {}, field: "client_id" },
    { what: "client_id a number", doc: { client_id: 1 }, field: "client_id" },
    { what: "client_secret a number", doc: { client_id: "c", client_secret: 1 }, field: "client_secret" },
    {
      what: "unknown auth method",
      doc: { client_id: "c", token_endpoint_auth_method: "private_key_jwt" },
      field: "token_endpoint_auth_method",
    },
  ])("$what", ({ doc, field }) => {
    expectFieldError(() => parseRegistration(SOURCE, doc), field);
  });
});

describe("discovery URLs, in the order the spec gives", () => {
  it("protected resource metadata: path first, then root", () => {
    expect(protectedResourceUrls("https://h.example/a/mcp")).toEqual([
      "https://h.example/.well-known/oauth-protected-resource/a/mcp",
      "https://h.example/.well-known/oauth-protected-resource",
    ]);
    expect(protectedResourceUrls("https://h.example/")).toEqual([
      "https://h.example/.well-known/oauth-protected-resource",
    ]);
  });
  it("authorization server metadata: OAuth then OpenID, three spellings with a path", () => {
    expect(authServerMetadataUrls("https://as.example")).toEqual([
      "https://as.example/.well-known/oauth-authorization-server",
      "https://as.example/.well-known/openid-configuration",
    ]);
    expect(authServerMetadataUrls("https://as.example/tenant1")).toEqual([
      "https://as.example/.well-known/oauth-authorization-server/tenant1",
      "https://as.example/.well-known/openid-configuration/tenant1",
      "https://as.example/tenant1/.well-known/openid-configuration",
    ]);
  });
  it.each([
    { resource: "https://h.example/mcp", url: "https://h.example/mcp", ok: true },
    { resource: "https://h.example/", url: "https://h.example/mcp", ok: true },
    { resource: "https://h.example/other", url: "https://h.example/mcp", ok: false },
    { resource: "https://evil.example/mcp", url: "https://h.example/mcp", ok: false },
  ])("resource $resource covers $url: $ok", ({ resource, url, ok }) => {
    expect(resourceCovers(resource, url)).toBe(ok);
  });
});

describe("parseBearerChallenge", () => {
  it.each([
    { header: null, expected: {} },
    { header: 'Basic realm="x"', expected: {} },
    {
      header: 'Bearer resource_metadata="https://h/.well-known/oauth-protected-resource", scope="a b"',
      expected: { resourceMetadata: "https://h/.well-known/oauth-protected-resource", scope: "a b" },
    },
    {
      header: 'Bearer error="invalid_token", scope=files',
      expected: { error: "invalid_token", scope: "files" },
    },
    {
      header: 'Basic realm="x", Bearer scope="a", DPoP algs="ES256"',
      expected: { scope: "a" },
    },
  ])("$header", ({ header, expected }) => {
    expect(parseBearerChallenge(header)).toEqual(expected);
  });
});

describe("judgeCallback: state, iss, error, code", () => {
  const expected = { state: "s1", issuer: ISSUER, issRequired: false };
  const q = (query: string) => new URLSearchParams(query);
  it.each([
    { query: "code=c&state=s1", kind: "code" },
    { query: "code=c&state=other", kind: "ignore" },
    { query: "code=c", kind: "ignore" },
    { query: `code=c&state=s1&iss=${encodeURIComponent(ISSUER)}`, kind: "code" },
    { query: "code=c&state=s1&iss=https%3A%2F%2Fevil.example", kind: "fail" },
    { query: "error=access_denied&state=s1", kind: "fail" },
    { query: "state=s1", kind: "fail" },
  ])("$query → $kind", ({ query, kind }) => {
    expect(judgeCallback(q(query), expected).kind).toBe(kind);
  });
  it("iss is required when the server promised it", () => {
    expect(judgeCallback(q("code=c&state=s1"), { ...expected, issRequired: true }).kind).toBe("fail");
  });
});
