import { describeError, type Logger, PREFIX_SEPARATOR, VoidError } from "../core/index.js";
import type { RequestContext } from "../downstream/index.js";
import type { PolicySettings, ServerSpec } from "../registry/index.js";
import type {
  CallToolResult,
  CompleteRequestParams,
  CompleteResult,
  GetPromptResult,
  LoggingLevel,
  ReadResourceResult,
  ToolEntry,
  UpstreamServer,
} from "../upstream/index.js";
import { exposeReadResult, upstreamResourceUri } from "../upstream/index.js";
import { type AuditLog, argumentShape, type CallVia, type Confirmation } from "./audit-log.js";
import { askPerson, type RunScope } from "./confirm.js";
import { decideTool, type PolicyVerdict } from "./policy.js";
import { type Reach, WHOLE_GATEWAY } from "./reach.js";
import type { ClientRelay } from "./relay.js";
import type { Upstreams } from "./upstreams.js";

type NameKind = "tool" | "prompt";

/** What the router needs to decide and record tool calls; read live, so an edit applies at once. */
export interface CallGuard {
  policy(): PolicySettings;
  /** Named in refusals, so the person knows which file to edit. */
  registryPath(): string;
  readonly audit: AuditLog;
}

/**
 * Where a tool call comes from. A script's calls carry their run (positions, "allow the rest of
 * this run"); `dryRun` runs no tool whose decision is not `allow` and records it instead.
 */
export interface CallScope {
  readonly via: CallVia;
  /** The profile the calling client is served (default the whole gateway): nothing outside it exists. */
  readonly reach?: Reach;
  readonly run?: RunScope;
  readonly dryRun?: (server: string, tool: string, args: unknown) => void;
}

const DIRECT: CallScope = { via: "direct" };

/** Reading a resource or getting a prompt changes nothing: only a rule can ask or deny. */
const READ_ONLY = { readOnlyHint: true } as const;

/**
 * The one path every call to an upstream takes, whether a client made it directly or a Code
 * Mode script made it inside `execute_code`: look the target up in the catalogue, wait (bounded)
 * for a server that could own it and is still starting, then run it on that server as the
 * calling client's call, so what the upstream sends meanwhile (progress, log messages,
 * sampling, elicitation, roots) reaches that client and no other.
 */
export class Router {
  private readonly upstreams: Upstreams;
  private readonly relay: ClientRelay;
  private readonly startupWaitMs: () => number;
  private readonly log: Logger;
  private readonly guard: CallGuard;

  constructor(
    upstreams: Upstreams,
    relay: ClientRelay,
    startupWaitMs: () => number,
    log: Logger,
    guard: CallGuard,
  ) {
    this.upstreams = upstreams;
    this.relay = relay;
    this.startupWaitMs = startupWaitMs;
    this.log = log;
    this.guard = guard;
  }

  /** The policy's verdict for a catalogue entry (what lists and search hide when it is deny). */
  verdict(entry: ToolEntry): PolicyVerdict {
    return decideTool(this.guard.policy(), entry.server, entry.upstreamName, entry.tool.annotations);
  }

