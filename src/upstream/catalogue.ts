import {
  type Prompt,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  type Tool,
  UriTemplate,
} from "@modelcontextprotocol/client";
import { DEFAULT_NAME_BUDGET, exposedName, joinedName } from "../core/index.js";
import type { ToolFilter, ToolOverride } from "../registry/index.js";
import type { UpstreamListing } from "./types.js";
import { exposeToolUi, exposeUiUri, uiServerOf } from "./ui-uri.js";

/** One server's contribution to the catalogue, in registry order. */
export interface CatalogueSource {
  readonly server: string;
  readonly prefix: string;
  readonly filter: ToolFilter;
  readonly listing: UpstreamListing;
  /** By upstream tool name: the name (under the prefix) and description clients see instead. */
  readonly overrides?: Readonly<Record<string, ToolOverride>>;
  /** The longest generated exposed name (default DEFAULT_NAME_BUDGET). */
  readonly nameBudget?: number;
}

export interface ToolEntry {
  /** What clients see and call. */
  readonly exposedName: string;
  readonly server: string;
  /** The name the upstream knows; calls are routed with this, never by parsing exposedName. */
  readonly upstreamName: string;
  /**
   * The upstream's definition with only `name` replaced (and `description`, when the registry
   * overrides it); schemas are untouched.
   */
  readonly tool: Tool;
}

export interface PromptEntry {
  readonly exposedName: string;
  readonly server: string;
  readonly upstreamName: string;
  readonly prompt: Prompt;
}

/** A resource as clients see it: `ui://` URIs carry the server's name (see ui-uri.ts), others are the upstream's. */
export interface ResourceEntry {
  readonly server: string;
  readonly resource: Resource;
}

export interface TemplateEntry {
  readonly server: string;
  readonly template: ResourceTemplate;
}

/** Two servers that want the same exposed name: the first in registry order keeps it. */
export interface Collision {
  readonly kind: "tool" | "prompt" | "resource";
  readonly name: string;
  readonly kept: string;
  readonly dropped: string;
}

export interface Catalogue {
  readonly tools: readonly ToolEntry[];
  readonly prompts: readonly PromptEntry[];
  readonly resources: readonly ResourceEntry[];
  readonly templates: readonly TemplateEntry[];
  readonly collisions: readonly Collision[];
  tool(exposed: string): ToolEntry | undefined;
  /** The tool a server exposes under its upstream name, if the filter lets it through. */
  toolOf(server: string, upstreamName: string): ToolEntry | undefined;
  prompt(exposed: string): PromptEntry | undefined;
  /**
   * Which server answers `resources/read` for this exposed URI: exact URI first, then templates,
   * then `ui://<server>/…` of a server in the catalogue (a UI resource a tool points to need not
   * be listed).
   */
  resourceOwner(uri: string): string | undefined;
}

/** Whether the registry's allow/deny lists let an upstream tool through. */
export function toolAllowed(filter: ToolFilter, name: string): boolean {
  if (filter.allow && !filter.allow.includes(name)) return false;
  return !filter.deny?.includes(name);
}

/**
 * Merges every source into one namespaced catalogue (pure). `reserved` names (the gateway's own
 * meta-tools) can never be taken by an upstream tool; an attempt is reported as a collision.
 */
export function buildCatalogue(
  sources: readonly CatalogueSource[],
  reserved: readonly string[] = [],
): Catalogue {
  const reservedNames = new Set(reserved);
  return mergeParts(sources.map((source) => namespacePart(source, reservedNames))).catalogue;
}

/**
 * One server's share of the catalogue, namespaced but not yet merged with the others: what
 * depends on this server's source alone, so it can be kept while other servers change.
 */
export interface CataloguePart {
  readonly source: CatalogueSource;
  /** In listing order; a tool whose exposed name is reserved stands as the name it wanted. */
  readonly tools: ReadonlyArray<ToolEntry | { readonly reserved: string }>;
  readonly prompts: readonly PromptEntry[];
  readonly resources: readonly ResourceEntry[];
  readonly templates: ReadonlyArray<{
    readonly entry: TemplateEntry;
    readonly matcher: UriTemplate | undefined;
  }>;
}

/**
 * Namespaces one source (pure): filters and renames its tools and prompts, parses its templates.
 * An override's name is used as it is under the prefix (the registry checked it against the
 * name rules); every other name goes through `exposedName` within the budget.
 */
