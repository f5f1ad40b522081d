import {
  type CodeModeLimits,
  closeCodeMode,
  type ExecutionResult,
  limitsFrom,
  prewarm,
} from "../codemode/index.js";
import { type Logger, VoidError } from "../core/index.js";
import type { ClientChannel, GatewayBackend, ListKind, RequestContext } from "../downstream/index.js";
import type { Registry } from "../registry/index.js";
import { type CredentialStore, openCredentialStore, openedOnFirstUse } from "../secrets/index.js";
import type {
  CallToolResult,
  Catalogue,
  CompleteRequestParams,
  CompleteResult,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  Tool,
} from "../upstream/index.js";
import { CHAIN_HEADER, type OAuthContext, oauthContext } from "../upstream/index.js";
import { AuditLog, auditLogPath } from "./audit-log.js";
import {
  executionToolResult,
  runCode,
  searchCatalogue,
  searchRequest,
  serverSummaries,
} from "./code-mode.js";
import { decideExposure, type ExposureDecision } from "./exposure.js";
import { LoopGuard } from "./loop-guard.js";
import { isMetaTool, metaTools } from "./meta-tools.js";
import { type Reach, reachOf, unknownProfileMessage } from "./reach.js";
import { ClientRelay } from "./relay.js";
import { Reloader } from "./reloader.js";
import {
  DEFAULT_HANDLE_BYTES,
  DEFAULT_HANDLE_TTL_MS,
  RESULT_URI_PREFIX,
  type ResultHandle,
  ResultStore,
} from "./result-store.js";
import { Router } from "./router.js";
import { SecretSource } from "./secret-source.js";
import { type ServerReport, Upstreams } from "./upstreams.js";

export interface GatewayOptions {
  readonly registry: Registry;
  readonly log: Logger;
  readonly version: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long an upstream may take to answer `initialize` before it is marked failed. */
  readonly connectTimeoutMs?: number;
  /** Why the registry file could not be used, when the gateway runs without it. */
  readonly registryError?: string;
  /**
   * Restart servers that stop, ping ready ones, stop idle lazy ones: what a long-running
   * `serve` wants. One-shot commands leave it off and report the first failure as it is.
   */
  readonly heal?: boolean;
  /** The audit log file; default `auditLogPath(env)` (the state directory). */
  readonly auditPath?: string;
  /**
   * Opens the credential store that `${secret:NAME}` reads from; called on first need only.
   * Default: openCredentialStore for `env` (VOIDMCP_CREDENTIAL_STORE).
   */
  readonly openCredentials?: () => Promise<CredentialStore>;
  /** Where remote servers' OAuth credentials live; default: the credential store of `env`. */
  readonly oauth?: OAuthContext;
}

export interface GatewayReport {
  readonly registryPath: string;
  readonly registryExists: boolean;
  readonly registryError: string | undefined;
  /** Why no server was started: this gateway was started inside a loop of voidmcp gateways. */
  readonly loopError: string | undefined;
  /** The profile the asking client is served, if any, and why it reaches nothing if so. */
  readonly profile?: { readonly name: string; readonly error?: string };
  readonly servers: readonly ServerReport[];
  readonly collisions: Catalogue["collisions"];
  /** The connected clients: who each said it is, its profile, and which exposure it got and why. */
  readonly clients: readonly ClientReport[];
}

export interface ClientReport {
  readonly id: string;
  /** clientInfo.name and version, as the client gave them at initialize. */
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly profile: string | undefined;
  /** Its last tools/list: upstream tools listed one by one (direct) or behind the meta-tools (code). */
  readonly exposure: "direct" | "code" | "not listed yet";
  readonly reason: string | undefined;
}