  /** A tool by the name clients see. */
  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    scope: CallScope = DIRECT,
  ): Promise<CallToolResult> {
    const reach = scope.reach ?? WHOLE_GATEWAY;
    const entry = await this.find(ownerOfName(name), () => this.upstreams.catalogue.tool(name));
    if (!entry) throw this.unknown("tool", name, reach);
    if (!reach.tool(entry.server, entry.upstreamName)) throw notServed("tool", name, reach);
    return this.guarded(entry, args, context, scope);
  }

  /** A tool by its server and upstream name, as scripts call it; the registry's filter still applies. */
  async callToolOf(
    serverName: string,
    tool: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    scope: CallScope = DIRECT,
  ): Promise<CallToolResult> {
    const entry = await this.find(
      (spec) => spec.name === serverName,
      () => this.upstreams.catalogue.toolOf(serverName, tool),
    );
    if (!entry || !(scope.reach ?? WHOLE_GATEWAY).tool(entry.server, entry.upstreamName)) {
      throw new VoidError("not_found", `tool "${tool}" of server "${serverName}" is not available`);
    }
    return this.guarded(entry, args, context, scope);
  }

  /** A tool call: the policy for its catalogue entry, then the call on its server. */
  private guarded(
    entry: ToolEntry,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    scope: CallScope,
  ): Promise<CallToolResult> {
    return this.audited(
      { server: entry.server, name: entry.upstreamName, verdict: this.verdict(entry) },
      args,
      context,
      scope,
      () =>
        this.run(entry.server, context, (server) =>
          server.callTool(entry.upstreamName, args, callOptions(context)),
        ),
      (result) => (result.isError ? "tool_error" : undefined),
      DRY_RUN_RESULT,
    );
  }

  /**
   * A script's `resources.read(uri)`: read-only by nature, so allowed unless a rule names it
   * (`<server>.<uri glob>`); audited as `resources/read` with the shape of its arguments only.
   */
  async scriptReadResource(
    uri: string,
    context: RequestContext,
    scope: CallScope,
  ): Promise<ReadResourceResult | undefined> {
    const owner = await this.resourceOwner(uri, scope.reach);
    const verdict = decideTool(this.guard.policy(), owner, uri, READ_ONLY);
    return this.audited(
      { server: owner, name: uri, audited: "resources/read", verdict },
      { uri },
      context,
      scope,
      () => this.readFrom(owner, uri, context),
      () => undefined,
      undefined,
    );
  }

  /** A script's `prompts.get(server, name, args)`: allowed unless a rule names `<server>.<prompt>`. */
  async scriptGetPrompt(
    serverName: string,
    name: string,
    args: Record<string, string>,
    context: RequestContext,
    scope: CallScope,
  ): Promise<GetPromptResult | undefined> {
    const entry = await this.find(
      (spec) => spec.name === serverName,
      () => this.upstreams.catalogue.prompts.find((p) => p.server === serverName && p.upstreamName === name),
    );
    if (!entry || !(scope.reach ?? WHOLE_GATEWAY).server(entry.server))
      throw new VoidError("not_found", `prompt "${name}" of server "${serverName}" is not available`);
    const verdict = decideTool(this.guard.policy(), entry.server, entry.upstreamName, READ_ONLY);
    return this.audited(
      {
        server: entry.server,
        name: entry.upstreamName,
        audited: `prompts/get ${entry.upstreamName}`,
        verdict,
      },
      args,
      context,
      scope,
      () =>
        this.run(entry.server, context, (server) =>
          server.getPrompt(entry.upstreamName, args, { signal: context.signal }),
        ),
      () => undefined,
      undefined,
    );
  }

  /**
   * The policy, then the call, then one audit line whatever happened. A denied call, and a
   * confirmation refused, fail with VoidError("denied") before anything reaches the upstream.
   * In a dry run a call that is not `allow` is recorded and answered with `dryRunValue` instead.
   */
  private async audited<T>(
    target: { server: string; name: string; audited?: string; verdict: PolicyVerdict },
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    scope: CallScope,
    call: () => Promise<T>,
    failureOf: (result: T) => string | undefined,
    dryRunValue: T,
  ): Promise<T> {
    const { server, name, verdict } = target;
    const started = performance.now();
    const position = scope.run?.nextPosition();
    let confirmation: Confirmation | undefined;
    const record = (ok: boolean, bytes: number, error?: string) =>
      this.guard.audit.append({
        time: new Date().toISOString(),
        client: context.client.id,
        via: scope.via,
        server,
        tool: target.audited ?? name,
        decision: verdict.decision,
        because: verdict.because,
        ...(confirmation ? { confirmation } : {}),
        durationMs: Math.round(performance.now() - started),
        ok,
        ...(error ? { error } : {}),
        bytes,
        args: argumentShape(args ?? {}),
      });
    try {
      if (verdict.decision !== "allow" && scope.dryRun) {
        confirmation = "dry_run";
        scope.dryRun(server, name, args ?? {});
        record(true, 0);
        return dryRunValue;
      }
      if (verdict.decision === "deny") {
        throw new VoidError(
          "denied",
          `${server}.${name} is denied by voidmcp's policy (${verdict.because})`,
          {
            hint: `the policy is set in ${this.guard.registryPath()}`,
          },
        );
      }
      if (verdict.decision === "confirm") {
        confirmation = await this.confirm(server, name, args, context, scope, verdict, position);
      }
      const result = await call();
      const failure = failureOf(result);
      record(failure === undefined, Buffer.byteLength(JSON.stringify(result) ?? ""), failure);
      return result;
    } catch (error) {
      if (
        error instanceof VoidError &&
        error.code === "denied" &&
        typeof error.details.confirmation === "string"
      ) {
        confirmation = error.details.confirmation as Confirmation;
      }
      record(false, 0, error instanceof VoidError ? error.code : "error");
      throw error;
    }
  }

  private async confirm(
    serverName: string,
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
    scope: CallScope,
    verdict: PolicyVerdict,
    position: number | undefined,
  ): Promise<Confirmation> {
    // A person typed the CLI command: that is their confirmation.
    if (scope.via === "cli") return "cli";
    const key = `${serverName}.${name}`;
    const request = {
      server: serverName,
      tool: name,
      args: args ?? {},
      because: verdict.because,
      position,
      timeoutMs: this.guard.policy().confirmTimeoutMs,
      registryPath: this.guard.registryPath(),
    };
    const run = scope.run;
    if (!run) return askPerson(context, request, false);
    return run.oneAtATime(async () => {
      if (run.allows(key)) return "remembered_for_run";
      const answer = await askPerson(context, request, true);
      if (answer === "accepted_for_run") run.allow(key);
      return answer;
    });
  }

  async getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
    reach: Reach = WHOLE_GATEWAY,
  ): Promise<GetPromptResult> {
    const entry = await this.find(ownerOfName(name), () => this.upstreams.catalogue.prompt(name));
    if (!entry) throw this.unknown("prompt", name, reach);
    if (!reach.server(entry.server)) throw notServed("prompt", name, reach);
    return this.run(entry.server, context, (server) =>
      server.getPrompt(entry.upstreamName, args, { signal: context.signal }),
    );
  }

  async readResource(
    uri: string,
    context: RequestContext,
    reach: Reach = WHOLE_GATEWAY,
  ): Promise<ReadResourceResult> {
    return this.readFrom(await this.resourceOwner(uri, reach), uri, context);
  }

  /** Reads an exposed URI from its owner, in the owner's own URI, and exposes the answer's URIs. */
  private async readFrom(owner: string, uri: string, context: RequestContext): Promise<ReadResourceResult> {
    const result = await this.run(owner, context, (server) =>
      server.readResource(upstreamResourceUri(owner, uri), { signal: context.signal }),
    );
    return exposeReadResult(owner, result);
  }

  /** Records `context`'s client as a subscriber; the first subscriber subscribes upstream. */
  async subscribe(uri: string, context: RequestContext, reach: Reach = WHOLE_GATEWAY): Promise<void> {
    await this.resourceOwner(uri, reach);
    if (this.relay.subscribe(context.client, uri)) await this.upstreamSubscribe(uri, true);
  }

  async unsubscribe(uri: string, context: RequestContext): Promise<void> {
    if (this.relay.unsubscribe(context.client, uri)) await this.upstreamSubscribe(uri, false);
  }

  /** Unsubscribes upstream from URIs nobody is subscribed to any more (a client left). */
  dropSubscriptions(uris: readonly string[]): void {
    for (const uri of uris) void this.upstreamSubscribe(uri, false);
  }

  async complete(
    params: CompleteRequestParams,
    context: RequestContext,
    reach: Reach = WHOLE_GATEWAY,
  ): Promise<CompleteResult> {
    const ref = params.ref;
    if (ref.type === "ref/prompt") {
      const entry = await this.find(ownerOfName(ref.name), () => this.upstreams.catalogue.prompt(ref.name));
      if (!entry) throw this.unknown("prompt", ref.name, reach);
      if (!reach.server(entry.server)) throw notServed("prompt", ref.name, reach);
      return this.run(entry.server, context, (server) =>
        server.complete({ ...params, ref: { ...ref, name: entry.upstreamName } }, { signal: context.signal }),
      );
    }
    const lookup = () =>
      this.upstreams.catalogue.templates.find((t) => t.template.uriTemplate === ref.uri)?.server ??
      this.upstreams.catalogue.resourceOwner(ref.uri);
    const owner = await this.find(() => true, lookup);
    if (!owner || !reach.server(owner)) throw noResource(ref.uri);
    if (!this.upstreams.server(owner)?.serverCapabilities()?.completions) {
      return { completion: { values: [], hasMore: false } };
    }
    const upstreamRef = { ...ref, uri: upstreamResourceUri(owner, ref.uri) };
    return this.run(owner, context, (server) =>
      server.complete({ ...params, ref: upstreamRef }, { signal: context.signal }),
    );
  }

  /** Sets `context`'s client's threshold, and the upstreams' (which serve every client) to match. */
  async setLogLevel(level: LoggingLevel, context: RequestContext): Promise<void> {
    this.relay.setLevel(context.client, level);
    await Promise.all(
      this.upstreams
        .all()
        .filter((server) => server.serverCapabilities()?.logging !== undefined)
        .map((server) =>
          server
            .setLogLevel(level)
            .catch((error: unknown) => this.log.debug(`${server.name}: setLevel: ${describeError(error)}`)),
        ),
    );
  }

  /**
   * Looks a target up; when it is missing while a server that could own it is still starting,
   * waits (bounded, as the first lists do) for that server and looks again.
   */
  private async find<T>(couldOwn: (spec: ServerSpec) => boolean, lookup: () => T | undefined) {
    return lookup() ?? (await this.upstreams.afterStartup(couldOwn, lookup, this.startupWaitMs()));
  }

  private async resourceOwner(uri: string, reach: Reach = WHOLE_GATEWAY): Promise<string> {
    const owner = await this.find(
      () => true,
      () => this.upstreams.catalogue.resourceOwner(uri),
    );
    if (!owner || !reach.server(owner)) throw noResource(uri);
    return owner;
  }

  private run<T>(name: string, context: RequestContext, call: (server: UpstreamServer) => Promise<T>) {
    const server = this.upstreams.server(name);
    if (!server) throw new VoidError("not_found", `unknown server "${name}"`);
    return this.relay.during(name, context, () => call(server));
  }

  /** (Un)subscribes upstream, where the owner supports it; a server without subscriptions never sends updates. */
  private async upstreamSubscribe(uri: string, subscribe: boolean): Promise<void> {
    const owner = this.upstreams.catalogue.resourceOwner(uri);
    const server = owner ? this.upstreams.server(owner) : undefined;
    if (!server?.serverCapabilities()?.resources?.subscribe) return;
    try {
      await server.subscribe(upstreamResourceUri(server.name, uri), subscribe);
    } catch (error) {
      if (subscribe) throw error;
      this.log.debug(`unsubscribe ${uri}: ${describeError(error)}`);
    }
  }

  /**
   * The error for a name nobody serves. When the name carries the prefix of a server that is not
   * ready, the real news is that server's state, so say that instead of "unknown".
   */
  private unknown(kind: NameKind, name: string, reach: Reach): VoidError {
    const owner = this.upstreams.specs.find(
      (spec) =>
        spec.prefix !== "" && name.startsWith(`${spec.prefix}${PREFIX_SEPARATOR}`) && reach.server(spec.name),
    );
    const server = owner ? this.upstreams.server(owner.name) : undefined;
    if (owner && server && server.state !== "ready") {
      const status = server.status();
      return new VoidError(
        "upstream_unavailable",
        `${kind} "${name}" belongs to server "${owner.name}", which is ${status.state}${status.error ? `: ${status.error}` : ""}`,
        { hint: "call list_servers to see the state of every server" },
      );
    }
    return notServed(kind, name, reach);
  }
}

