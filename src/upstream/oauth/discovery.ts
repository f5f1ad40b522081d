import { VoidError } from "../../core/index.js";
import type { RemoteServerSpec } from "../../registry/index.js";
import {
  authServerMetadataUrls,
  type Challenge,
  parseBearerChallenge,
  protectedResourceUrls,
  resourceCovers,
} from "./discovery-urls.js";
import { fetchJson } from "./http.js";
import {
  type AuthServer,
  type ProtectedResource,
  parseAuthServer,
  parseProtectedResource,
} from "./metadata.js";

export interface Discovery {
  readonly challenge: Challenge;
  /** Undefined for a server of the 2025-03-26 era, which names no authorization server. */
  readonly protectedResource?: ProtectedResource;
  readonly authServer: AuthServer;
}

/**
 * Finds a remote server's authorization server, as the MCP authorization spec says: an
 * unauthenticated request whose 401 may point at the protected resource metadata, else the
 * well-known URLs; then the authorization server's metadata (RFC 8414, then OpenID discovery).
 * A server with no protected resource metadata is taken to be its own authorization server
 * (2025-03-26), with the default endpoints when it publishes no metadata either.
 */
export async function discover(spec: RemoteServerSpec): Promise<Discovery> {
  const server = spec.name;
  const challenge = await probe(spec);
  const candidates = [
    ...(challenge.resourceMetadata !== undefined ? [challenge.resourceMetadata] : []),
    ...protectedResourceUrls(spec.url),
  ];
  let protectedResource: ProtectedResource | undefined;
  for (const url of candidates) {
    const answer = await fetchJson(server, "its protected resource metadata", url);
    if (answer.status !== 200) continue;
    protectedResource = parseProtectedResource(
      { server, what: `the protected resource metadata (${url})` },
      answer.json,
    );
    break;
  }
  if (protectedResource !== undefined && !resourceCovers(protectedResource.resource, spec.url)) {
    throw new VoidError(
      "upstream_error",
      `server "${server}": the protected resource metadata has no valid "resource": it names another resource than ${spec.url}; nothing was stored`,
    );
  }
  const issuer = protectedResource?.authorizationServers[0] ?? new URL(spec.url).origin;
  for (const url of authServerMetadataUrls(issuer)) {
    const answer = await fetchJson(server, "its authorization server's metadata", url);
    if (answer.status !== 200) continue;
    const authServer = parseAuthServer(
      { server, what: `the authorization server's metadata (${url})` },
      answer.json,
      issuer,
    );
    return { challenge, ...(protectedResource ? { protectedResource } : {}), authServer };
  }
  if (protectedResource === undefined) {
    if (challenge.status !== 401) {
      throw new VoidError(
        "usage",
        `server "${server}" does not ask for sign-in (it answered HTTP ${challenge.status})`,
        {
          hint: "nothing to do: voidmcp connects to it as it is",
        },
      );
    }
    // 2025-03-26: no metadata at all means the default endpoints at the server's origin.
    const origin = new URL(spec.url).origin;
    return {
      challenge,
      authServer: {
        issuer: origin,
        authorizationEndpoint: `${origin}/authorize`,
        tokenEndpoint: `${origin}/token`,
        registrationEndpoint: `${origin}/register`,
        clientIdMetadataDocumentSupported: false,
        issParameterSupported: false,
      },
    };
  }
  throw new VoidError(
    "upstream_error",
    `server "${server}": its authorization server ${issuer} publishes no metadata (tried ${authServerMetadataUrls(issuer).join(", ")})`,
  );
}

/** An unauthenticated request to the server: its status and Bearer challenge. */
async function probe(spec: RemoteServerSpec): Promise<Challenge & { readonly status: number }> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.headers))
    if (key.toLowerCase() !== "authorization") headers[key] = value;
  const init: RequestInit =
    spec.transport === "sse"
      ? { method: "GET", headers: { ...headers, Accept: "text/event-stream" } }
      : {
          method: "POST",
          headers: {
            ...headers,
            "Content-Type": "application/json",
            Accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "initialize",
            params: {
              protocolVersion: "2025-11-25",
              capabilities: {},
              clientInfo: { name: "voidmcp", version: "auth" },
            },
          }),
        };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const response = await fetch(spec.url, { ...init, signal: controller.signal });
    const challenge = parseBearerChallenge(response.headers.get("www-authenticate"));
    return { ...challenge, status: response.status };
  } catch (error) {
    throw new VoidError(
      "upstream_unavailable",
      `server "${spec.name}": cannot reach ${spec.url} to sign in`,
      {
        cause: error,
      },
    );
  } finally {
    // Not reading the body (an SSE stream may never end): abort it.
    clearTimeout(timer);
    controller.abort();
  }
}