/** A connected client as list_servers reports it. */
interface ClientRecord {
  readonly channel: ClientChannel;
  readonly profile: string | undefined;
  exposure: ExposureDecision | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

const INSTRUCTIONS =
  "voidmcp is a gateway in front of several MCP servers. Upstream tools are named `<server>__<tool>`. " +
  "Use `search` to find tools (it returns TypeScript signatures), `execute_code` to run a script that calls " +
  "many tools and returns only what you need, and `list_servers` to see which servers are up.";

/**
 * What clients are served: the downstream backend, as a thin facade over the gateway's
 * collaborators. The upstreams (pool and catalogue) know what is registered and running, the
 * router takes every call to an upstream, the reloader keeps the registry live, the relay knows
 * which client caused what. `start()` returns at once; upstreams connect in the background.
 */
export class Gateway implements GatewayBackend {
  readonly info: Implementation;
  readonly instructions = INSTRUCTIONS;
  private readonly relay: ClientRelay;
  private readonly upstreams: Upstreams;
  private readonly router: Router;
  readonly reloader: Reloader;
  private startOnClient: "no" | "one" | "shared" = "no";
  private firstListDone = false;
  private readonly log: Logger;
  /** This gateway's place in a chain of voidmcp gateways (see loop-guard.ts). */
  readonly loopGuard: LoopGuard;
  private loopError: string | undefined;
  /**
   * The last tools/list answer per profile and exposure (a handful at most), with the catalogue
   * and registry it was built from: both are replaced (never mutated) on change, so the same
   * pair means the same list, and a list of thousands of tools is not rebuilt for every client
   * that asks. Clients differ only in which of these lists they get.
   */
  private readonly toolLists = new Map<
    string,
    { readonly catalogue: Catalogue; readonly registry: Registry; readonly tools: Tool[] }
  >();
  /** Connected clients, by channel id. */
  private readonly clients = new Map<string, ClientRecord>();
  readonly audit: AuditLog;
  /** Large script results, by handle (see result-store.ts). */
  private readonly results = new ResultStore();
  /** Where `${secret:NAME}` values come from (see secret-source.ts). */
  readonly secrets: SecretSource;

  constructor(options: GatewayOptions) {
    this.info = { name: "voidmcp", version: options.version };
    // A server's own roots come from the live registry: an edit of them restarts that server.
    this.relay = new ClientRelay(
      (server) => this.reloader.registry.servers.find((s) => s.name === server)?.roots,
    );
    this.log = options.log;
    const env = options.env ?? process.env;
    this.loopGuard = new LoopGuard(options.registry.path, env);
    // One store for `${secret:NAME}` and OAuth tokens, opened when either first needs it.
    const open = options.openCredentials ?? (() => openCredentialStore({ env }));
    let opened: Promise<CredentialStore> | undefined;
    const openOnce = (): Promise<CredentialStore> => {
      opened ??= open().catch((error: unknown) => {
        opened = undefined;
        throw error;
      });
      return opened;
    };
    this.secrets = new SecretSource(openOnce);
    this.upstreams = new Upstreams(
      {
        log: options.log,
        env,
        chain: () => this.loopGuard.chain(),
        version: options.version,
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        heal: options.heal ?? false,
        relay: this.relay,
        secrets: (names) => this.secrets.values(names),
        oauth: options.oauth ?? oauthContext(env, openedOnFirstUse(openOnce)),
      },
      options.registry.servers,
      options.registry.settings,
    );
    this.reloader = new Reloader(options.registry, this.upstreams, options.log, options.registryError);
    this.audit = new AuditLog(options.auditPath ?? auditLogPath(env), options.log);
    this.router = new Router(
      this.upstreams,
      this.relay,
      () => this.reloader.registry.settings.firstListWaitMs,
      options.log,
      {
        policy: () => this.reloader.registry.settings.policy,
        registryPath: () => this.reloader.registry.path,
        audit: this.audit,
      },
    );
  }

  private get limits(): CodeModeLimits {
    return limitsFrom(this.reloader.registry.settings.codeMode);
  }

  get catalogue(): Catalogue {
    return this.upstreams.catalogue;
  }

  /** What a client of `profile` (undefined: none) may reach, from the live registry. */
  private reach(profile: string | undefined): Reach {
    return reachOf(profile, this.reloader.registry.settings.profiles);
  }

