import type { ServerCapabilities } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { subscriptionFilter } from "./subscription-filter.js";

describe("subscriptionFilter", () => {
  const cases: Array<[string, ServerCapabilities | undefined, string[], unknown]> = [
    ["no capabilities", undefined, [], undefined],
    ["tools without listChanged", { tools: {} }, [], undefined],
    ["tools list changes", { tools: { listChanged: true } }, [], { toolsListChanged: true }],
    [
      "every list",
      { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
      [],
      { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true },
    ],
    [
      "subscribed resources, sorted and once each",
      { resources: { subscribe: true } },
      ["b://2", "a://1", "b://2"],
      { resourceSubscriptions: ["a://1", "b://2"] },
    ],
    [
      "resources the server cannot subscribe to",
      { resources: { listChanged: true } },
      ["a://1"],
      { resourcesListChanged: true },
    ],
  ];
  it.each(cases)("%s", (_, capabilities, uris, expected) => {
    expect(subscriptionFilter(capabilities, uris)).toEqual(expected);
  });
});
