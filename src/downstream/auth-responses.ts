/**
 * What the HTTP front answers about authentication, shaped for MCP clients that implement OAuth
 * discovery (the SDK's `auth()`, Claude Code, mcp-remote). voidmcp uses one static bearer token,
 * so every answer has to lead such a client to "needs a token" instead of a parse error:
 *
 * - a request to /mcp without the right token: 401 with an RFC 6750 `WWW-Authenticate: Bearer`
 *   challenge (no `resource_metadata`, since there is none) and a JSON-RPC error body;
 * - the discovery documents (protected resource metadata, authorization server metadata, OpenID
 *   configuration, under any path suffix): a plain 404, which clients read as "this server has
 *   no OAuth";
 * - the default OAuth endpoints that clients fall back to after discovery found nothing
 *   (`/register`, `/authorize`, `/token`): an OAuth error object (RFC 6749 §5.2 / RFC 7591 §3.2.2)
 *   whose `error_description` is what the client shows its user. A 404 or a non-OAuth body here
 *   is what produced "Invalid OAuth error response: ZodError/SyntaxError" in Claude Code.
 *
 * Every function here is pure: it decides a response, the listener writes it.
 */

export interface AuthResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialised as JSON. */
  readonly body: unknown;
}

/** Where the user finds the token, in words a client can show as is. */
export const TOKEN_WHERE =
  "run `voidmcp token` on the machine running voidmcp to print it (or set VOIDMCP_TOKEN for both sides)";

/** The JSON-RPC code of the 401 body (the SDK servers' "unauthorized"). */
const UNAUTHORIZED_RPC_CODE = -32001;

export type TokenProblem = "missing" | "wrong";

/** The bearer token sent, or undefined when there is no `Authorization: Bearer …` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  return token === undefined || token === "" ? undefined : token;
}

/**
 * The 401 for a request without the right token. `error="invalid_token"` is sent in both cases
 * (RFC 6750 would leave it out for a missing token) because clients show `error_description`
 * only next to an error code, and the description is the one thing the user needs.
 */
export function unauthorizedResponse(problem: TokenProblem): AuthResponse {
  const what =
    problem === "missing"
      ? "voidmcp needs Authorization: Bearer <token>"
      : "the bearer token is not voidmcp's token";
  const description = `${what}; ${TOKEN_WHERE}`;
  return {
    status: 401,
    headers: {
      "WWW-Authenticate": `Bearer realm="voidmcp", error="invalid_token", error_description="${quotable(description)}"`,
    },
    body: {
      jsonrpc: "2.0",
      error: { code: UNAUTHORIZED_RPC_CODE, message: `Unauthorized: ${description}` },
      id: null,
    },
  };
}

/** The well-known documents of OAuth discovery (each may carry a path suffix). */
const DISCOVERY_DOCUMENTS = [
  "oauth-protected-resource",
  "oauth-authorization-server",
  "openid-configuration",
];

/** The default endpoints of an authorization server at the origin's root (MCP 2025-03-26 fallback). */
const OAUTH_ENDPOINTS = ["/register", "/authorize", "/token"];

/**
 * The answer for an OAuth path, or undefined when `pathname` is not one. Discovery documents are
 * recognised anywhere in the path (`/.well-known/openid-configuration/mcp` and
 * `/mcp/.well-known/openid-configuration` are both spellings clients use).
 */
export function oauthPathResponse(pathname: string): AuthResponse | undefined {
  const segments = pathname.split("/");
  const wellKnown = segments.indexOf(".well-known");
  if (wellKnown !== -1 && DISCOVERY_DOCUMENTS.includes(segments[wellKnown + 1] ?? "")) {
    return {
      status: 404,
      headers: {},
      body: {
        error: "not_found",
        error_description: `voidmcp does not use OAuth: it needs a static bearer token; ${TOKEN_WHERE}`,
      },
    };
  }
  if (OAUTH_ENDPOINTS.includes(pathname)) {
    return {
      status: 400,
      headers: {},
      body: {
        error: "invalid_request",
        error_description: `voidmcp uses a static bearer token, not OAuth: ${TOKEN_WHERE}, and configure your client to send it as Authorization: Bearer <token>`,
      },
    };
  }
  return undefined;
}

/** A value for a quoted-string of an HTTP header parameter: no quotes, backslashes or controls. */
function quotable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/["\\\u0000-\u001f\u007f]/g, "'");
}
