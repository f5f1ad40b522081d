import { describe, expect, it } from "vitest";
import { applyJsonChanges, removeMember, setMember } from "./json-edit.js";
import { stripJsonComments } from "./jsonc.js";

const ENTRY = { command: "/usr/bin/node", args: ["/opt/voidmcp.mjs", "serve"] };

describe("setMember", () => {
  // [what, text before, text after] for setMember(text, ["mcpServers"], "voidmcp", ENTRY)
  const cases: Array<[string, string, string]> = [
    [
      "an empty object",
      "{}\n",
      `{
  "mcpServers": {
    "voidmcp": {
      "command": "/usr/bin/node",
      "args": [
        "/opt/voidmcp.mjs",
        "serve"
      ]
    }
  }
}
`,
    ],
    [
      "an empty servers object, indented with four spaces",
      `{
    "theme": "dark",
    "mcpServers": {}
}`,
      `{
    "theme": "dark",
    "mcpServers": {
        "voidmcp": {
            "command": "/usr/bin/node",
            "args": [
                "/opt/voidmcp.mjs",
                "serve"
            ]
        }
    }
}`,
    ],
    [
      "after the last server, keeping a comment on its line with it",
      `{
  "mcpServers": {
    "a": { "command": "a" } // the a server
  },
  "other": 1
}`,
      `{
  "mcpServers": {
    "a": { "command": "a" }, // the a server
    "voidmcp": {
      "command": "/usr/bin/node",
      "args": [
        "/opt/voidmcp.mjs",
        "serve"
      ]
    }
  },
  "other": 1
}`,
    ],
    [
      "after a trailing comma, keeping that style",
      `{
\t"mcpServers": {
\t\t"a": { "command": "a" },
\t},
}`,
      `{
\t"mcpServers": {
\t\t"a": { "command": "a" },
\t\t"voidmcp": {
\t\t\t"command": "/usr/bin/node",
\t\t\t"args": [
\t\t\t\t"/opt/voidmcp.mjs",
\t\t\t\t"serve"
\t\t\t]
\t\t},
\t},
}`,
    ],
    [
      "a one-line file stays on one line",
      `{"mcpServers": {"a": {"command": "a"}}}`,
      `{"mcpServers": {"a": {"command": "a"}, "voidmcp": { "command": "/usr/bin/node", "args": ["/opt/voidmcp.mjs", "serve"] }}}`,
    ],
    [
      "replaces an existing entry in place",
      `{
  "mcpServers": {
    "voidmcp": { "command": "old" },
    "z": { "command": "z" }
  }
}`,
      `{
  "mcpServers": {
    "voidmcp": {
      "command": "/usr/bin/node",
      "args": [
        "/opt/voidmcp.mjs",
        "serve"
      ]
    },
    "z": { "command": "z" }
  }
}`,
    ],
    [
      "creates the servers object after a commented last member, with the file's CRLF line breaks",
      '{\r\n  "a": 1 /* note */\r\n}\r\n',
      '{\r\n  "a": 1, /* note */\r\n  "mcpServers": {\r\n    "voidmcp": {\r\n      "command": "/usr/bin/node",\r\n      "args": [\r\n        "/opt/voidmcp.mjs",\r\n        "serve"\r\n      ]\r\n    }\r\n  }\r\n}\r\n',
    ],
    [
      "strings with braces, quotes and comment markers are not structure",
      `{ "x": "} // {", "mcpServers": { "y": "/* \\" */" } }`,
      `{ "x": "} // {", "mcpServers": { "y": "/* \\" */", "voidmcp": { "command": "/usr/bin/node", "args": ["/opt/voidmcp.mjs", "serve"] } } }`,
    ],
  ];
  it.each(cases)("%s", (_, before, after) => {
    const out = setMember(before, ["mcpServers"], "voidmcp", ENTRY);
    expect(out).toBe(after);
  });

  it("keeps a byte-order mark", () => {
    expect(setMember('\uFEFF{"a": 1}', ["s"], "k", 2)).toBe('\uFEFF{"a": 1, "s": { "k": 2 }}');
  });

  it("creates missing objects along a nested path", () => {
    const out = setMember('{ "a": 1 }', ["mcp", "servers"], "voidmcp", { command: "x" });
    expect(JSON.parse(out)).toEqual({ a: 1, mcp: { servers: { voidmcp: { command: "x" } } } });
  });

  it("refuses a path through something that is not an object, saying where", () => {
    expect(() => setMember('{\n  "mcpServers": []\n}', ["mcpServers"], "voidmcp", ENTRY)).toThrow(
      expect.objectContaining({ message: "expected an object at mcpServers", offset: 18 }),
    );
  });
});