export function namespacePart(source: CatalogueSource, reserved: ReadonlySet<string>): CataloguePart {
  const { server, prefix, filter, listing } = source;
  const budget = source.nameBudget ?? DEFAULT_NAME_BUDGET;
  const tools: Array<ToolEntry | { readonly reserved: string }> = [];
  for (const tool of listing.tools) {
    if (!toolAllowed(filter, tool.name)) continue;
    const override = source.overrides?.[tool.name];
    const exposed =
      override?.name !== undefined
        ? joinedName(prefix, override.name)
        : exposedName(prefix, tool.name, budget);
    const shown: Tool = {
      ...tool,
      name: exposed,
      ...(override?.description !== undefined ? { description: override.description } : {}),
    };
    tools.push(
      reserved.has(exposed)
        ? { reserved: exposed }
        : { exposedName: exposed, server, upstreamName: tool.name, tool: exposeToolUi(server, shown) },
    );
  }
  const prompts = listing.prompts.map((prompt): PromptEntry => {
    const exposed = exposedName(prefix, prompt.name, budget);
    return { exposedName: exposed, server, upstreamName: prompt.name, prompt: { ...prompt, name: exposed } };
  });
  const resources = listing.resources.map(
    (resource): ResourceEntry => ({
      server,
      resource: { ...resource, uri: exposeUiUri(server, resource.uri) },
    }),
  );
  const templates = listing.resourceTemplates.map((upstream) => {
    const template = { ...upstream, uriTemplate: exposeUiUri(server, upstream.uriTemplate) };
    return { entry: { server, template }, matcher: safeTemplate(template.uriTemplate) };
  });
  return { source, tools, prompts, resources, templates };
}

/** What each server shows in a merged catalogue: its entries that won their names. */
export interface VisibleEntries {
  readonly tools: ToolEntry[];
  readonly prompts: PromptEntry[];
  readonly resources: ResourceEntry[];
  readonly templates: TemplateEntry[];
}

/**
 * Merges namespaced parts in order (pure): the first part to claim a name keeps it and every
 * later claim is a collision. Also says what each server shows, for change detection.
 */
export function mergeParts(parts: readonly CataloguePart[]): {
  catalogue: Catalogue;
  visible: ReadonlyMap<string, VisibleEntries>;
} {
  const collisions: Collision[] = [];
  const toolByName = new Map<string, ToolEntry>();
  const toolByOrigin = new Map<string, ToolEntry>();
  const promptByName = new Map<string, PromptEntry>();
  const resourceByUri = new Map<string, ResourceEntry>();
  const templates: TemplateEntry[] = [];
  const matchers: Array<{ entry: TemplateEntry; matcher: UriTemplate | undefined }> = [];
  const visible = new Map<string, VisibleEntries>();

  const claim = <T extends { readonly server: string }>(
    table: Map<string, T>,
    kind: Collision["kind"],
    name: string,
    entry: T,
  ): boolean => {
    const existing = table.get(name);
    if (existing !== undefined) {
      collisions.push({ kind, name, kept: existing.server, dropped: entry.server });
      return false;
    }
    table.set(name, entry);
    return true;
  };

  for (const part of parts) {
    const server = part.source.server;
    const shown: VisibleEntries = { tools: [], prompts: [], resources: [], templates: [] };
    visible.set(server, shown);
    for (const item of part.tools) {
      if ("reserved" in item) {
        collisions.push({ kind: "tool", name: item.reserved, kept: "voidmcp", dropped: server });
        continue;
      }
      if (claim(toolByName, "tool", item.exposedName, item)) {
        toolByOrigin.set(originKey(server, item.upstreamName), item);
        shown.tools.push(item);
      }
    }
    for (const entry of part.prompts) {
      if (claim(promptByName, "prompt", entry.exposedName, entry)) shown.prompts.push(entry);
    }
    for (const entry of part.resources) {
      if (claim(resourceByUri, "resource", entry.resource.uri, entry)) shown.resources.push(entry);
    }
    for (const template of part.templates) {
      templates.push(template.entry);
      matchers.push(template);
      shown.templates.push(template.entry);
    }
  }

  const catalogue: Catalogue = {
    tools: [...toolByName.values()],
    prompts: [...promptByName.values()],
    resources: [...resourceByUri.values()],
    templates,
    collisions,
    tool: (exposed) => toolByName.get(exposed),
    toolOf: (server, upstreamName) => toolByOrigin.get(originKey(server, upstreamName)),
    prompt: (exposed) => promptByName.get(exposed),
    resourceOwner: (uri) => {
      const exact = resourceByUri.get(uri);
      if (exact) return exact.server;
      const templated = matchers.find(({ matcher }) => matcher?.match(uri))?.entry.server;
      if (templated !== undefined) return templated;
      const ui = uiServerOf(uri);
      return ui !== undefined && visible.has(ui) ? ui : undefined;
    },
  };
  return { catalogue, visible };
}

export type ListKind = "tools" | "resources" | "prompts";

/** What an update changed for clients. */
export interface ListKindChange {
  /** The lists a client would now see differently (in the order tools, resources, prompts). */
  readonly kinds: ListKind[];
  /** Collisions that were not there before (to report once). */
  readonly newCollisions: Collision[];
}

const NO_ENTRIES: VisibleEntries = { tools: [], prompts: [], resources: [], templates: [] };

