import { VoidError } from "../../core/index.js";
import type { TokenEndpointAuthMethod } from "./credentials.js";

/**
 * Pure checks of everything an authorization server or protected resource sends back. Each one
 * takes parsed JSON and either returns typed values or throws a VoidError naming the server, the
 * document and the field; nothing is stored before they pass. Values sent by the server are
 * never echoed (they may be long, hostile, or secret).
 */

/** What the protected resource says about itself (RFC 9728). */
export interface ProtectedResource {
  readonly resource: string;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported?: readonly string[];
}

/** What voidmcp uses of an authorization server's metadata (RFC 8414 / OpenID discovery). */
export interface AuthServer {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly registrationEndpoint?: string;
  readonly revocationEndpoint?: string;
  readonly scopesSupported?: readonly string[];
  readonly tokenEndpointAuthMethods?: readonly string[];
  readonly clientIdMetadataDocumentSupported: boolean;
  /** RFC 9207: the server promises `iss` on every authorization response. */
  readonly issParameterSupported: boolean;
}

export interface TokenResponse {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresInS?: number;
  readonly scope?: string;
}

export interface Registration {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
}

/** Where a document came from, for messages: `the authorization server's metadata (URL)`. */
export interface Source {
  readonly server: string;
  readonly what: string;
}

function fail(source: Source, field: string, problem: string): VoidError {
  return new VoidError(
    "upstream_error",
    `server "${source.server}": ${source.what} ${field === "" ? "" : `has no valid "${field}": `}${problem}; nothing was stored`,
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function object(source: Source, value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw fail(source, "", "is not a JSON object");
  return value;
}

/** https, or http to this machine (local development): where tokens may be sent. */
export function isSecureEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]" || hostname === "::1";
}

function endpoint(source: Source, doc: Record<string, unknown>, field: string): string {
  const value = doc[field];
  if (typeof value !== "string" || value === "") throw fail(source, field, "expected an https URL");
  if (!isSecureEndpoint(value)) throw fail(source, field, "expected an https URL (or http on 127.0.0.1)");
  return value;
}

function optionalEndpoint(source: Source, doc: Record<string, unknown>, field: string): string | undefined {
  return doc[field] === undefined ? undefined : endpoint(source, doc, field);
}

function optionalStrings(source: Source, doc: Record<string, unknown>, field: string): string[] | undefined {
  const value = doc[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw fail(source, field, "expected an array of strings");
  }
  return value as string[];
}