describe("removeMember", () => {
  const cases: Array<[string, string, string, string]> = [
    [
      "the first of several, with the comment line above it",
      `{
  "s": {
    // about a
    "a": { "command": "a" },
    // about b
    "b": 2
  }
}`,
      "a",
      `{
  "s": {
    // about b
    "b": 2
  }
}`,
    ],
    [
      "the last of several, comments of the one before kept",
      `{
  "s": {
    "a": 1, // about a
    "b": {
      "x": [1, 2]
    }
  }
}`,
      "b",
      `{
  "s": {
    "a": 1 // about a
  }
}`,
    ],
    ["the only one", `{ "s": { "a": 1 } }`, "a", `{ "s": {} }`],
    ["inline, in the middle", `{ "s": { "a": 1, "b": 2, "c": 3 } }`, "b", `{ "s": { "a": 1, "c": 3 } }`],
    ["inline, the last", `{ "s": { "a": 1, "b": 2 } }`, "b", `{ "s": { "a": 1 } }`],
    ["every copy of a repeated key", `{ "s": { "a": 1, "b": 2, "a": 3 } }`, "a", `{ "s": { "b": 2 } }`],
    ["nothing when it is not there", `{ "s": { "a": 1 } }`, "z", `{ "s": { "a": 1 } }`],
    [
      "the last one with a trailing comma",
      `{
  "s": {
    "a": 1,
    "b": 2,
  },
}`,
      "b",
      `{
  "s": {
    "a": 1
  },
}`,
    ],
  ];
  it.each(cases)("%s", (_, before, key, after) => {
    expect(removeMember(before, ["s"], key)).toBe(after);
  });
});

describe("applyJsonChanges", () => {
  // [what, text, after] — `before` is what the text parses to.
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ["nothing changed", '{"a": 1} // c', { a: 1 }, '{"a": 1} // c'],
    [
      "a key added to a one-line object",
      '{"a": {"x": 1}}',
      { a: { x: 1, y: [1, "[ z ]"] } },
      '{"a": {"x": 1, "y": [1, "[ z ]"]}}',
    ],
    [
      "a key removed with the comment line above it",
      '{\n  // keep\n  "a": 1,\n  "b": 2\n}',
      { b: 2 },
      '{\n  "b": 2\n}',
    ],
    [
      "a value inside an inline entry replaced inline",
      '{\n  "s": { "args": ["a"], "env": {} } // note\n}',
      { s: { args: ["b", "c"], env: {} } },
      '{\n  "s": { "args": ["b", "c"], "env": {} } // note\n}',
    ],
    [
      "a laid-out value replaced laid out",
      '{\n  "s": {\n    "args": [\n      "a"\n    ]\n  }\n}',
      { s: { args: ["b"] } },
      '{\n  "s": {\n    "args": [\n      "b"\n    ]\n  }\n}',
    ],
    ["undefined counts as absent", '{"a": 1, "b": 2}', { a: 1, b: undefined }, '{"a": 1}'],
    ["a scalar becoming an object is replaced whole", '{"a": 1}', { a: { b: 2 } }, '{"a": { "b": 2 }}'],
  ];
  it.each(cases)("%s", (_, text, after, expected) => {
    const before = JSON.parse(stripJsonComments(text)) as Record<string, unknown>;
    const out = applyJsonChanges(text, before, after);
    expect(out).toBe(expected);
    expect(JSON.parse(stripJsonComments(out))).toEqual(JSON.parse(JSON.stringify(after)));
  });
});
