import type { ReadResourceResult, Tool } from "@modelcontextprotocol/client";

/**
 * MCP Apps (`io.modelcontextprotocol/ui`): a tool points at an HTML resource with
 * `_meta.ui.resourceUri = "ui://…"`, which the client reads with resources/read and renders.
 * Upstreams choose their `ui://` URIs freely (`ui://widget/index.html` is common), so two servers
 * can pick the same one. Every `ui://` URI an upstream shows is therefore exposed with the server's
 * name in front, `ui://<server>/<rest>`, keeping the scheme so clients still recognise it, and
 * mapped back (`ui://<rest>`) before it goes to that server. Other URIs pass through unchanged, as
 * they always have. Server names are `[A-Za-z0-9_-]` and have no `/`, so the first segment after
 * `ui://` names the server without ambiguity. All functions here are pure.
 */

export const UI_SCHEME = "ui://";
/** The extension's key in `capabilities.extensions`. */
export const UI_EXTENSION = "io.modelcontextprotocol/ui";
/** The MIME type of an MCP App's HTML. */
export const UI_MIME_TYPE = "text/html;profile=mcp-app";

/** `ui://<rest>` of `server` → `ui://<server>/<rest>`; any other URI unchanged. */
export function exposeUiUri(server: string, uri: string): string {
  return uri.startsWith(UI_SCHEME) ? `${UI_SCHEME}${server}/${uri.slice(UI_SCHEME.length)}` : uri;
}

/** The server an exposed `ui://<server>/…` URI names, or undefined when it is not one. */
export function uiServerOf(uri: string): string | undefined {
  if (!uri.startsWith(UI_SCHEME)) return undefined;
  const rest = uri.slice(UI_SCHEME.length);
  const slash = rest.indexOf("/");
  return slash > 0 ? rest.slice(0, slash) : undefined;
}

/** The URI `server` knows for an exposed one: `ui://<server>/<rest>` → `ui://<rest>`; others unchanged. */
export function upstreamResourceUri(server: string, uri: string): string {
  const own = `${UI_SCHEME}${server}/`;
  return uri.startsWith(own) ? `${UI_SCHEME}${uri.slice(own.length)}` : uri;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A tool with its UI resource URIs exposed: `_meta.ui.resourceUri`, and the flat
 * `_meta["ui/resourceUri"]` of earlier drafts that some servers still send. Returns the same
 * object when there is nothing to rewrite.
 */
export function exposeToolUi(server: string, tool: Tool): Tool {
  const meta = tool._meta;
  if (!isRecord(meta)) return tool;
  const ui = meta.ui;
  const nested = isRecord(ui) && typeof ui.resourceUri === "string" ? ui.resourceUri : undefined;
  const flat = typeof meta["ui/resourceUri"] === "string" ? meta["ui/resourceUri"] : undefined;
  if (nested === undefined && flat === undefined) return tool;
  const rewritten: Record<string, unknown> = { ...meta };
  if (nested !== undefined && isRecord(ui))
    rewritten.ui = { ...ui, resourceUri: exposeUiUri(server, nested) };
  if (flat !== undefined) rewritten["ui/resourceUri"] = exposeUiUri(server, flat);
  return { ...tool, _meta: rewritten };
}

/** A resources/read answer of `server` with the URIs of its contents exposed. */
export function exposeReadResult(server: string, result: ReadResourceResult): ReadResourceResult {
  if (!result.contents.some((c) => c.uri.startsWith(UI_SCHEME))) return result;
  return { ...result, contents: result.contents.map((c) => ({ ...c, uri: exposeUiUri(server, c.uri) })) };
}
