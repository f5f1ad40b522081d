import { describe, expect, it } from "vitest";
import type { ToolFilter } from "../registry/index.js";
import { buildCatalogue, type CatalogueSource, LiveCatalogue, toolAllowed } from "./catalogue.js";
import type { Prompt, Resource, ResourceTemplate, Tool } from "./index.js";
import type { UpstreamListing } from "./types.js";

function tool(name: string, extra: Partial<Tool> = {}): Tool {
  return { name, inputSchema: { type: "object" }, ...extra };
}

function listing(parts: Partial<UpstreamListing>): UpstreamListing {
  return { tools: [], resources: [], resourceTemplates: [], prompts: [], ...parts };
}

function source(
  server: string,
  parts: Partial<UpstreamListing>,
  options: { prefix?: string; filter?: ToolFilter } = {},
): CatalogueSource {
  return { server, prefix: options.prefix ?? server, filter: options.filter ?? {}, listing: listing(parts) };
}

describe("toolAllowed", () => {
  const cases: Array<{ filter: ToolFilter; name: string; allowed: boolean }> = [
    { filter: {}, name: "anything", allowed: true },
    { filter: { allow: ["a", "b"] }, name: "a", allowed: true },
    { filter: { allow: ["a", "b"] }, name: "c", allowed: false },
    { filter: { allow: [] }, name: "a", allowed: false },
    { filter: { deny: ["a"] }, name: "a", allowed: false },
    { filter: { deny: ["a"] }, name: "b", allowed: true },
    { filter: { deny: [] }, name: "a", allowed: true },
    // deny applies after allow
    { filter: { allow: ["a", "b"], deny: ["a"] }, name: "a", allowed: false },
    { filter: { allow: ["a", "b"], deny: ["a"] }, name: "b", allowed: true },
    // exact names, not prefixes or case-folded
    { filter: { allow: ["read"] }, name: "read_file", allowed: false },
    { filter: { deny: ["Read"] }, name: "read", allowed: true },
  ];
  it.each(cases)("$filter lets $name through: $allowed", ({ filter, name, allowed }) => {
    expect(toolAllowed(filter, name)).toBe(allowed);
  });
});

