import { describeError, type Logger, PREFIX_SEPARATOR, VoidError } from "../core/index.js";
import type { RequestContext } from "../downstream/index.js";
import type { ServerSpec } from "../registry/index.js";
import type {
  CallToolResult,
  CompleteRequestParams,
  CompleteResult,
  GetPromptResult,
  LoggingLevel,
  ReadResourceResult,
  UpstreamServer,
} from "../upstream/index.js";
import type { ClientRelay } from "./relay.js";
import type { Upstreams } from "./upstreams.js";

type NameKind = "tool" | "prompt";

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

  constructor(upstreams: Upstreams, relay: ClientRelay, startupWaitMs: () => number, log: Logger) {
    this.upstreams = upstreams;
    this.relay = relay;
    this.startupWaitMs = startupWaitMs;
    this.log = log;
  }

  /** A tool by the name clients see. */
  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult> {
    const entry = await this.find(ownerOfName(name), () => this.upstreams.catalogue.tool(name));
    if (!entry) throw this.unknown("tool", name);
    return this.run(entry.server, context, (server) =>
      server.callTool(entry.upstreamName, args, callOptions(context)),
    );
  }

  /** A tool by its server and upstream name, as scripts call it; the registry's filter still applies. */
  async callToolOf(
    serverName: string,
    tool: string,
    args: Record<string, unknown> | undefined,
    context: RequestContext,
  ): Promise<CallToolResult> {
    const entry = await this.find(
      (spec) => spec.name === serverName,
      () => this.upstreams.catalogue.toolOf(serverName, tool),
    );
    if (!entry) {
      throw new VoidError("not_found", `tool "${tool}" of server "${serverName}" is not available`);
    }
    return this.run(entry.server, context, (server) =>
      server.callTool(entry.upstreamName, args, callOptions(context)),
    );
  }

  async getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    context: RequestContext,
  ): Promise<GetPromptResult> {
    const entry = await this.find(ownerOfName(name), () => this.upstreams.catalogue.prompt(name));
    if (!entry) throw this.unknown("prompt", name);
    return this.run(entry.server, context, (server) =>
      server.getPrompt(entry.upstreamName, args, { signal: context.signal }),
    );
  }

  async readResource(uri: string, context: RequestContext): Promise<ReadResourceResult> {
    const owner = await this.resourceOwner(uri);
    return this.run(owner, context, (server) => server.readResource(uri, { signal: context.signal }));
  }

  /** Records `context`'s client as a subscriber; the first subscriber subscribes upstream. */
  async subscribe(uri: string, context: RequestContext): Promise<void> {
    await this.resourceOwner(uri);
    if (this.relay.subscribe(context.client, uri)) await this.upstreamSubscribe(uri, true);
  }

  async unsubscribe(uri: string, context: RequestContext): Promise<void> {
    if (this.relay.unsubscribe(context.client, uri)) await this.upstreamSubscribe(uri, false);
  }

  /** Unsubscribes upstream from URIs nobody is subscribed to any more (a client left). */
  dropSubscriptions(uris: readonly string[]): void {
    for (const uri of uris) void this.upstreamSubscribe(uri, false);
  }

  async complete(params: CompleteRequestParams, context: RequestContext): Promise<CompleteResult> {
    const ref = params.ref;
    if (ref.type === "ref/prompt") {
      const entry = await this.find(ownerOfName(ref.name), () => this.upstreams.catalogue.prompt(ref.name));
      if (!entry) throw this.unknown("prompt", ref.name);
      return this.run(entry.server, context, (server) =>
        server.complete({ ...params, ref: { ...ref, name: entry.upstreamName } }, { signal: context.signal }),
      );
    }
    const lookup = () =>
      this.upstreams.catalogue.templates.find((t) => t.template.uriTemplate === ref.uri)?.server ??
      this.upstreams.catalogue.resourceOwner(ref.uri);
    const owner = await this.find(() => true, lookup);
    if (!owner) throw noResource(ref.uri);
    if (!this.upstreams.server(owner)?.serverCapabilities()?.completions) {
      return { completion: { values: [], hasMore: false } };
    }
    return this.run(owner, context, (server) => server.complete(params, { signal: context.signal }));
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

  private async resourceOwner(uri: string): Promise<string> {
    const owner = await this.find(
      () => true,
      () => this.upstreams.catalogue.resourceOwner(uri),
    );
    if (!owner) throw noResource(uri);
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
      await server.subscribe(uri, subscribe);
    } catch (error) {
      if (subscribe) throw error;
      this.log.debug(`unsubscribe ${uri}: ${describeError(error)}`);
    }
  }

  /**
   * The error for a name nobody serves. When the name carries the prefix of a server that is not
   * ready, the real news is that server's state, so say that instead of "unknown".
   */
  private unknown(kind: NameKind, name: string): VoidError {
    const owner = this.upstreams.specs.find(
      (spec) => spec.prefix !== "" && name.startsWith(`${spec.prefix}${PREFIX_SEPARATOR}`),
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
    return new VoidError("not_found", `unknown ${kind} "${name}"`, {
      hint:
        kind === "tool"
          ? "call tools/list or the `search` tool to see the available names"
          : "call prompts/list to see the available names",
    });
  }
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