  /**
   * The catalogue as a client of `reach` and its scripts see it: tools the policy denies and
   * everything outside its profile are left out.
   */
  private visible(reach: Reach): Catalogue {
    return visibleCatalogue(
      this.upstreams.catalogue,
      (entry) =>
        reach.tool(entry.server, entry.upstreamName) && this.router.verdict(entry).decision !== "deny",
      reach,
    );
  }

  /** What a script of a client of `reach` may name: its profile's tools, denied ones included. */
  private callable(reach: Reach): Catalogue {
    return visibleCatalogue(this.upstreams.catalogue, (e) => reach.tool(e.server, e.upstreamName), reach);
  }

  /**
   * The backend for the clients of profile `name` (`/mcp/NAME`): this gateway seen through the
   * profile, which is looked up in the live registry at each use, so an edit of it applies at
   * once. When the live registry has no such profile: why (naming those it has).
   */
  profileBackend(name: string): GatewayBackend | string {
    const profiles = this.reloader.registry.settings.profiles;
    if (!Object.hasOwn(profiles, name)) return unknownProfileMessage(name, Object.keys(profiles));
    return this.viewOf(name);
  }

  /**
   * The backend for profile `name` even while the registry lacks it (a broken registry at
   * start): until the profile is there, its clients reach nothing and are told why.
   */
  viewOf(name: string): GatewayBackend {
    return {
      info: this.info,
      instructions: this.instructions,
      clientConnected: (client) => this.clientConnected(client, name),
      clientClosed: (client) => this.clientClosed(client),
      clientRootsChanged: (client) => this.clientRootsChanged(client),
      listTools: (client) => this.listTools(client, name),
      callTool: (tool, args, context) => this.callTool(tool, args, context, name),
      listResources: () => this.listResources(name),
      listResourceTemplates: () => this.listResourceTemplates(name),
      readResource: (uri, context) => this.readResource(uri, context, name),
      subscribe: (uri, context) => this.subscribe(uri, context, name),
      unsubscribe: (uri, context) => this.unsubscribe(uri, context),
      listPrompts: () => this.listPrompts(name),
      getPrompt: (prompt, args, context) => this.getPrompt(prompt, args, context, name),
      complete: (params, context) => this.complete(params, context, name),
      setLogLevel: (level, context) => this.setLogLevel(level, context),
      onListChanged: (listener) => this.onListChanged(listener),
    };
  }

  /** Starts every registered server in the background, and prepares a Code Mode sandbox. */
  start(): void {
    if (this.upstreams.isStarted || this.loopError !== undefined) return;
    this.loopError = this.loopGuard.startRefusal();
    if (this.loopError !== undefined) {
      this.log.error(this.loopError);
      return;
    }
    this.upstreams.start();
    prewarm(this.limits.memoryMb);
  }

  /**
   * Starts the upstreams when the first client has initialized, so they can be told what that
   * client can answer. Over stdio only (`one`) there is one client, and upstreams are told the
   * capabilities it declared. Where several clients may come and go (`shared`: the HTTP front),
   * upstreams are told what the relay can answer for any of them (see `upstreamCapabilities`),
   * and no client's roots are ever relayed.
   */
  startWithFirstClient(shared: boolean): void {
    this.startOnClient = shared ? "shared" : "one";
  }

  clientConnected(client: ClientChannel, profile?: string): void {
    this.clients.set(client.id, { channel: client, profile, exposure: undefined });
    this.relay.connected(client);
    if (this.startOnClient !== "no" && !this.upstreams.isStarted) {
      this.relay.declare(this.startOnClient, client.capabilities());
      this.start();
    }
  }

  clientRootsChanged(client: ClientChannel): void {
    this.relay.rootsChanged(client);
  }

  clientClosed(client: ClientChannel): void {
    this.clients.delete(client.id);
    this.router.dropSubscriptions(this.relay.closed(client));
  }