describe("buildCatalogue", () => {
  it("namespaces tools as server__tool and keeps a table back to the upstream name", () => {
    const catalogue = buildCatalogue([
      source("github", { tools: [tool("create_issue"), tool("list.repos")] }),
      source("fs", { tools: [tool("read")] }),
    ]);
    expect(catalogue.tools.map((t) => [t.exposedName, t.server, t.upstreamName])).toEqual([
      ["github__create_issue", "github", "create_issue"],
      [expect.stringMatching(/^github__list_repos_[0-9a-f]{8}$/), "github", "list.repos"],
      ["fs__read", "fs", "read"],
    ]);
    expect(catalogue.tool("github__create_issue")?.upstreamName).toBe("create_issue");
    expect(catalogue.tool("fs__read")?.server).toBe("fs");
    const hashed = catalogue.tools[1]?.exposedName ?? "";
    expect(catalogue.tool(hashed)?.upstreamName).toBe("list.repos");
    expect(catalogue.tool("create_issue")).toBeUndefined();
    expect(catalogue.tool("github__nope")).toBeUndefined();
    expect(catalogue.collisions).toEqual([]);
  });

  it('uses the prefix, not the server name, and mounts prefix "" unprefixed', () => {
    const catalogue = buildCatalogue([
      source("github", { tools: [tool("create_issue")] }, { prefix: "gh" }),
      source("local", { tools: [tool("echo")] }, { prefix: "" }),
    ]);
    expect(catalogue.tools.map((t) => t.exposedName)).toEqual(["gh__create_issue", "echo"]);
    expect(catalogue.tool("echo")).toMatchObject({ server: "local", upstreamName: "echo" });
    expect(catalogue.tool("github__create_issue")).toBeUndefined();
  });

  const filters: Array<{ filter: ToolFilter; exposed: string[] }> = [
    { filter: {}, exposed: ["s__a", "s__b", "s__c"] },
    { filter: { allow: ["a", "c"] }, exposed: ["s__a", "s__c"] },
    { filter: { deny: ["b"] }, exposed: ["s__a", "s__c"] },
    { filter: { allow: ["a", "b"], deny: ["a"] }, exposed: ["s__b"] },
    { filter: { allow: [] }, exposed: [] },
  ];
  it.each(filters)("applies the tool filter $filter", ({ filter, exposed }) => {
    const catalogue = buildCatalogue([source("s", { tools: [tool("a"), tool("b"), tool("c")] }, { filter })]);
    expect(catalogue.tools.map((t) => t.exposedName)).toEqual(exposed);
  });

  it("filters only tools, never prompts or resources", () => {
    const catalogue = buildCatalogue([
      source(
        "s",
        {
          tools: [tool("a")],
          prompts: [{ name: "a" }],
          resources: [{ uri: "file:///a", name: "a" }],
        },
        { filter: { deny: ["a"] } },
      ),
    ]);
    expect(catalogue.tools).toEqual([]);
    expect(catalogue.prompts.map((p) => p.exposedName)).toEqual(["s__a"]);
    expect(catalogue.resources).toHaveLength(1);
  });

  it("keeps the first server in order on a collision and reports kept/dropped", () => {
    const catalogue = buildCatalogue([
      source("one", { tools: [tool("echo", { description: "first" }), tool("only_one")] }, { prefix: "" }),
      source("two", { tools: [tool("echo", { description: "second" }), tool("only_two")] }, { prefix: "" }),
      source("three", { tools: [tool("echo")] }, { prefix: "" }),
    ]);
    expect(catalogue.tools.map((t) => t.exposedName)).toEqual(["echo", "only_one", "only_two"]);
    expect(catalogue.tool("echo")?.server).toBe("one");
    expect(catalogue.tool("echo")?.tool.description).toBe("first");
    expect(catalogue.collisions).toEqual([
      { kind: "tool", name: "echo", kept: "one", dropped: "two" },
      { kind: "tool", name: "echo", kept: "one", dropped: "three" },
    ]);
    // The dropped tool is not reachable through the reverse table either.
    expect(catalogue.toolOf("two", "echo")).toBeUndefined();
    expect(catalogue.toolOf("one", "echo")?.exposedName).toBe("echo");
  });

  it("reports a collision between a prefixed and an unprefixed server", () => {
    const catalogue = buildCatalogue([
      source("a", { tools: [tool("b")] }),
      source("root", { tools: [tool("a__b")] }, { prefix: "" }),
    ]);
    expect(catalogue.tools).toHaveLength(1);
    expect(catalogue.tool("a__b")?.server).toBe("a");
    expect(catalogue.collisions).toEqual([{ kind: "tool", name: "a__b", kept: "a", dropped: "root" }]);
  });

  it("never lets an upstream tool take a reserved meta-tool name", () => {
    const reserved = ["search", "execute_code", "list_servers"];
    const catalogue = buildCatalogue(
      [
        source("root", { tools: [tool("search"), tool("list_servers"), tool("other")] }, { prefix: "" }),
        source("s", { tools: [tool("search")] }),
      ],
      reserved,
    );
    expect(catalogue.tools.map((t) => t.exposedName)).toEqual(["other", "s__search"]);
    expect(catalogue.tool("search")).toBeUndefined();
    expect(catalogue.toolOf("root", "search")).toBeUndefined();
    expect(catalogue.collisions).toEqual([
      { kind: "tool", name: "search", kept: "voidmcp", dropped: "root" },
      { kind: "tool", name: "list_servers", kept: "voidmcp", dropped: "root" },
    ]);
  });

  it("finds a tool by (server, upstream name) with toolOf", () => {
    const catalogue = buildCatalogue([
      source("github", { tools: [tool("create issue"), tool("list")] }, { filter: { deny: ["list"] } }),
      source("gitlab", { tools: [tool("create issue")] }),
    ]);
    const entry = catalogue.toolOf("github", "create issue");
    expect(entry?.server).toBe("github");
    expect(entry?.upstreamName).toBe("create issue");
    expect(entry?.exposedName).toMatch(/^github__create_issue_[0-9a-f]{8}$/);
    expect(catalogue.tool(entry?.exposedName ?? "")).toBe(entry);
    expect(catalogue.toolOf("gitlab", "create issue")?.server).toBe("gitlab");
    expect(catalogue.toolOf("github", "list")).toBeUndefined(); // filtered out
    expect(catalogue.toolOf("github", "github__create_issue")).toBeUndefined();
    expect(catalogue.toolOf("nobody", "create issue")).toBeUndefined();
  });

  it("passes schemas and every other field through untouched, replacing only the name", () => {
    const original: Tool = {
      name: "add",
      title: "Add numbers",
      description: "Adds a and b",
      inputSchema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number", description: "second" } },
        required: ["a", "b"],
      },
      outputSchema: { type: "object", properties: { sum: { type: "number" } } },
      annotations: { readOnlyHint: true },
      _meta: { vendor: { x: 1 } },
    };
    const snapshot = structuredClone(original);
    const catalogue = buildCatalogue([source("math", { tools: [original] })]);
    const entry = catalogue.tool("math__add");
    expect(entry?.tool).toEqual({ ...snapshot, name: "math__add" });
    expect(entry?.tool.inputSchema).toEqual(snapshot.inputSchema);
    expect(entry?.tool.outputSchema).toEqual(snapshot.outputSchema);
    // The input is not mutated.
    expect(original).toEqual(snapshot);
  });

  it("does not mutate the input listings", () => {
    const sources = [
      source(
        "one",
        {
          tools: [tool("a.b"), tool("c")],
          prompts: [{ name: "p", description: "d" }],
          resources: [{ uri: "file:///x", name: "x" }],
          resourceTemplates: [{ uriTemplate: "db://{table}", name: "t" }],
        },
        { filter: { deny: ["c"] } },
      ),
      source("two", { tools: [tool("a.b")], prompts: [{ name: "p" }] }, { prefix: "" }),
    ];
    const snapshot = structuredClone(sources);
    const catalogue = buildCatalogue(sources, ["a_b"]);
    expect(catalogue.tools.length).toBeGreaterThan(0);
    expect(sources).toEqual(snapshot);
  });

  it("namespaces prompts and reports prompt collisions", () => {
    const prompts: Prompt[] = [
      { name: "summarise", description: "Summarise", arguments: [{ name: "text", required: true }] },
      { name: "review code" },
    ];
    const catalogue = buildCatalogue([
      source("docs", { prompts }),
      source("root", { prompts: [{ name: "docs__summarise" }] }, { prefix: "" }),
    ]);
    expect(catalogue.prompts.map((p) => [p.exposedName, p.server, p.upstreamName])).toEqual([
      ["docs__summarise", "docs", "summarise"],
      [expect.stringMatching(/^docs__review_code_[0-9a-f]{8}$/), "docs", "review code"],
    ]);
    expect(catalogue.prompt("docs__summarise")?.prompt).toEqual({ ...prompts[0], name: "docs__summarise" });
    expect(catalogue.prompt("summarise")).toBeUndefined();
    expect(catalogue.collisions).toEqual([
      { kind: "prompt", name: "docs__summarise", kept: "docs", dropped: "root" },
    ]);
  });

  it("does not reserve meta-tool names for prompts", () => {
    const catalogue = buildCatalogue(
      [source("root", { prompts: [{ name: "search" }] }, { prefix: "" })],
      ["search"],
    );
    expect(catalogue.prompt("search")?.server).toBe("root");
    expect(catalogue.collisions).toEqual([]);
  });

  describe("resources", () => {
    const resources: Resource[] = [
      { uri: "file:///etc/hosts", name: "hosts" },
      { uri: "db://users/1", name: "first user" },
    ];
    const templates: ResourceTemplate[] = [{ uriTemplate: "db://users/{id}", name: "user" }];
    const catalogue = buildCatalogue([
      source("files", { resources: [resources[0] as Resource] }),
      source("db", { resources: [resources[1] as Resource], resourceTemplates: [] }),
      source("db2", { resourceTemplates: templates }),
      source("broken", { resourceTemplates: [{ uriTemplate: "x://{unclosed", name: "bad" }] }),
      source("mail", { resourceTemplates: [{ uriTemplate: "mail://{box}/{id}", name: "mail" }] }),
      source("dup", { resources: [{ uri: "file:///etc/hosts", name: "again" }] }),
    ]);

    const owners: Array<{ uri: string; owner: string | undefined }> = [
      { uri: "file:///etc/hosts", owner: "files" },
      // An exact URI wins over a template that also matches it.
      { uri: "db://users/1", owner: "db" },
      { uri: "db://users/42", owner: "db2" },
      { uri: "mail://inbox/7", owner: "mail" },
      { uri: "mail://inbox", owner: undefined },
      { uri: "file:///etc/passwd", owner: undefined },
      { uri: "db://groups/1", owner: undefined },
      { uri: "", owner: undefined },
    ];
    it.each(owners)("routes $uri to $owner", ({ uri, owner }) => {
      expect(catalogue.resourceOwner(uri)).toBe(owner);
    });

    it("lists resources with their owner and keeps the first on a duplicate URI", () => {
      expect(catalogue.resources).toEqual([
        { server: "files", resource: resources[0] },
        { server: "db", resource: resources[1] },
      ]);
      expect(catalogue.collisions).toEqual([
        { kind: "resource", name: "file:///etc/hosts", kept: "files", dropped: "dup" },
      ]);
    });

    it("lists every template, even one that cannot be parsed", () => {
      expect(catalogue.templates.map((t) => [t.server, t.template.uriTemplate])).toEqual([
        ["db2", "db://users/{id}"],
        ["broken", "x://{unclosed"],
        ["mail", "mail://{box}/{id}"],
      ]);
    });
  });

  it("builds an empty catalogue from no sources", () => {
    const catalogue = buildCatalogue([]);
    expect(catalogue.tools).toEqual([]);
    expect(catalogue.prompts).toEqual([]);
    expect(catalogue.resources).toEqual([]);
    expect(catalogue.templates).toEqual([]);
    expect(catalogue.collisions).toEqual([]);
    expect(catalogue.resourceOwner("file:///x")).toBeUndefined();
  });
});