/** The exposed definitions of one kind, as text, for comparison. */
function fingerprint(entries: VisibleEntries, kind: ListKind): string {
  switch (kind) {
    case "tools":
      return JSON.stringify(entries.tools.map((e) => e.tool));
    case "resources":
      return JSON.stringify([
        entries.resources.map((e) => e.resource),
        entries.templates.map((e) => e.template),
      ]);
    case "prompts":
      return JSON.stringify(entries.prompts.map((e) => e.prompt));
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
}

function collisionKey(c: Collision): string {
  return `${c.kind}\u0000${c.name}\u0000${c.kept}\u0000${c.dropped}`;
}

/**
 * The catalogue kept up to date one server at a time. Each server's namespaced part is cached
 * and rebuilt only when that server's source changes; the merge reuses the cached parts of all
 * the others. Whether clients see a difference is decided from the servers whose part was
 * rebuilt (their visible entries before and after) and from the collisions (a collision that
 * appears or goes away changes what another server shows), never by comparing whole catalogues.
 */
export class LiveCatalogue {
  private readonly reserved: ReadonlySet<string>;
  private parts: CataloguePart[] = [];
  private visible: ReadonlyMap<string, VisibleEntries> = new Map();
  private catalogue: Catalogue;

  constructor(reserved: readonly string[]) {
    this.reserved = new Set(reserved);
    this.catalogue = mergeParts([]).catalogue;
  }

  get current(): Catalogue {
    return this.catalogue;
  }

  /**
   * `sources` is every server's source in registry order; `changed` names the server whose part
   * is rebuilt. Another server's cached part is reused unless its source is not the one it was
   * built from (a new listing object, prefix or filter), in which case it is rebuilt too.
   */
  update(sources: readonly CatalogueSource[], changed: string): ListKindChange {
    const cached = new Map(this.parts.map((part) => [part.source.server, part]));
    const rebuilt = new Set<string>();
    const parts = sources.map((source) => {
      const previous = cached.get(source.server);
      if (previous && source.server !== changed && sameSource(previous.source, source)) return previous;
      rebuilt.add(source.server);
      return namespacePart(source, this.reserved);
    });
    const order = (list: readonly CataloguePart[]) => list.map((p) => p.source.server).join("\u0000");
    const gone = this.parts
      .map((p) => p.source.server)
      .filter((s) => !parts.some((p) => p.source.server === s));
    for (const server of gone) rebuilt.add(server);
    // A different order decides collisions differently for everyone: compare every server.
    const compareAll =
      order(this.parts.filter((p) => !gone.includes(p.source.server))) !==
      order(parts.filter((p) => cached.has(p.source.server)));
    return this.apply(parts, compareAll ? undefined : rebuilt);
  }

  /** Rebuilds every part (a reload that may reorder or re-prefix servers). */
  reset(sources: readonly CatalogueSource[]): ListKindChange {
    return this.apply(
      sources.map((source) => namespacePart(source, this.reserved)),
      undefined,
    );
  }

  /** Drops a server's part. */
  remove(server: string): ListKindChange {
    if (!this.parts.some((p) => p.source.server === server)) return { kinds: [], newCollisions: [] };
    return this.apply(
      this.parts.filter((p) => p.source.server !== server),
      new Set([server]),
    );
  }

  /** Merges `parts`; compares the servers in `compared` (every server when undefined). */
  private apply(parts: CataloguePart[], compared: ReadonlySet<string> | undefined): ListKindChange {
    const previous = this.catalogue;
    const previousVisible = this.visible;
    const { catalogue, visible } = mergeParts(parts);
    this.parts = parts;
    this.catalogue = catalogue;
    this.visible = visible;

    const before = new Set(previous.collisions.map(collisionKey));
    const after = new Set(catalogue.collisions.map(collisionKey));
    const newCollisions = catalogue.collisions.filter((c) => !before.has(collisionKey(c)));
    const gone = previous.collisions.filter((c) => !after.has(collisionKey(c)));
    // A collision that came or went may change what its two servers show, whoever changed.
    const servers = new Set(compared ?? [...previousVisible.keys(), ...visible.keys()]);
    for (const c of [...newCollisions, ...gone]) {
      servers.add(c.kept);
      servers.add(c.dropped);
    }
    const kinds = new Set<ListKind>();
    for (const server of servers) {
      const old = previousVisible.get(server) ?? NO_ENTRIES;
      const now = visible.get(server) ?? NO_ENTRIES;
      for (const kind of ["tools", "resources", "prompts"] as const) {
        if (!kinds.has(kind) && fingerprint(old, kind) !== fingerprint(now, kind)) kinds.add(kind);
      }
    }
    const ordered = (["tools", "resources", "prompts"] as const).filter((k) => kinds.has(k));
    return { kinds: ordered, newCollisions };
  }
}

function sameSource(a: CatalogueSource, b: CatalogueSource): boolean {
  return (
    a.listing === b.listing &&
    a.prefix === b.prefix &&
    a.nameBudget === b.nameBudget &&
    JSON.stringify(a.filter) === JSON.stringify(b.filter) &&
    JSON.stringify(a.overrides) === JSON.stringify(b.overrides)
  );
}

function originKey(server: string, name: string): string {
  return `${server}\u0000${name}`;
}

function safeTemplate(template: string): UriTemplate | undefined {
  try {
    return new UriTemplate(template);
  } catch {
    return undefined;
  }
}
