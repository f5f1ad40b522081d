import type { ServerCapabilities, SubscriptionFilter } from "@modelcontextprotocol/client";

/**
 * Pure: what a modern server's `subscriptions/listen` stream asks for: the list changes its
 * capabilities promise (the same list_changed notifications a legacy server pushes unasked),
 * and updates of the resources clients subscribed to through the gateway. Undefined when there
 * is nothing to listen for, so no stream is held open in vain.
 */
export function subscriptionFilter(
  capabilities: ServerCapabilities | undefined,
  resourceUris: Iterable<string>,
): SubscriptionFilter | undefined {
  const uris = capabilities?.resources?.subscribe ? [...new Set(resourceUris)].sort() : [];
  const filter: SubscriptionFilter = {
    ...(capabilities?.tools?.listChanged ? { toolsListChanged: true } : {}),
    ...(capabilities?.prompts?.listChanged ? { promptsListChanged: true } : {}),
    ...(capabilities?.resources?.listChanged ? { resourcesListChanged: true } : {}),
    ...(uris.length > 0 ? { resourceSubscriptions: uris } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : undefined;
}
