import { VoidError } from "../../core/index.js";
import { withFileLock } from "../../formats/index.js";
import type { RemoteServerSpec } from "../../registry/index.js";
import { judgeCallback } from "./callback.js";
import type { OAuthContext } from "./context.js";
import {
  type RegistrationKind,
  readClient,
  type StoredClient,
  type StoredTokens,
  writeClient,
  writeTokens,
} from "./credentials.js";
import {
  plannedPort,
  planRegistration,
  type RegistrationPlan,
  scopeToRequest,
  tokenAuthMethod,
} from "./decisions.js";
import { discover } from "./discovery.js";
import { fetchJson, oauthErrorCode } from "./http.js";
import { CALLBACK_PATH, LoopbackListener } from "./loopback.js";
import type { AuthServer } from "./metadata.js";
import { parseRegistration } from "./metadata.js";
import { openableUrl } from "./opener.js";
import { authorizationUrl, newState, pkcePair } from "./pkce.js";
import { requestTokens } from "./token-endpoint.js";

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 300_000;

export interface SignInOptions {
  /** The server's entry, expanded (its url and oauth.clientSecret hold values, not templates). */
  readonly spec: RemoteServerSpec;
  readonly context: OAuthContext;
  /**
   * Shows the authorization URL to the person: opens the browser, or prints it. Called once,
   * with a URL already checked to be https (or loopback http).
   */
  readonly present: (url: string) => Promise<void>;
  /** Progress lines for the person (stderr). */
  readonly say: (line: string) => void;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface SignInResult {
  readonly issuer: string;
  readonly registration: RegistrationKind;
  /** The registration stored from an earlier sign-in was used again. */
  readonly reusedRegistration: boolean;
  readonly redirectPort: number;
  readonly scope: string | undefined;
  readonly expiresAt: number | undefined;
  readonly refreshable: boolean;
}

interface Client {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly registration: RegistrationKind;
  readonly reused: boolean;
  readonly authMethod: StoredClient["tokenEndpointAuthMethod"];
}

/**
 * `voidmcp auth <server>`: discovery, registration (pre-registered → stored → client ID metadata
 * document → dynamic), authorization code with PKCE S256, `state`, `resource` and `iss` checks,
 * the code exchanged at the token endpoint. The redirect goes to 127.0.0.1 on the port kept with
 * the server's client, so a registration is reused; when that port is taken, a dynamically
 * registered client moves to a new port and registers again, a pre-registered one cannot (its
 * redirect URI is fixed) and the error says which port to free. Nothing is stored unless the
 * whole sign-in succeeded; then the client and the tokens are stored under the server's refresh
 * lock, so a running gateway's refresh never interleaves.
 */
export async function signIn(options: SignInOptions): Promise<SignInResult> {
  const { spec, context, say } = options;
  const server = spec.name;
  const found = await discover(spec);
  const authServer = found.authServer;
  const stored = await readClient(context.store, server);
  let plan = planRegistration(spec.oauth, stored, authServer, spec.url);
  if (plan.kind === "impossible") {
    throw new VoidError("upstream_error", `cannot sign in to "${server}": ${plan.why}`, {
      hint: `register a client with it yourself and set "oauth": { "clientId": …, "clientSecret": … } in the entry of "${server}"`,
    });
  }
  const listener = new LoopbackListener();
  try {
    const wanted = plannedPort(spec.oauth, plan, stored);
    let port: number;
    try {
      port = await listener.listen(wanted ?? 0);
    } catch (error) {
      const busy = error instanceof VoidError && error.details.portBusy === true;
      if (
        !busy ||
        plan.kind === "pre-registered" ||
        plan.kind === "metadata-document" ||
        spec.oauth?.redirectPort !== undefined
      ) {
        if (busy) {
          throw new VoidError(
            "conflict",
            `cannot sign in to "${server}": port ${wanted} on 127.0.0.1, where its redirect URI points, is taken by another program`,
            {
              hint: `stop the program listening on 127.0.0.1:${wanted} (e.g. \`lsof -i :${wanted}\`), then run \`voidmcp auth ${server}\` again`,
            },
          );
        }
        throw error;
      }
      port = await listener.listen(0);
      say(`Port ${wanted} is taken by another program; registering again with port ${port}.`);
      plan = { kind: "dynamic" };
    }
    const redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
    const scope = scopeToRequest(
      spec.oauth?.scopes,
      found.challenge.scope,
      found.protectedResource?.scopesSupported,
    );
    const client = await obtainClient(spec, plan, authServer, redirectUri, scope);
    const resource = found.protectedResource?.resource;
    const { verifier, challenge } = pkcePair();
    const state = newState();
    const url = authorizationUrl(authServer.authorizationEndpoint, {
      clientId: client.clientId,
      redirectUri,
      challenge,
      state,
      ...(scope !== undefined ? { scope } : {}),
      ...(resource !== undefined ? { resource } : {}),
    });
    if (!openableUrl(url)) {
      throw new VoidError(
        "upstream_error",
        `server "${server}": its authorization endpoint is not an https URL; nothing was stored`,
      );
    }
    const waiting = listener.wait(
      (params) =>
        judgeCallback(params, {
          state,
          issuer: authServer.issuer,
          issRequired: authServer.issParameterSupported,
        }),
      options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
      server,
      options.signal,
    );
    await options.present(url);
    const code = await waiting;
    const tokenClient = {
      clientId: client.clientId,
      ...(client.clientSecret !== undefined ? { clientSecret: client.clientSecret } : {}),
      authMethod: client.authMethod,
      tokenEndpoint: authServer.tokenEndpoint,
      ...(resource !== undefined ? { resource } : {}),
    };
    const answer = await requestTokens(server, tokenClient, {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const now = Date.now();
    const storedClient: StoredClient = {
      issuer: authServer.issuer,
      clientId: client.clientId,
      // A pre-registered secret stays in the registry (it may be ${VAR} there); an issued one is kept.
      ...(client.registration !== "pre-registered" && client.clientSecret !== undefined
        ? { clientSecret: client.clientSecret }
        : {}),
      registration: client.registration,
      tokenEndpointAuthMethod: client.authMethod,
      redirectPort: port,
      tokenEndpoint: authServer.tokenEndpoint,
      ...(authServer.revocationEndpoint !== undefined
        ? { revocationEndpoint: authServer.revocationEndpoint }
        : {}),
      ...(resource !== undefined ? { resource } : {}),
      serverUrl: spec.url,
    };
    const tokens: StoredTokens = {
      issuer: authServer.issuer,
      clientId: client.clientId,
      accessToken: answer.accessToken,
      ...(answer.refreshToken !== undefined ? { refreshToken: answer.refreshToken } : {}),
      ...(answer.expiresInS !== undefined ? { expiresAt: now + answer.expiresInS * 1000 } : {}),
      obtainedAt: now,
      ...((answer.scope ?? scope) !== undefined ? { scope: answer.scope ?? scope } : {}),
    };
    await withFileLock(
      context.lockPath(server),
      async () => {
        await writeClient(context.store, server, storedClient);
        await writeTokens(context.store, server, tokens);
      },
      { waitMs: 30_000, dirMode: 0o700, label: `the sign-in of "${server}"` },
    );
    return {
      issuer: authServer.issuer,
      registration: client.registration,
      reusedRegistration: client.reused,
      redirectPort: port,
      scope: tokens.scope,
      expiresAt: tokens.expiresAt,
      refreshable: tokens.refreshToken !== undefined,
    };
  } finally {
    await listener.close();
  }
}

async function obtainClient(
  spec: RemoteServerSpec,
  plan: Exclude<RegistrationPlan, { kind: "impossible" }>,
  authServer: AuthServer,
  redirectUri: string,
  scope: string | undefined,
): Promise<Client> {
  switch (plan.kind) {
    case "reuse": {
      const stored = plan.client;
      return {
        clientId: stored.clientId,
        ...(stored.clientSecret !== undefined ? { clientSecret: stored.clientSecret } : {}),
        registration: stored.registration,
        reused: true,
        authMethod: stored.tokenEndpointAuthMethod,
      };
    }
    case "pre-registered": {
      const secret = spec.oauth?.clientSecret;
      return {
        clientId: spec.oauth?.clientId ?? "",
        ...(secret !== undefined ? { clientSecret: secret } : {}),
        registration: "pre-registered",
        reused: false,
        authMethod: tokenAuthMethod(secret, authServer.tokenEndpointAuthMethods),
      };
    }
    case "metadata-document":
      return {
        clientId: spec.oauth?.clientMetadataUrl ?? "",
        registration: "metadata-document",
        reused: false,
        authMethod: "none",
      };
    case "dynamic":
      return register(spec.name, authServer, redirectUri, scope);
    default: {
      const exhaustive: never = plan;
      return exhaustive;
    }
  }
}

/** RFC 7591 dynamic registration of voidmcp as a native public client with this redirect URI. */
async function register(
  server: string,
  authServer: AuthServer,
  redirectUri: string,
  scope: string | undefined,
): Promise<Client> {
  const endpoint = authServer.registrationEndpoint ?? "";
  const metadata = {
    client_name: "voidmcp",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    application_type: "native",
    ...(scope !== undefined ? { scope } : {}),
  };
  const answer = await fetchJson(server, "the client registration", endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(metadata),
  });
  if (answer.status !== 200 && answer.status !== 201) {
    const code = oauthErrorCode(answer.json);
    throw new VoidError(
      "upstream_error",
      `server "${server}": the authorization server refused to register voidmcp (HTTP ${answer.status}${code ? `, ${code}` : ""}); nothing was stored`,
    );
  }
  const registration = parseRegistration({ server, what: "the client registration answer" }, answer.json);
  return {
    clientId: registration.clientId,
    ...(registration.clientSecret !== undefined ? { clientSecret: registration.clientSecret } : {}),
    registration: "dynamic",
    reused: false,
    authMethod: tokenAuthMethod(
      registration.clientSecret,
      authServer.tokenEndpointAuthMethods,
      registration.tokenEndpointAuthMethod,
    ),
  };
}