  /** Waits (bounded) for upstreams that are still starting; never rejects. */
  whenSettled(timeoutMs: number = this.reloader.registry.settings.firstListWaitMs): Promise<void> {
    return this.upstreams.whenSettled(timeoutMs);
  }

  /** Stops watching and every upstream; calls in progress get up to `graceMs` to finish. Idempotent. */
  async close(graceMs = 0): Promise<void> {
    this.reloader.close();
    this.secrets.close();
    await Promise.all([this.upstreams.close(graceMs), closeCodeMode()]);
    this.audit.close();
  }

  /**
   * While serving: restarts the servers whose `${secret:NAME}` values change in the credential
   * store (set or removed by another process), within about a second.
   */
  watchSecrets(): Promise<void> {
    return this.secrets.watch(
      () => this.reloader.registry.servers,
      (name) => this.upstreams.restart(name),
      this.log,
    );
  }

  /** For the HTTP front: why a request must be refused as a loop (508), or undefined. */
  loopCheck(header: (name: string) => string | undefined): string | undefined {
    return this.loopGuard.checkRequest(header(CHAIN_HEADER.toLowerCase()));
  }

  onListChanged(listener: (kinds: readonly ListKind[]) => void): () => void {
    return this.upstreams.onListChanged(listener);
  }

  /** The first list of a session waits (bounded) for upstreams still starting. */
  private async firstList(): Promise<void> {
    if (this.firstListDone) return;
    await this.whenSettled();
    this.firstListDone = true;
  }

  /**
   * The tools `client` sees: the meta-tools, plus its profile's upstream tools one by one when
   * the exposure decided for this client says so (see exposure.ts); recorded for list_servers.
   */
  async listTools(client: ClientChannel, profile?: string): Promise<Tool[]> {
    await this.firstList();
    // The list depends on the catalogue, the registry (exposure, limits, policy, profiles) and
    // the decision for this client only.
    const catalogue = this.catalogue;
    const registry = this.reloader.registry;
    const reach = this.reach(profile);
    const visible = this.visible(reach);
    const upstream = visible.tools;
    const mode =
      (profile === undefined ? undefined : registry.settings.profiles[profile]?.expose) ??
      registry.settings.expose;
    const info = client.info();
    const decision = decideExposure(mode, upstream.length, true, info?.name);
    const record = this.clients.get(client.id);
    // Who the client said it is and what it got, once per change: the one place a person (or the
    // real-client suite) can read it for a client that never calls list_servers.
    if (record?.exposure?.reason !== decision.reason) {
      const who = info === undefined ? "a client that gave no name" : `"${info.name}" ${info.version}`;
      this.log.debug(
        `tools/list for ${who}: upstream tools ${decision.direct ? "listed one by one" : "behind the meta-tools"} (${decision.reason})`,
      );
    }
    if (record) record.exposure = decision;
    const key = `${profile ?? ""}\u0000${decision.direct}`;
    const cached = this.toolLists.get(key);
    if (cached?.catalogue === catalogue && cached.registry === registry) return cached.tools;
    const limits = this.limits;
    const meta = metaTools(serverSummaries(visible), limits.timeoutMs, limits.maxTimeoutMs);
    const tools = [...meta, ...(decision.direct ? upstream.map((entry) => entry.tool) : [])];
    this.toolLists.set(key, { catalogue, registry, tools });
    return tools;
  }

  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    profile?: string,
  ): Promise<CallToolResult> {
    const reach = this.reach(profile);
    if (!isMetaTool(name)) return this.router.callTool(name, args, context, { via: "direct", reach });
    switch (name) {
      case "search": {
        const answer = searchCatalogue(this.visible(reach), searchRequest(args?.query, args));
        return { content: [{ type: "text", text: answer.text }], structuredContent: answer.structured };
      }
      case "execute_code":
        return this.executeCode(args, context, reach);
      case "list_servers":
        return jsonResult(this.report(profile));
      default: {
        const exhaustive: never = name;
        return exhaustive;
      }
    }
  }

