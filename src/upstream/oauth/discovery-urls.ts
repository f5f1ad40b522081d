/**
 * Pure: where metadata is looked for (MCP authorization spec 2025-11-25, RFC 9728, RFC 8414,
 * OpenID Connect Discovery), in the order it is tried, and what a 401's challenge says.
 */

/** Protected resource metadata: the path-specific well-known URL first, then the root one. */
export function protectedResourceUrls(serverUrl: string): string[] {
  const url = new URL(serverUrl);
  const path = url.pathname.replace(/\/+$/, "");
  const root = `${url.origin}/.well-known/oauth-protected-resource`;
  return path === "" ? [root] : [`${root}${path}`, root];
}

/**
 * Authorization server metadata for `issuer`: with a path, RFC 8414's path insertion, OpenID's
 * path insertion, then OpenID's path appending; without one, RFC 8414 then OpenID.
 */
export function authServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "") {
    return [
      `${url.origin}/.well-known/oauth-authorization-server`,
      `${url.origin}/.well-known/openid-configuration`,
    ];
  }
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

export interface Challenge {
  readonly resourceMetadata?: string;
  readonly scope?: string;
  readonly error?: string;
}

/**
 * The Bearer challenge of a `WWW-Authenticate` header (RFC 6750 §3): its `resource_metadata`,
 * `scope` and `error` parameters. Other schemes, and parameters it does not know, are skipped.
 */
export function parseBearerChallenge(header: string | null | undefined): Challenge {
  if (!header) return {};
  const match = /(?:^|,\s*)Bearer(?:\s+|$)/i.exec(header);
  if (!match) return {};
  const params: Record<string, string> = {};
  const rest = header.slice(match.index + match[0].length);
  const param = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;
  let at = 0;
  for (;;) {
    param.lastIndex = at;
    const found = param.exec(rest);
    if (!found) break;
    const name = (found[1] as string).toLowerCase();
    params[name] ??= found[2] !== undefined ? found[2].replace(/\\(.)/g, "$1") : (found[3] ?? "");
    at = param.lastIndex;
    // A new scheme starts ("…, DPoP realm=…"): the Bearer challenge ends here.
    if (/^\s*[A-Za-z][A-Za-z0-9_-]*\s+[A-Za-z0-9_-]+=/.test(rest.slice(at))) break;
  }
  return {
    ...(params.resource_metadata ? { resourceMetadata: params.resource_metadata } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
    ...(params.error ? { error: params.error } : {}),
  };
}

/**
 * Whether protected resource metadata's `resource` may stand for `serverUrl` (RFC 9728 §3.3):
 * same origin, and the server's path equal to or below the resource's path.
 */
export function resourceCovers(resource: string, serverUrl: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(resource);
    b = new URL(serverUrl);
  } catch {
    return false;
  }
  if (a.origin !== b.origin) return false;
  const base = a.pathname.endsWith("/") ? a.pathname : `${a.pathname}/`;
  const path = b.pathname.endsWith("/") ? b.pathname : `${b.pathname}/`;
  return path.startsWith(base);
}
