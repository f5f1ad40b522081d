import {
  type Prompt,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  type Tool,
  UriTemplate,
} from "@modelcontextprotocol/client";
import { exposedName } from "../core/index.js";
import type { ToolFilter } from "../registry/index.js";
import type { UpstreamListing } from "./connection.js";

/** One server's contribution to the catalogue, in registry order. */
export interface CatalogueSource {
  readonly server: string;
  readonly prefix: string;
  readonly filter: ToolFilter;
  readonly listing: UpstreamListing;
}

export interface ToolEntry {
  /** What clients see and call. */
  readonly exposedName: string;
  readonly server: string;
  /** The name the upstream knows; calls are routed with this, never by parsing exposedName. */
  readonly upstreamName: string;
  /** The upstream's definition with only `name` replaced; schemas are untouched. */
  readonly tool: Tool;
}

export interface PromptEntry {
  readonly exposedName: string;
  readonly server: string;
  readonly upstreamName: string;
  readonly prompt: Prompt;
}

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
  /** Which server answers `resources/read` for this URI: exact URI first, then templates. */
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
  const collisions: Collision[] = [];
  const toolByName = new Map<string, ToolEntry>();
  const toolByOrigin = new Map<string, ToolEntry>();
  const promptByName = new Map<string, PromptEntry>();
  const resourceByUri = new Map<string, ResourceEntry>();
  const templates: TemplateEntry[] = [];
  const reservedNames = new Set(reserved);

  const claim = <T>(
    table: Map<string, T>,
    kind: Collision["kind"],
    name: string,
    server: string,
    owner: (entry: T) => string,
    entry: T,
  ): boolean => {
    const existing = table.get(name);
    if (existing !== undefined) {
      collisions.push({ kind, name, kept: owner(existing), dropped: server });
      return false;
    }
    table.set(name, entry);
    return true;
  };

  for (const { server, prefix, filter, listing } of sources) {
    for (const tool of listing.tools) {
      if (!toolAllowed(filter, tool.name)) continue;
      const exposed = exposedName(prefix, tool.name);
      if (reservedNames.has(exposed)) {
        collisions.push({ kind: "tool", name: exposed, kept: "voidmcp", dropped: server });
        continue;
      }
      const entry: ToolEntry = {
        exposedName: exposed,
        server,
        upstreamName: tool.name,
        tool: { ...tool, name: exposed },
      };
      if (claim(toolByName, "tool", exposed, server, (e) => e.server, entry)) {
        toolByOrigin.set(originKey(server, tool.name), entry);
      }
    }
    for (const prompt of listing.prompts) {
      const exposed = exposedName(prefix, prompt.name);
      const entry: PromptEntry = {
        exposedName: exposed,
        server,
        upstreamName: prompt.name,
        prompt: { ...prompt, name: exposed },
      };
      claim(promptByName, "prompt", exposed, server, (e) => e.server, entry);
    }
    for (const resource of listing.resources) {
      claim(resourceByUri, "resource", resource.uri, server, (e) => e.server, { server, resource });
    }
    for (const template of listing.resourceTemplates) templates.push({ server, template });
  }

  const matchers = templates.map((entry) => ({ entry, matcher: safeTemplate(entry.template.uriTemplate) }));
  const tools = [...toolByName.values()];
  return {
    tools,
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
      return matchers.find(({ matcher }) => matcher?.match(uri))?.entry.server;
    },
  };
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