  private async executeCode(
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    reach: Reach,
  ): Promise<CallToolResult> {
    const code = args?.code;
    if (typeof code !== "string") {
      throw new VoidError("usage", "execute_code needs `code`: a string of JavaScript or TypeScript");
    }
    const timeoutMs = args?.timeoutMs;
    if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs > 0))) {
      throw new VoidError("usage", "execute_code's `timeoutMs` must be a positive number of milliseconds");
    }
    const dryRun = args?.dryRun;
    if (dryRun !== undefined && typeof dryRun !== "boolean") {
      throw new VoidError("usage", "execute_code's `dryRun` must be true or false");
    }
    await this.firstList();
    const run = await runCode(code, timeoutMs, this.limits, this.router, () => this.visible(reach), context, {
      via: "direct",
      dryRun: dryRun === true,
      callable: this.callable(reach),
      results: this.results,
      reach,
    });
    return executionToolResult(run, run.planned ? undefined : this.keepLarge(run, context));
  }

  /**
   * Runs a Code Mode script against the current catalogue (after the first, bounded wait), as
   * `context`'s call. Without a context (the CLI) no client is there to answer an upstream's
   * requests, and those fail.
   */
  async runScript(code: string, timeoutMs?: number, context?: RequestContext): Promise<ExecutionResult> {
    await this.firstList();
    const reach = this.reach(undefined);
    return runCode(
      code,
      timeoutMs,
      this.limits,
      this.router,
      () => this.visible(reach),
      context ?? noClient(),
      {
        via: context ? "direct" : "cli",
        dryRun: false,
        callable: this.catalogue,
      },
    );
  }

  /**
   * A return value larger than `codeMode.handleBytes` (or cut at `maxOutputBytes`) stays in the
   * gateway under a handle for `context`'s client, instead of leaving cut.
   */
  private keepLarge(
    run: ExecutionResult & { wholeJson?: string },
    context: RequestContext,
  ): ResultHandle | undefined {
    const json = run.wholeJson ?? run.valueJson;
    if (!run.ok || json === undefined) return undefined;
    const settings = this.reloader.registry.settings.codeMode;
    const threshold = Math.min(settings.handleBytes ?? DEFAULT_HANDLE_BYTES, this.limits.maxOutputBytes);
    if (Buffer.byteLength(json) <= threshold) return undefined;
    return this.results.keep(context.client.id, json, settings.handleTtlMs ?? DEFAULT_HANDLE_TTL_MS);
  }

  /** Calls a tool by server and upstream name (the CLI's `call`); the registry's filter applies. */
  callToolOf(
    server: string,
    tool: string,
    args: Record<string, unknown> | undefined,
  ): Promise<CallToolResult> {
    return this.router.callToolOf(server, tool, args, noClient(), { via: "cli" });
  }

  /** What server `name` lists, filter or not (to tell a hidden tool from a missing one). */
  listedTools(name: string): readonly Tool[] {
    return this.upstreams.server(name)?.listing.tools ?? [];
  }

  /**
   * State of every registered server and of the catalogue, for `list_servers` and `voidmcp list`;
   * asked by a client of `profile`, only the servers of that profile.
   */
  report(profile?: string): GatewayReport {
    const registry = this.reloader.registry;
    const reach = this.reach(profile);
    return {
      registryPath: registry.path,
      registryExists: registry.exists,
      registryError: this.reloader.error,
      loopError: this.loopError,
      ...(profile !== undefined
        ? { profile: { name: profile, ...(reach.missing ? { error: reach.missing } : {}) } }
        : {}),
      servers: this.upstreams.report().filter((server) => reach.server(server.name)),
      collisions: this.catalogue.collisions,
      clients: [...this.clients.values()].map(({ channel, profile: of, exposure }) => {
        const info = channel.info();
        return {
          id: channel.id,
          name: info?.name,
          version: info?.version,
          profile: of,
          exposure: exposure === undefined ? "not listed yet" : exposure.direct ? "direct" : "code",
          reason: exposure?.reason,
        };
      }),
    };
  }

  async listResources(profile?: string): Promise<Resource[]> {
    await this.firstList();
    const reach = this.reach(profile);
    return this.catalogue.resources.filter((e) => reach.server(e.server)).map((entry) => entry.resource);
  }

  async listResourceTemplates(profile?: string): Promise<ResourceTemplate[]> {
    await this.firstList();
    const reach = this.reach(profile);
    return this.catalogue.templates.filter((e) => reach.server(e.server)).map((entry) => entry.template);
  }

  async readResource(uri: string, context: RequestContext, profile?: string): Promise<ReadResourceResult> {
    if (uri.startsWith(RESULT_URI_PREFIX)) {
      const text = this.results.get(context.client.id, uri.slice(RESULT_URI_PREFIX.length));
      return { contents: [{ uri, mimeType: "application/json", text }] };
    }
    return this.router.readResource(uri, context, this.reach(profile));
  }

  subscribe(uri: string, context: RequestContext, profile?: string): Promise<void> {
    return this.router.subscribe(uri, context, this.reach(profile));
  }

  unsubscribe(uri: string, context: RequestContext): Promise<void> {
    return this.router.unsubscribe(uri, context);
  }

  complete(
    params: CompleteRequestParams,
    context: RequestContext,
    profile?: string,
  ): Promise<CompleteResult> {
    return this.router.complete(params, context, this.reach(profile));
  }

  setLogLevel(level: LoggingLevel, context: RequestContext): Promise<void> {
    return this.router.setLogLevel(level, context);
  }

  async listPrompts(profile?: string): Promise<Prompt[]> {
    await this.firstList();
    const reach = this.reach(profile);
    return this.catalogue.prompts.filter((e) => reach.server(e.server)).map((entry) => entry.prompt);
  }

  getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
    profile?: string,
  ): Promise<GetPromptResult> {
    return this.router.getPrompt(name, args, context, this.reach(profile));
  }
}