describe("LiveCatalogue", () => {
  const reserved = ["search"];
  const echo = tool("echo", { description: "echo" });
  const add = tool("add");
  const hosts: Resource = { uri: "file:///etc/hosts", name: "hosts" };
  const users: ResourceTemplate = { uriTemplate: "db://users/{id}", name: "user" };
  const greet: Prompt = { name: "greet" };
  const everything = { tools: [echo, add], resources: [hosts], resourceTemplates: [users], prompts: [greet] };

  interface Case {
    readonly name: string;
    readonly before: CatalogueSource[];
    readonly after: CatalogueSource[];
    readonly changed: string;
    readonly kinds: string[];
    readonly newCollisions?: string[];
  }
  const cases: Case[] = [
    {
      name: "a new listing object with the same content changes nothing",
      before: [source("a", { tools: [echo] }), source("b", { tools: [add] })],
      after: [source("a", { tools: [tool("echo", { description: "echo" })] }), source("b", { tools: [add] })],
      changed: "a",
      kinds: [],
    },
    {
      name: "a tool added",
      before: [source("a", { tools: [echo] })],
      after: [source("a", { tools: [echo, add] })],
      changed: "a",
      kinds: ["tools"],
    },
    {
      name: "a tool's description changed",
      before: [source("a", { tools: [echo] })],
      after: [source("a", { tools: [tool("echo", { description: "new" })] })],
      changed: "a",
      kinds: ["tools"],
    },
    {
      name: "a filtered-out tool added",
      before: [source("a", { tools: [echo] }, { filter: { deny: ["add"] } })],
      after: [source("a", { tools: [echo, add] }, { filter: { deny: ["add"] } })],
      changed: "a",
      kinds: [],
    },
    {
      name: "a resource and a template",
      before: [source("a", { tools: [echo] })],
      after: [source("a", { tools: [echo], resources: [hosts] })],
      changed: "a",
      kinds: ["resources"],
    },
    {
      name: "a template alone",
      before: [source("a", {})],
      after: [source("a", { resourceTemplates: [users] })],
      changed: "a",
      kinds: ["resources"],
    },
    {
      name: "a prompt",
      before: [source("a", { prompts: [greet] })],
      after: [source("a", { prompts: [] })],
      changed: "a",
      kinds: ["prompts"],
    },
    {
      name: "a server that failed shows nothing",
      before: [source("a", everything), source("b", { tools: [add] })],
      after: [source("a", {}), source("b", { tools: [add] })],
      changed: "a",
      kinds: ["tools", "resources", "prompts"],
    },
    {
      name: "a new tool that loses its name to an earlier server is not seen",
      before: [source("a", { tools: [echo] }, { prefix: "" }), source("b", { tools: [add] }, { prefix: "" })],
      after: [
        source("a", { tools: [echo] }, { prefix: "" }),
        source("b", { tools: [add, echo] }, { prefix: "" }),
      ],
      changed: "b",
      kinds: [],
      newCollisions: ["echo"],
    },
    {
      name: "the winner dropping a name lets the other server's tool through",
      before: [
        source("a", { tools: [echo, add] }, { prefix: "" }),
        source("b", { tools: [echo] }, { prefix: "" }),
      ],
      after: [source("a", { tools: [add] }, { prefix: "" }), source("b", { tools: [echo] }, { prefix: "" })],
      changed: "a",
      kinds: ["tools"],
    },
    {
      name: "an earlier server taking a name hides the later one's tool",
      before: [source("a", { tools: [add] }, { prefix: "" }), source("b", { tools: [echo] }, { prefix: "" })],
      after: [
        source("a", { tools: [add, tool("echo", { description: "echo" })] }, { prefix: "" }),
        source("b", { tools: [echo] }, { prefix: "" }),
      ],
      changed: "a",
      // The list reads the same, but calls to echo now go to another server: counted as a change.
      kinds: ["tools"],
      newCollisions: ["echo"],
    },
    {
      name: "a reserved name is reported, never listed",
      before: [source("a", { tools: [echo] }, { prefix: "" })],
      after: [source("a", { tools: [echo, tool("search")] }, { prefix: "" })],
      changed: "a",
      kinds: [],
      newCollisions: ["search"],
    },
    {
      name: "a server added",
      before: [source("a", { tools: [echo] })],
      after: [source("a", { tools: [echo] }), source("b", { prompts: [greet] })],
      changed: "b",
      kinds: ["prompts"],
    },
    {
      name: "servers reordered: collisions are decided again for everyone",
      before: [
        source("a", { tools: [echo] }, { prefix: "" }),
        source("b", { tools: [tool("echo", { description: "b" })] }, { prefix: "" }),
      ],
      after: [
        source("b", { tools: [tool("echo", { description: "b" })] }, { prefix: "" }),
        source("a", { tools: [echo] }, { prefix: "" }),
      ],
      changed: "a",
      kinds: ["tools"],
      newCollisions: ["echo"],
    },
  ];

  it.each(cases)("$name → $kinds", ({ before, after, changed, kinds, newCollisions }) => {
    const live = new LiveCatalogue(reserved);
    for (const s of before) live.update(before, s.server);
    const change = live.update(after, changed);
    expect(change.kinds).toEqual(kinds);
    expect(change.newCollisions.map((c) => c.name)).toEqual(newCollisions ?? []);
    // Whatever path led here, the result is what a full build gives.
    const full = buildCatalogue(after, reserved);
    expect(live.current.tools).toEqual(full.tools);
    expect(live.current.prompts).toEqual(full.prompts);
    expect(live.current.resources).toEqual(full.resources);
    expect(live.current.templates).toEqual(full.templates);
    expect(live.current.collisions).toEqual(full.collisions);
  });

  it("reuses the other servers' namespaced entries instead of rebuilding them", () => {
    const live = new LiveCatalogue(reserved);
    const a = source("a", { tools: [echo] });
    live.update([a], "a");
    const entry = live.current.tool("a__echo");
    live.update([a, source("b", { tools: [add] })], "b");
    live.update([a, source("b", { tools: [add, echo] })], "b");
    expect(live.current.tool("a__echo")).toBe(entry);
    // The changed server's part is rebuilt even when its listing object is the same.
    live.update([a, source("b", { tools: [add, echo] })], "a");
    expect(live.current.tool("a__echo")).not.toBe(entry);
    expect(live.current.tool("a__echo")).toEqual(entry);
  });

  it("rebuilds another server whose source is not the one its part was built from", () => {
    const live = new LiveCatalogue(reserved);
    live.update([source("a", { tools: [echo] }), source("b", {})], "a");
    const change = live.update([source("a", { tools: [echo, add] }), source("b", { prompts: [greet] })], "b");
    expect(change.kinds).toEqual(["tools", "prompts"]);
    expect(live.current.tool("a__add")?.server).toBe("a");
  });

  it("remove() drops a server and says what clients lose", () => {
    const live = new LiveCatalogue(reserved);
    const sources = [source("a", { tools: [echo] }), source("b", { resources: [hosts] })];
    live.update(sources, "a");
    live.update(sources, "b");
    expect(live.remove("b").kinds).toEqual(["resources"]);
    expect(live.current.resourceOwner(hosts.uri)).toBeUndefined();
    expect(live.remove("b").kinds).toEqual([]);
    expect(live.current.tool("a__echo")?.server).toBe("a");
  });

  it("reset() rebuilds everything and compares every server", () => {
    const live = new LiveCatalogue(reserved);
    const sources = [source("a", { tools: [echo] }), source("b", { tools: [add] })];
    live.update(sources, "a");
    live.update(sources, "b");
    expect(live.reset(sources).kinds).toEqual([]);
    const renamed = [source("a", { tools: [echo] }, { prefix: "x" }), source("b", { tools: [add] })];
    expect(live.reset(renamed).kinds).toEqual(["tools"]);
    expect(live.current.tool("x__echo")?.server).toBe("a");
  });
});

