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
import { exposeDirect } from "./exposure.js";
import { LoopGuard } from "./loop-guard.js";
import { isMetaTool, metaTools } from "./meta-tools.js";
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
  /** Where remote servers' OAuth credentials live; default: the credential store of `env`. */
  readonly oauth?: OAuthContext;
}

export interface GatewayReport {
  readonly registryPath: string;
  readonly registryExists: boolean;
  readonly registryError: string | undefined;
  /** Why no server was started: this gateway was started inside a loop of voidmcp gateways. */
  readonly loopError: string | undefined;
  readonly servers: readonly ServerReport[];
  readonly collisions: Catalogue["collisions"];
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
   * The last tools/list answer, with the catalogue and registry it was built from: both are
   * replaced (never mutated) on change, so the same pair means the same list, and a list of
   * thousands of tools is not rebuilt for every client that asks.
   */
  private toolList:
    | { readonly catalogue: Catalogue; readonly registry: Registry; readonly tools: Tool[] }
    | undefined;
  readonly audit: AuditLog;
  /** Large script results, by handle (see result-store.ts). */
  private readonly results = new ResultStore();

  constructor(options: GatewayOptions) {
    this.info = { name: "voidmcp", version: options.version };
    // A server's own roots come from the live registry: an edit of them restarts that server.
    this.relay = new ClientRelay(
      (server) => this.reloader.registry.servers.find((s) => s.name === server)?.roots,
    );
    this.log = options.log;
    const env = options.env ?? process.env;
    this.loopGuard = new LoopGuard(options.registry.path, env);
    this.upstreams = new Upstreams(
      {
        log: options.log,
        env,
        chain: () => this.loopGuard.chain(),
        version: options.version,
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        heal: options.heal ?? false,
        relay: this.relay,
        oauth: options.oauth ?? oauthContext(env),
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

  /** The catalogue as clients and scripts see it: tools the policy denies are left out. */
  private get visible(): Catalogue {
    return visibleCatalogue(
      this.upstreams.catalogue,
      (entry) => this.router.verdict(entry).decision !== "deny",
    );
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

  clientConnected(client: ClientChannel): void {
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
    this.router.dropSubscriptions(this.relay.closed(client));
  }

  /** Waits (bounded) for upstreams that are still starting; never rejects. */
  whenSettled(timeoutMs: number = this.reloader.registry.settings.firstListWaitMs): Promise<void> {
    return this.upstreams.whenSettled(timeoutMs);
  }

  /** Stops watching and every upstream; calls in progress get up to `graceMs` to finish. Idempotent. */
  async close(graceMs = 0): Promise<void> {
    this.reloader.close();
    await Promise.all([this.upstreams.close(graceMs), closeCodeMode()]);
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

  async listTools(): Promise<Tool[]> {
    await this.firstList();
    // The list depends on the catalogue and the registry (exposure, limits, policy) only.
    const catalogue = this.catalogue;
    const registry = this.reloader.registry;
    const cached = this.toolList;
    if (cached?.catalogue === catalogue && cached.registry === registry) return cached.tools;
    const visible = this.visible;
    const upstream = visible.tools;
    const limits = this.limits;
    const direct = exposeDirect(registry.settings.expose, upstream.length, true);
    const meta = metaTools(serverSummaries(visible), limits.timeoutMs, limits.maxTimeoutMs);
    const tools = [...meta, ...(direct ? upstream.map((entry) => entry.tool) : [])];
    this.toolList = { catalogue, registry, tools };
    return tools;
  }

  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult> {
    if (!isMetaTool(name)) return this.router.callTool(name, args, context);
    switch (name) {
      case "search": {
        const answer = searchCatalogue(this.visible, searchRequest(args?.query, args));
        return { content: [{ type: "text", text: answer.text }], structuredContent: answer.structured };
      }
      case "execute_code":
        return this.executeCode(args, context);
      case "list_servers":
        return jsonResult(this.report());
      default: {
        const exhaustive: never = name;
        return exhaustive;
      }
    }
  }

  private async executeCode(
    args: Record<string, unknown> | undefined,
    context: RequestContext,
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
    const run = await runCode(code, timeoutMs, this.limits, this.router, () => this.visible, context, {
      via: "direct",
      dryRun: dryRun === true,
      callable: this.catalogue,
      results: this.results,
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
    return runCode(code, timeoutMs, this.limits, this.router, () => this.visible, context ?? noClient(), {
      via: context ? "direct" : "cli",
      dryRun: false,
      callable: this.catalogue,
    });
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

  /** State of every registered server and of the catalogue, for `list_servers` and `voidmcp list`. */
  report(): GatewayReport {
    const registry = this.reloader.registry;
    return {
      registryPath: registry.path,
      registryExists: registry.exists,
      registryError: this.reloader.error,
      loopError: this.loopError,
      servers: this.upstreams.report(),
      collisions: this.catalogue.collisions,
    };
  }

  async listResources(): Promise<Resource[]> {
    await this.firstList();
    return this.catalogue.resources.map((entry) => entry.resource);
  }

  async listResourceTemplates(): Promise<ResourceTemplate[]> {
    await this.firstList();
    return this.catalogue.templates.map((entry) => entry.template);
  }

  async readResource(uri: string, context: RequestContext): Promise<ReadResourceResult> {
    if (uri.startsWith(RESULT_URI_PREFIX)) {
      const text = this.results.get(context.client.id, uri.slice(RESULT_URI_PREFIX.length));
      return { contents: [{ uri, mimeType: "application/json", text }] };
    }
    return this.router.readResource(uri, context);
  }

  subscribe(uri: string, context: RequestContext): Promise<void> {
    return this.router.subscribe(uri, context);
  }

  unsubscribe(uri: string, context: RequestContext): Promise<void> {
    return this.router.unsubscribe(uri, context);
  }

  complete(params: CompleteRequestParams, context: RequestContext): Promise<CompleteResult> {
    return this.router.complete(params, context);
  }

  setLogLevel(level: LoggingLevel, context: RequestContext): Promise<void> {
    return this.router.setLogLevel(level, context);
  }

  async listPrompts(): Promise<Prompt[]> {
    await this.firstList();
    return this.catalogue.prompts.map((entry) => entry.prompt);
  }

  getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
  ): Promise<GetPromptResult> {
    return this.router.getPrompt(name, args, context);
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
      request: () => Promise.reject(new VoidError("upstream_error", "no MCP client is connected to answer")),
      notify: () => Promise.resolve(),
    },
  };
}

/** `catalogue` with only the tools `keep` lets through; everything else is the catalogue's own. */
function visibleCatalogue(
  catalogue: Catalogue,
  keep: (entry: Catalogue["tools"][number]) => boolean,
): Catalogue {
  const tools = catalogue.tools.filter(keep);
  if (tools.length === catalogue.tools.length) return catalogue;
  const kept = (entry: Catalogue["tools"][number] | undefined) => (entry && keep(entry) ? entry : undefined);
  return {
    tools,
    prompts: catalogue.prompts,
    resources: catalogue.resources,
    templates: catalogue.templates,
    collisions: catalogue.collisions,
    tool: (exposed) => kept(catalogue.tool(exposed)),
    toolOf: (server, name) => kept(catalogue.toolOf(server, name)),
    prompt: (exposed) => catalogue.prompt(exposed),
    resourceOwner: (uri) => catalogue.resourceOwner(uri),
  };
}

function jsonResult(value: unknown): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}