/** A call made with no client behind it (the CLI): nothing to relay to, nothing to cancel. */
function noClient(): RequestContext {
  return {
    signal: new AbortController().signal,
    onprogress: undefined,
    client: {
      id: "cli",
      capabilities: () => undefined,
      info: () => undefined,
      request: () => Promise.reject(new VoidError("upstream_error", "no MCP client is connected to answer")),
      notify: () => Promise.resolve(),
    },
  };
}

/**
 * `catalogue` with only the tools `keep` lets through, and only the prompts and resources of
 * the servers `reach` reaches; collisions are the catalogue's own.
 */
function visibleCatalogue(
  catalogue: Catalogue,
  keep: (entry: Catalogue["tools"][number]) => boolean,
  reach: Reach,
): Catalogue {
  const tools = catalogue.tools.filter(keep);
  if (tools.length === catalogue.tools.length && reach.profile === undefined) return catalogue;
  const kept = (entry: Catalogue["tools"][number] | undefined) => (entry && keep(entry) ? entry : undefined);
  const served = <T extends { readonly server: string }>(entry: T | undefined) =>
    entry && reach.server(entry.server) ? entry : undefined;
  return {
    tools,
    prompts: catalogue.prompts.filter((e) => reach.server(e.server)),
    resources: catalogue.resources.filter((e) => reach.server(e.server)),
    templates: catalogue.templates.filter((e) => reach.server(e.server)),
    collisions: catalogue.collisions,
    tool: (exposed) => kept(catalogue.tool(exposed)),
    toolOf: (server, name) => kept(catalogue.toolOf(server, name)),
    prompt: (exposed) => served(catalogue.prompt(exposed)),
    resourceOwner: (uri) => {
      const owner = catalogue.resourceOwner(uri);
      return owner !== undefined && reach.server(owner) ? owner : undefined;
    },
  };
}

function jsonResult(value: unknown): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}