describe("overrides and the name budget", () => {
  const long = "get_repository_collaborators_with_permissions";
  const cases: Array<{
    what: string;
    source: CatalogueSource;
    exposed: string[];
    descriptions?: Array<string | undefined>;
  }> = [
    {
      what: "a name that fits stays as it is",
      source: { ...source("github", { tools: [tool("create_issue")] }) },
      exposed: ["github__create_issue"],
    },
    {
      what: "a long name is shortened to the default budget of 50",
      source: source("github", { tools: [tool(long)] }),
      exposed: ["github__get_repository_collaborators_with_b830dd21"],
    },
    {
      what: "a larger budget keeps it whole",
      source: { ...source("github", { tools: [tool(long)] }), nameBudget: 64 },
      exposed: [`github__${long}`],
    },
    {
      what: "an override renames under the prefix, and may describe anew",
      source: {
        ...source("github", {
          tools: [tool(long, { description: "old" }), tool("b", { description: "kept" })],
        }),
        overrides: { [long]: { name: "collaborators", description: "Who can push" } },
      },
      exposed: ["github__collaborators", "github__b"],
      descriptions: ["Who can push", "kept"],
    },
    {
      what: "a description-only override keeps the generated name",
      source: {
        ...source("", { tools: [tool("t", { description: "old" })] }, { prefix: "" }),
        overrides: { t: { description: "new" } },
      },
      exposed: ["t"],
      descriptions: ["new"],
    },
    {
      what: "an override for a tool the server does not list changes nothing",
      source: { ...source("s", { tools: [tool("a")] }), overrides: { gone: { name: "x" } } },
      exposed: ["s__a"],
    },
  ];
  it.each(cases)("$what", ({ source: given, exposed, descriptions }) => {
    const catalogue = buildCatalogue([given]);
    expect(catalogue.tools.map((t) => t.exposedName)).toEqual(exposed);
    expect(catalogue.tools.map((t) => t.tool.name)).toEqual(exposed);
    if (descriptions) expect(catalogue.tools.map((t) => t.tool.description)).toEqual(descriptions);
    // Routing goes by the table, whatever the name became.
    for (const entry of catalogue.tools) expect(catalogue.tool(entry.exposedName)).toBe(entry);
  });

  it("reports an override that takes another tool's name as a collision", () => {
    const catalogue = buildCatalogue([
      { ...source("s", { tools: [tool("a"), tool("b")] }), overrides: { b: { name: "a" } } },
    ]);
    expect(catalogue.tools.map((t) => t.upstreamName)).toEqual(["a"]);
    expect(catalogue.collisions).toEqual([{ kind: "tool", name: "s__a", kept: "s", dropped: "s" }]);
  });

  it("rebuilds a cached part when its overrides or budget change", () => {
    const live = new LiveCatalogue([]);
    const base = source("s", { tools: [tool(long)] });
    live.update([base], "s");
    const renamed = live.update([{ ...base, overrides: { [long]: { name: "short" } } }], "other");
    expect(renamed.kinds).toEqual(["tools"]);
    expect(live.current.tools.map((t) => t.exposedName)).toEqual(["s__short"]);
    live.update([{ ...base, nameBudget: 64 }], "other");
    expect(live.current.tools.map((t) => t.exposedName)).toEqual([`s__${long}`]);
  });
});
