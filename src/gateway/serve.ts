import { describeError, type Logger, VoidError } from "../core/index.js";
import { type HttpEndpoint, type StdioSession, serveHttp, serveStdio } from "../downstream/index.js";
import {
  DEFAULT_MAX_SESSIONS,
  DEFAULT_SELF_PORT,
  emptyRegistry,
  loadRegistryWithText,
  type Registry,
} from "../registry/index.js";
import { Gateway } from "./gateway.js";
import { unknownProfileMessage } from "./reach.js";
import { loadToken } from "./token.js";

/** How long calls in progress may take to finish when the gateway is asked to stop. */
export const SHUTDOWN_GRACE_MS = 3_000;
/**
 * How long after the grace period stopping may still take before `done` resolves anyway: an
 * upstream that does not answer (a remote server's DELETE, a wedged process) must not keep the
 * gateway alive. Whatever is left then goes with the process (its exit hook SIGKILLs every
 * upstream process group).
 */
export const SHUTDOWN_MARGIN_MS = 1_000;
export const DEFAULT_HTTP_PORT = DEFAULT_SELF_PORT;

export interface HttpServeOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Require the bearer token (from VOIDMCP_TOKEN or the token file beside the registry). */
  readonly auth: boolean;
  readonly sessionIdleMs?: number;
}

export interface ServeOptions {
  /** Absolute path of the registry file (it may not exist yet). */
  readonly registryPath: string;
  readonly version: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  /** Serve MCP on this process's stdin/stdout; the client closing stdin stops the gateway. */
  readonly stdio: boolean;
  readonly http?: HttpServeOptions;
  /** Aborting stops the gateway (the CLI wires SIGINT and SIGTERM to it). */
  readonly stop: AbortSignal;
  /**
   * Serve only this profile of the registry over stdio and at `/mcp` (`/mcp/NAME` still serves
   * each profile by name). Unknown in a registry that loaded: VoidError("usage"), nothing served.
   */
  readonly profile?: string;
}

export interface Serving {
  /** Where the HTTP front listens, with how clients authenticate; undefined without HTTP. */
  readonly http: { readonly url: string; readonly auth: string } | undefined;
  readonly servers: number;
  /** Resolves once everything is stopped: the fronts, the watcher and every upstream process. */
  readonly done: Promise<void>;
}

/**
 * Serving, from start to shutdown: load the registry (a broken one serves nothing and says why
 * until it is fixed), watch it, open the fronts, and when asked to stop (or when the stdio client
 * leaves) close the fronts and give calls in progress SHUTDOWN_GRACE_MS before every upstream is
 * stopped. Upstreams start when the first client has initialized.
 */
export async function serve(options: ServeOptions): Promise<Serving> {
  const { log } = options;
  let registry: Registry;
  let text: string | undefined;
  let registryError: string | undefined;
  try {
    ({ registry, text } = await loadRegistryWithText(options.registryPath));
  } catch (error) {
    // A broken registry must not keep the IDE from connecting: serve nothing, say why, and
    // pick the file up as soon as it is fixed.
    registryError = describeError(error);
    log.error(registryError);
    registry = emptyRegistry(options.registryPath);
  }
  if (options.profile !== undefined && registryError === undefined) {
    const profiles = Object.keys(registry.settings.profiles);
    if (!profiles.includes(options.profile)) {
      throw new VoidError("usage", unknownProfileMessage(options.profile, profiles), {
        hint: `define it under "profiles" in ${registry.path}, or leave out --profile`,
      });
    }
  }
  const gateway = new Gateway({
    registry,
    log,
    version: options.version,
    env: options.env,
    heal: true,
    ...(registryError ? { registryError } : {}),
  });
  gateway.startWithFirstClient(options.http !== undefined);
  // With a broken registry at start the profile cannot be checked: its clients reach nothing and
  // are told why until the file is fixed (see Gateway.viewOf), never the whole gateway.
  const backend = options.profile === undefined ? gateway : gateway.viewOf(options.profile);
  gateway.reloader.watch(text);
  void gateway.watchSecrets();

  let endpoint: HttpEndpoint | undefined;
  let session: StdioSession | undefined;
  let http: Serving["http"];
  try {
    if (options.http) {
      const token = options.http.auth ? await loadToken(registry.path, options.env) : undefined;
      endpoint = await serveHttp(backend, {
        host: options.http.host,
        port: options.http.port,
        token: token?.value,
        ...(options.http.sessionIdleMs !== undefined ? { sessionIdleMs: options.http.sessionIdleMs } : {}),
        // Read per new session, so an edit of http.maxSessions applies without a restart.
        maxSessions: () => gateway.reloader.registry.settings.http?.maxSessions ?? DEFAULT_MAX_SESSIONS,
        loopCheck: (header) => gateway.loopCheck(header),
        profile: (name) => gateway.profileBackend(name),
        log,
      });
      http = {
        url: endpoint.url,
        auth: token
          ? `bearer token ${token.source === "env" ? "from VOIDMCP_TOKEN" : `in ${token.path} (voidmcp token)`}`
          : "no auth (--no-auth)",
      };
    }
    if (options.stdio) {
      const of = options.profile === undefined ? "" : ` (profile ${options.profile})`;
      log.info(`serving ${registry.servers.length} server(s) from ${registry.path}${of} over stdio`);
      session = await serveStdio(backend, log);
    }
  } catch (error) {
    await endpoint?.close();
    await gateway.close();
    throw error;
  }

  const stopRequested = new Promise<void>((resolve) => {
    if (options.stop.aborted) resolve();
    options.stop.addEventListener("abort", () => resolve(), { once: true });
    // With stdio, the client going away ends the gateway.
    void session?.closed.then(() => resolve());
  });
  const done = stopRequested.then(async () => {
    const closing = (async () => {
      await session?.close();
      await endpoint?.close();
      await gateway.close(SHUTDOWN_GRACE_MS);
    })();
    // A failure after the deadline has nobody left to report to.
    closing.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS);
    });
    try {
      if ((await Promise.race([closing, late])) === "late") {
        log.warn(
          `stopping took longer than ${(SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS) / 1000} s; leaving the rest to the exit`,
        );
      }
    } finally {
      clearTimeout(timer);
    }
  });
  return { http, servers: registry.servers.length, done };
}