function optionalString(source: Source, doc: Record<string, unknown>, field: string): string | undefined {
  const value = doc[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw fail(source, field, "expected a string");
  return value;
}

function optionalBoolean(source: Source, doc: Record<string, unknown>, field: string): boolean {
  const value = doc[field];
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw fail(source, field, "expected true or false");
  return value;
}

export function parseProtectedResource(source: Source, value: unknown): ProtectedResource {
  const doc = object(source, value);
  const resource = doc.resource;
  if (typeof resource !== "string" || !isUrl(resource)) throw fail(source, "resource", "expected a URL");
  const servers = doc.authorization_servers;
  if (
    !Array.isArray(servers) ||
    servers.length === 0 ||
    !servers.every((item) => typeof item === "string" && isSecureEndpoint(item))
  ) {
    throw fail(source, "authorization_servers", "expected a non-empty array of https URLs");
  }
  const scopesSupported = optionalStrings(source, doc, "scopes_supported");
  return {
    resource,
    authorizationServers: servers as string[],
    ...(scopesSupported ? { scopesSupported } : {}),
  };
}

/**
 * Authorization server metadata fetched for `expectedIssuer`. Its `issuer` must be that issuer
 * exactly (RFC 8414 §3.3: otherwise another server could pose as this one), and it must support
 * PKCE with S256 (the MCP authorization spec: a client must refuse one that does not).
 */
export function parseAuthServer(source: Source, value: unknown, expectedIssuer: string): AuthServer {
  const doc = object(source, value);
  const issuer = doc.issuer;
  if (typeof issuer !== "string" || issuer === "") throw fail(source, "issuer", "expected a URL");
  if (stripSlash(issuer) !== stripSlash(expectedIssuer)) {
    throw fail(
      source,
      "issuer",
      `it names another issuer than ${expectedIssuer}, the one it was fetched for`,
    );
  }
  const authorizationEndpoint = endpoint(source, doc, "authorization_endpoint");
  const tokenEndpoint = endpoint(source, doc, "token_endpoint");
  const methods = optionalStrings(source, doc, "code_challenge_methods_supported");
  if (methods === undefined || !methods.includes("S256")) {
    throw fail(
      source,
      "code_challenge_methods_supported",
      'it does not list "S256": the server does not support PKCE, and voidmcp will not sign in without it',
    );
  }
  const registrationEndpoint = optionalEndpoint(source, doc, "registration_endpoint");
  const revocationEndpoint = optionalEndpoint(source, doc, "revocation_endpoint");
  const scopesSupported = optionalStrings(source, doc, "scopes_supported");
  const tokenEndpointAuthMethods = optionalStrings(source, doc, "token_endpoint_auth_methods_supported");
  return {
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    ...(registrationEndpoint ? { registrationEndpoint } : {}),
    ...(revocationEndpoint ? { revocationEndpoint } : {}),
    ...(scopesSupported ? { scopesSupported } : {}),
    ...(tokenEndpointAuthMethods ? { tokenEndpointAuthMethods } : {}),
    clientIdMetadataDocumentSupported: optionalBoolean(source, doc, "client_id_metadata_document_supported"),
    issParameterSupported: optionalBoolean(source, doc, "authorization_response_iss_parameter_supported"),
  };
}

/** A successful token response (RFC 6749 §5.1); an error response is handled before this. */
export function parseTokenResponse(source: Source, value: unknown): TokenResponse {
  const doc = object(source, value);
  const accessToken = doc.access_token;
  if (typeof accessToken !== "string" || accessToken === "") {
    throw fail(source, "access_token", "expected a non-empty string");
  }
  const tokenType = doc.token_type;
  if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") {
    throw fail(source, "token_type", 'expected "Bearer"');
  }
  const expiresIn = doc.expires_in;
  if (
    expiresIn !== undefined &&
    (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn <= 0)
  ) {
    throw fail(source, "expires_in", "expected a positive number of seconds");
  }
  const refreshToken = doc.refresh_token;
  if (refreshToken !== undefined && (typeof refreshToken !== "string" || refreshToken === "")) {
    throw fail(source, "refresh_token", "expected a non-empty string");
  }
  const scope = optionalString(source, doc, "scope");
  return {
    accessToken,
    ...(typeof refreshToken === "string" ? { refreshToken } : {}),
    ...(typeof expiresIn === "number" ? { expiresInS: expiresIn } : {}),
    ...(scope !== undefined ? { scope } : {}),
  };
}

const AUTH_METHODS: readonly string[] = ["client_secret_basic", "client_secret_post", "none"];

/** A dynamic client registration response (RFC 7591 §3.2.1). */
export function parseRegistration(source: Source, value: unknown): Registration {
  const doc = object(source, value);
  const clientId = doc.client_id;
  if (typeof clientId !== "string" || clientId === "")
    throw fail(source, "client_id", "expected a non-empty string");
  const clientSecret = optionalString(source, doc, "client_secret");
  const method = optionalString(source, doc, "token_endpoint_auth_method");
  if (method !== undefined && !AUTH_METHODS.includes(method)) {
    throw fail(source, "token_endpoint_auth_method", `expected one of ${AUTH_METHODS.join(", ")}`);
  }
  return {
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(method !== undefined ? { tokenEndpointAuthMethod: method as TokenEndpointAuthMethod } : {}),
  };
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function stripSlash(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}
