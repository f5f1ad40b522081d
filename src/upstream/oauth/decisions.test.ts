import { describe, expect, it } from "vitest";
import type { StoredClient, StoredTokens } from "./credentials.js";
import { plannedPort, planRegistration, refreshDue, scopeToRequest, tokenAuthMethod } from "./decisions.js";
import type { AuthServer } from "./metadata.js";

const AS: AuthServer = {
  issuer: "https://as.example",
  authorizationEndpoint: "https://as.example/authorize",
  tokenEndpoint: "https://as.example/token",
  registrationEndpoint: "https://as.example/register",
  clientIdMetadataDocumentSupported: false,
  issParameterSupported: false,
};
const URL_ = "https://mcp.example/mcp";
const STORED: StoredClient = {
  issuer: AS.issuer,
  clientId: "dyn-1",
  registration: "dynamic",
  tokenEndpointAuthMethod: "none",
  redirectPort: 43123,
  tokenEndpoint: AS.tokenEndpoint,
  serverUrl: URL_,
};
const CIMD = "https://me.example/voidmcp.json";

describe("planRegistration: pre-registered → stored → client ID metadata document → dynamic", () => {
  const cases: Array<{
    what: string;
    settings?: Parameters<typeof planRegistration>[0];
    stored?: StoredClient;
    server?: Partial<AuthServer>;
    kind: string;
  }> = [
    {
      what: "a clientId in the entry wins over everything",
      settings: { clientId: "mine" },
      stored: STORED,
      kind: "pre-registered",
    },
    { what: "a stored dynamic client for the same issuer and URL is reused", stored: STORED, kind: "reuse" },
    {
      what: "a stored client of another issuer is not",
      stored: { ...STORED, issuer: "https://other.example" },
      kind: "dynamic",
    },
    {
      what: "a stored client of another server URL is not",
      stored: { ...STORED, serverUrl: "https://x.example/mcp" },
      kind: "dynamic",
    },
    {
      what: "a metadata document when the entry names one and the server supports them",
      settings: { clientMetadataUrl: CIMD },
      server: { clientIdMetadataDocumentSupported: true },
      kind: "metadata-document",
    },
    {
      what: "a metadata document the server does not support: dynamic",
      settings: { clientMetadataUrl: CIMD },
      kind: "dynamic",
    },
    {
      what: "no registration endpoint and nothing else: impossible",
      server: { registrationEndpoint: undefined },
      kind: "impossible",
    },
    {
      what: "a stored metadata-document client is reused while the entry names the same URL",
      settings: { clientMetadataUrl: CIMD },
      stored: { ...STORED, clientId: CIMD, registration: "metadata-document" },
      server: { clientIdMetadataDocumentSupported: true },
      kind: "reuse",
    },
  ];
  it.each(cases)("$what", ({ settings, stored, server, kind }) => {
    const as = { ...AS, ...server } as AuthServer;
    if (server && "registrationEndpoint" in server && server.registrationEndpoint === undefined) {
      delete (as as { registrationEndpoint?: string }).registrationEndpoint;
    }
    expect(planRegistration(settings, stored, as, URL_).kind).toBe(kind);
  });
});

describe("plannedPort: the port kept with the client is used again", () => {
  it.each([
    { what: "reuse: the stored port", plan: { kind: "reuse", client: STORED } as const, expected: 43123 },
    {
      what: "a new dynamic registration: any free port",
      plan: { kind: "dynamic" } as const,
      expected: undefined,
    },
    {
      what: "pre-registered with redirectPort: that port",
      settings: { clientId: "c", redirectPort: 8765 },
      plan: { kind: "pre-registered" } as const,
      expected: 8765,
    },
    {
      what: "pre-registered without one: the port stored for that same client",
      settings: { clientId: "c" },
      stored: { ...STORED, clientId: "c", registration: "pre-registered" as const },
      plan: { kind: "pre-registered" } as const,
      expected: 43123,
    },
    {
      what: "pre-registered, stored for another client id: any free port",
      settings: { clientId: "c" },
      stored: { ...STORED, clientId: "d", registration: "pre-registered" as const },
      plan: { kind: "pre-registered" } as const,
      expected: undefined,
    },
  ])("$what", ({ settings, plan, stored, expected }) => {
    expect(plannedPort(settings, plan, stored)).toBe(expected);
  });
});

describe("scopeToRequest", () => {
  it.each([
    { configured: ["a", "b"], challenged: "c", supported: ["d"], expected: "a b" },
    { configured: [], challenged: "c", supported: ["d"], expected: "c" },
    { configured: undefined, challenged: undefined, supported: ["d", "e"], expected: "d e" },
    { configured: undefined, challenged: " ", supported: undefined, expected: undefined },
  ])(
    "$configured / $challenged / $supported → $expected",
    ({ configured, challenged, supported, expected }) => {
      expect(scopeToRequest(configured, challenged, supported)).toBe(expected);
    },
  );
});

describe("tokenAuthMethod", () => {
  it.each([
    { secret: undefined, supported: ["client_secret_basic"], expected: "none" },
    { secret: "s", supported: undefined, expected: "client_secret_basic" },
    { secret: "s", supported: ["client_secret_post"], expected: "client_secret_post" },
    {
      secret: "s",
      supported: ["client_secret_post", "client_secret_basic"],
      expected: "client_secret_basic",
    },
    {
      secret: "s",
      supported: ["client_secret_basic"],
      registered: "client_secret_post" as const,
      expected: "client_secret_post",
    },
  ])("secret $secret, supported $supported → $expected", ({ secret, supported, registered, expected }) => {
    expect(tokenAuthMethod(secret, supported, registered)).toBe(expected);
  });
});

describe("refreshDue: before expiry, by a minute or a third of a short lifetime", () => {
  const at = (obtainedAt: number, expiresAt?: number): StoredTokens => ({
    issuer: "i",
    clientId: "c",
    accessToken: "a",
    obtainedAt,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });
  const HOUR = 3_600_000;
  it.each([
    { what: "no expiry: used until refused", tokens: at(0), now: 10 * HOUR, due: false },
    { what: "an hour token, fresh", tokens: at(0, HOUR), now: 10_000, due: false },
    { what: "an hour token, 61 s left", tokens: at(0, HOUR), now: HOUR - 61_000, due: false },
    { what: "an hour token, 59 s left", tokens: at(0, HOUR), now: HOUR - 59_000, due: true },
    { what: "expired", tokens: at(0, HOUR), now: HOUR + 1, due: true },
    { what: "a 3 s token, 2.5 s left", tokens: at(0, 3_000), now: 500, due: false },
    { what: "a 3 s token, 0.9 s left", tokens: at(0, 3_000), now: 2_100, due: true },
  ])("$what", ({ tokens, now, due }) => {
    expect(refreshDue(tokens, now)).toBe(due);
  });
});