/**
 * The error for a name this client cannot reach: the same whether nobody serves it or its
 * profile leaves it out, so a profile's clients learn nothing of what lies outside it (unless
 * the profile itself is gone from the registry, which they must be told).
 */
function notServed(kind: NameKind, name: string, reach: Reach): VoidError {
  if (reach.missing !== undefined) {
    return new VoidError("not_found", `unknown ${kind} "${name}": ${reach.missing}`, {
      hint: "add the profile to the registry again, or connect without it",
    });
  }
  return new VoidError("not_found", `unknown ${kind} "${name}"`, {
    hint:
      kind === "tool"
        ? "call tools/list or the `search` tool to see the available names"
        : "call prompts/list to see the available names",
  });
}

/** What a dry run's recorder answers in place of a tool that was not called (compared by identity). */
const DRY_RUN_RESULT: CallToolResult = Object.freeze({ content: [] });

/** Whether a result is the dry run's stand-in: the script then sees `undefined`. */
export function isDryRunResult(result: CallToolResult): boolean {
  return result === DRY_RUN_RESULT;
}

function callOptions(context: RequestContext) {
  return { signal: context.signal, ...(context.onprogress ? { onprogress: context.onprogress } : {}) };
}

function noResource(uri: string): VoidError {
  return new VoidError("not_found", `no server offers resource "${uri}"`, {
    hint: "call resources/list or resources/templates/list to see what is available",
  });
}

/** Whether a server could expose `name`: it mounts unprefixed, or the name starts with its prefix. */
function ownerOfName(name: string): (spec: ServerSpec) => boolean {
  return (spec) => spec.prefix === "" || name.startsWith(`${spec.prefix}${PREFIX_SEPARATOR}`);
}
