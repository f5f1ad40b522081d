// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in plain strings.
import { describe, expect, it } from "vitest";
import { parseRegistryText } from "./parse.js";
import { voidErrorOf } from "./test-helpers.js";
import type { Registry } from "./types.js";
import { DEFAULT_POLICY, DEFAULT_RESTART_POLICY } from "./types.js";

const FILE = "/home/me/.config/voidmcp/servers.json";

/** The example of DESIGN.md §2. */
const DESIGN_EXAMPLE = `{
  "version": 1,
  "expose": "auto",
  "codeMode": { "timeoutMs": 30000, "memoryMb": 64, "maxToolCalls": 200, "maxOutputBytes": 100000 },
  "mcpServers": {
    "github": { "type": "http", "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer \${GITHUB_TOKEN}" } },
    "files":  { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/src"],
                "tools": { "deny": ["write_file"] } },
    "local":  { "command": "node", "args": ["server.js"], "env": { "LOG": "1" }, "cwd": "/home/me/tool",
                "prefix": "", "enabled": true, "timeoutMs": 60000 }
  }
}
`;

const EMPTY: Registry = {
  path: FILE,
  exists: true,
  version: 1,
  settings: {
    expose: "auto",
    nameBudget: 50,
    profiles: {},
    firstListWaitMs: 5000,
    callTimeoutMs: 60000,
    restart: DEFAULT_RESTART_POLICY,
    healthCheckMs: 30000,
    codeMode: {},
    policy: DEFAULT_POLICY,
  },
  servers: [],
};

describe("parseRegistryText: valid files", () => {
  it("normalises the design example", () => {
    expect(parseRegistryText(DESIGN_EXAMPLE, FILE)).toEqual({
      path: FILE,
      exists: true,
      version: 1,
      settings: {
        expose: "auto",
        nameBudget: 50,
        profiles: {},
        firstListWaitMs: 5000,
        callTimeoutMs: 60000,
        restart: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30000 },
        healthCheckMs: 30000,
        codeMode: { timeoutMs: 30000, memoryMb: 64, maxToolCalls: 200, maxOutputBytes: 100000 },
        policy: DEFAULT_POLICY,
      },
      servers: [
        {
          name: "github",
          enabled: true,
          prefix: "github",
          timeoutMs: 60000,
          tools: {},
          lazy: false,
          idleTimeoutMs: 300000,
          transport: "http",
          url: "https://example.com/mcp",
          headers: { Authorization: "Bearer ${GITHUB_TOKEN}" },
        },
        {
          name: "files",
          enabled: true,
          prefix: "files",
          timeoutMs: 60000,
          tools: { deny: ["write_file"] },
          lazy: false,
          idleTimeoutMs: 300000,
          transport: "stdio",
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/src"],
          env: {},
          cwd: undefined,
        },
        {
          name: "local",
          enabled: true,
          prefix: "",
          timeoutMs: 60000,
          tools: {},
          lazy: false,
          idleTimeoutMs: 300000,
          transport: "stdio",
          command: "node",
          args: ["server.js"],
          env: { LOG: "1" },
          cwd: "/home/me/tool",
        },
      ],
    } satisfies Registry);
  });

  it.each([
    ["empty text", ""],
    ["whitespace only", "  \n\t\r\n"],
    ["a byte-order mark only", "\uFEFF\n"],
    ["an empty object", "{}"],
    ["an empty mcpServers", '{"mcpServers": {}}'],
  ])("%s is an empty registry", (_, text) => {
    expect(parseRegistryText(text, FILE)).toEqual(EMPTY);
  });

  it("reads gateway settings", () => {
    const registry = parseRegistryText(
      '{"expose": "code", "firstListWaitMs": 0, "callTimeoutMs": 1500, "restart": {"maxAttempts": 2}, "healthCheckMs": 0, "mcpServers": {"a": {"command": "x"}}}',
      FILE,
    );
    expect(registry.settings).toEqual({
      expose: "code",
      nameBudget: 50,
      profiles: {},
      firstListWaitMs: 0,
      callTimeoutMs: 1500,
      restart: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 30000 },
      healthCheckMs: 0,
      codeMode: {},
      policy: DEFAULT_POLICY,
    });
    // A server without timeoutMs takes the gateway's callTimeoutMs.
    expect(registry.servers[0]?.timeoutMs).toBe(1500);
  });

  it("accepts a leading byte-order mark and unknown keys everywhere but tools", () => {
    const registry = parseRegistryText(
      '\uFEFF{"$schema": "x", "extra": [1], "mcpServers": {"a": {"command": "x", "autoApprove": ["t"], "note": {}}}}',
      FILE,
    );
    expect(registry.servers.map((s) => s.name)).toEqual(["a"]);
  });

  // [what, entry JSON, expected fields of the normalised spec]
  const entries: Array<[string, string, Record<string, unknown>]> = [
    ["command means stdio", '{"command": "x"}', { transport: "stdio", command: "x", args: [], env: {} }],
    ['type "stdio"', '{"type": "stdio", "command": "x", "args": ["a"]}', { transport: "stdio", args: ["a"] }],
    ["url means http", '{"url": "http://127.0.0.1:3000/mcp"}', { transport: "http", headers: {} }],
    ['type "http"', '{"type": "http", "url": "https://h/mcp"}', { transport: "http" }],
    [
      'type "streamable-http" is http',
      '{"type": "streamable-http", "url": "https://h/mcp"}',
      { transport: "http" },
    ],
    [
      'type "sse"',
      '{"type": "sse", "url": "https://h/sse", "headers": {"A": "b"}}',
      { transport: "sse", headers: { A: "b" } },
    ],
    ["a url with ${VAR} is checked later", '{"url": "${BASE_URL}/mcp"}', { url: "${BASE_URL}/mcp" }],
    ["enabled: false", '{"command": "x", "enabled": false}', { enabled: false }],
    ["Cline's disabled: true", '{"command": "x", "disabled": true}', { enabled: false }],
    ["disabled: false", '{"command": "x", "disabled": false}', { enabled: true }],
    ["an empty prefix", '{"command": "x", "prefix": ""}', { prefix: "" }],
    ["a prefix", '{"command": "x", "prefix": "gh"}', { prefix: "gh" }],
    ["timeoutMs", '{"command": "x", "timeoutMs": 2500}', { timeoutMs: 2500 }],
    [
      "tools",
      '{"command": "x", "tools": {"allow": ["a", "b"], "deny": ["b"]}}',
      { tools: { allow: ["a", "b"], deny: ["b"] } },
    ],
  ];
  it.each(entries)("entry: %s", (_, entry, expected) => {
    const registry = parseRegistryText(`{"mcpServers": {"srv": ${entry}}}`, FILE);
    expect(registry.servers).toHaveLength(1);
    expect(registry.servers[0]).toMatchObject(expected);
  });

  it("keeps servers in file order", () => {
    const registry = parseRegistryText(
      '{"mcpServers": {"zeta": {"command": "z"}, "alpha": {"command": "a"}, "mid": {"url": "http://m"}}}',
      FILE,
    );
    expect(registry.servers.map((s) => s.name)).toEqual(["zeta", "alpha", "mid"]);
  });
});

describe("parseRegistryText: JSON syntax errors", () => {
  // [what, text, expected message, expected hint (substring)]
  const cases: Array<[string, string, string, string]> = [
    [
      "a trailing comma",
      '{\n  "mcpServers": {\n    "a": {"command": "x"},\n  }\n}',
      `${FILE}:4:3: invalid JSON: expected a property name in double quotes`,
      "trailing comma",
    ],
    [
      "an unclosed comment",
      '{\n  /* servers\n  "mcpServers": {}\n}',
      `${FILE}:2:3: invalid JSON: unterminated comment`,
      "fix the registry",
    ],
    [
      "single quotes",
      "{'mcpServers': {}}",
      `${FILE}:1:2: invalid JSON: expected a property name in double quotes or "}"`,
      "double quotes",
    ],
    [
      "a missing comma",
      '{\n  "version": 1\n  "expose": "code"\n}',
      `${FILE}:3:3: invalid JSON: expected "," or "}"`,
      "fix the registry",
    ],
    [
      "a bad literal",
      '{\n  "mcpServers": tru\n}',
      `${FILE}:2:17: invalid JSON: expected a value`,
      "fix the registry",
    ],
    [
      "a bad literal before a brace",
      '{"mcpServers": tru}',
      `${FILE}:1:16: invalid JSON: expected a value`,
      "fix the registry",
    ],
    ["a bare word", "servers", `${FILE}:1:1: invalid JSON: expected a value`, "fix the registry"],
    [
      "a truncated file",
      '{\n  "mcpServers": {\n    "a": {"command": "x"\n\n',
      `${FILE}:3:25: invalid JSON: unexpected end of text; expected "," or "}"`,
      "fix the registry",
    ],
    [
      "an unterminated string",
      '{"mcpServers": {"a',
      `${FILE}:1:17: invalid JSON: unterminated string`,
      "fix the registry",
    ],
    [
      "text after the object",
      '{"mcpServers": {}}\n}',
      `${FILE}:2:1: invalid JSON: unexpected text after the end of the value`,
      "fix the registry",
    ],
    [
      "a missing colon",
      '{"mcpServers": {"a" {}}}',
      `${FILE}:1:21: invalid JSON: expected ":" after the property name`,
      "fix the registry",
    ],
    [
      "a missing comma in an array",
      '{"mcpServers": {"a": {"command": "x", "args": ["1" "2"]}}}',
      `${FILE}:1:52: invalid JSON: expected "," or "]"`,
      "fix the registry",
    ],
    [
      "a raw line break in a string",
      '{"mcpServers": {"a": {"command": "x\ny"}}}',
      `${FILE}:1:34: invalid JSON: unterminated string`,
      "fix the registry",
    ],
  ];
  it.each(cases)("%s", (_, text, message, hint) => {
    const error = voidErrorOf(() => parseRegistryText(text, FILE));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toContain(hint);
  });

  it("never quotes the file's text in the message", () => {
    const error = voidErrorOf(() => parseRegistryText('{"token": "sk-secret" x}', FILE));
    expect(error.message).not.toContain("sk-secret");
  });
});

describe("parseRegistryText: JSON with comments", () => {
  it("reads // and /* */ comments, and locates errors in the text as written", () => {
    const text =
      '{\n  // my servers\n  "mcpServers": {\n    /* off for now */ "a": {"command": "x", "args": "oops"}\n  }\n}';
    const error = voidErrorOf(() => parseRegistryText(text, FILE));
    expect(error.message).toBe(`${FILE}:4:53: mcpServers.a.args: expected an array of strings, got string`);
    const fixed = text.replace('"oops"', '["ok"]');
    expect(parseRegistryText(fixed, FILE).servers.map((s) => s.name)).toEqual(["a"]);
  });
});

describe("parseRegistryText: schema errors", () => {
  // [what, text, expected message: every issue, in file order]
  const cases: Array<[string, string, string]> = [
    ["a top-level array", "[]", `${FILE}:1:1: expected a JSON object at the top level, got array`],
    ["a string at the top level", '"x"', `${FILE}:1:1: expected a JSON object at the top level, got string`],
    [
      "version not a whole number (a newer one is migrate.test.ts's case)",
      '{"version": 1.5}',
      `${FILE}:1:13: version: expected 1 (the only version this voidmcp reads)`,
    ],
    [
      "an unknown expose",
      '{\n  "expose": "all"\n}',
      `${FILE}:2:13: expose: expected "auto", "code" or "direct", got string`,
    ],
    ["codeMode not an object", '{"codeMode": [1]}', `${FILE}:1:14: codeMode: expected an object, got array`],
    [
      "a fractional timeout",
      '{"callTimeoutMs": 1.5}',
      `${FILE}:1:19: callTimeoutMs: expected a whole number of milliseconds, got number`,
    ],
    [
      "a zero call timeout",
      '{"callTimeoutMs": 0}',
      `${FILE}:1:19: callTimeoutMs: expected a positive number of milliseconds`,
    ],
    [
      "a negative first-list wait",
      '{"firstListWaitMs": -5}',
      `${FILE}:1:21: firstListWaitMs: expected zero or a positive number of milliseconds`,
    ],
    [
      "a timeout past setTimeout's range",
      '{"callTimeoutMs": 2147483648}',
      `${FILE}:1:19: callTimeoutMs: expected at most 2147483647 milliseconds`,
    ],
    [
      "mcpServers an array",
      '{"mcpServers": []}',
      `${FILE}:1:16: mcpServers: expected an object of named servers, got array`,
    ],
    [
      "mcpServers null",
      '{"mcpServers": null}',
      `${FILE}:1:16: mcpServers: expected an object of named servers, got null`,
    ],
    [
      "an invalid server name (points at the key)",
      '{\n  "mcpServers": {\n    "my server": {"command": "x"}\n  }\n}',
      `${FILE}:3:5: mcpServers["my server"]: "my server" is not a valid server name: expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$ without "__"`,
    ],
    [
      'a server name with "__"',
      '{"mcpServers": {"a__b": {"command": "x"}}}',
      `${FILE}:1:17: mcpServers.a__b: "a__b" is not a valid server name: expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$ without "__"`,
    ],
    [
      "an entry that is a string",
      '{"mcpServers": {"a": "npx"}}',
      `${FILE}:1:22: mcpServers.a: expected an object describing the server, got string`,
    ],
    [
      "args not an array",
      '{\n  "mcpServers": {\n    "foo": {\n      "command": "x",\n      "args": "-y server"\n    }\n  }\n}',
      `${FILE}:5:15: mcpServers.foo.args: expected an array of strings, got string`,
    ],
    [
      "an arg that is a number",
      '{"mcpServers": {"a": {"command": "x", "args": ["--port", 80]}}}',
      `${FILE}:1:58: mcpServers.a.args[1]: expected a string, got number`,
    ],
    [
      "an env value that is a number",
      '{"mcpServers": {"a": {"command": "x", "env": {"PORT": 80}}}}',
      `${FILE}:1:55: mcpServers.a.env.PORT: expected a string, got number`,
    ],
    [
      "headers not an object",
      '{"mcpServers": {"a": {"url": "http://h", "headers": ["A: b"]}}}',
      `${FILE}:1:53: mcpServers.a.headers: expected an object of strings, got array`,
    ],
    [
      "an empty command",
      '{"mcpServers": {"a": {"command": " "}}}',
      `${FILE}:1:34: mcpServers.a.command: expected a non-empty string`,
    ],
    [
      "a command that is an array",
      '{"mcpServers": {"a": {"command": ["npx"]}}}',
      `${FILE}:1:34: mcpServers.a.command: expected a non-empty string, got array`,
    ],
    [
      "neither command nor url (points at the key)",
      '{"mcpServers": {"a": {"args": []}}}',
      `${FILE}:1:17: mcpServers.a: expected command (a local stdio server) or url (a remote server)`,
    ],
    [
      "both command and url",
      '{"mcpServers": {"a": {"command": "x", "url": "http://h"}}}',
      `${FILE}:1:17: mcpServers.a: has both command and url; expected exactly one (command for a local server, url for a remote one)`,
    ],
    [
      "a url that is not http(s)",
      '{"mcpServers": {"a": {"url": "ws://h/mcp"}}}',
      `${FILE}:1:30: mcpServers.a.url: expected an http:// or https:// URL`,
    ],
    [
      "a url that is not a URL",
      '{"mcpServers": {"a": {"url": "localhost:3000"}}}',
      `${FILE}:1:30: mcpServers.a.url: expected an http:// or https:// URL`,
    ],
    [
      "an unknown type",
      '{"mcpServers": {"a": {"url": "http://h", "type": "ws"}}}',
      `${FILE}:1:50: mcpServers.a.type: expected "stdio", "http", "sse" or "streamable-http", got string`,
    ],
    [
      'type "http" with a command',
      '{"mcpServers": {"a": {"command": "x", "type": "http"}}}',
      `${FILE}:1:47: mcpServers.a.type: type "http" needs url, but the entry has command; use type "stdio" or drop type`,
    ],
    [
      'type "stdio" with a url',
      '{"mcpServers": {"a": {"url": "http://h", "type": "stdio"}}}',
      `${FILE}:1:50: mcpServers.a.type: type "stdio" needs command, but the entry has url; use type "http" or "sse"`,
    ],
    [
      "enabled not a boolean",
      '{"mcpServers": {"a": {"command": "x", "enabled": "yes"}}}',
      `${FILE}:1:50: mcpServers.a.enabled: expected true or false, got string`,
    ],
    [
      "enabled and disabled both true",
      '{"mcpServers": {"a": {"command": "x", "enabled": true, "disabled": true}}}',
      `${FILE}:1:68: mcpServers.a.disabled: disabled: true contradicts enabled: true; keep only one of them`,
    ],
    [
      "a bad prefix",
      '{"mcpServers": {"a": {"command": "x", "prefix": "-gh"}}}',
      `${FILE}:1:49: mcpServers.a.prefix: expected "" or a prefix matching ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$`,
    ],
    [
      "a zero timeoutMs",
      '{"mcpServers": {"a": {"command": "x", "timeoutMs": 0}}}',
      `${FILE}:1:52: mcpServers.a.timeoutMs: expected a positive number of milliseconds`,
    ],
    [
      "tools an array",
      '{"mcpServers": {"a": {"command": "x", "tools": ["a"]}}}',
      `${FILE}:1:48: mcpServers.a.tools: expected an object with allow and/or deny, got array`,
    ],
    [
      "a typo in tools (points at the key)",
      '{"mcpServers": {"a": {"command": "x", "tools": {"alow": ["a"]}}}}',
      `${FILE}:1:49: mcpServers.a.tools.alow: unknown key "alow": tools takes only allow and deny`,
    ],
    [
      "a deny entry that is not a string",
      '{"mcpServers": {"a": {"command": "x", "tools": {"deny": [1]}}}}',
      `${FILE}:1:58: mcpServers.a.tools.deny[0]: expected a string, got number`,
    ],
    [
      "a repeated server name",
      '{\n  "mcpServers": {\n    "gh": {"command": "a"},\n    "gh": {"command": "b"}\n  }\n}',
      `${FILE}:4:5: mcpServers.gh: repeats the key at 3:5; only the last one would count, so remove or rename one`,
    ],
    [
      "a key repeated three times, and one in an unknown object",
      '{"x": {"k": 1, "k": 2, "k": 3}, "mcpServers": {}}',
      [
        `${FILE}:1:16: x.k: repeats the key at 1:8; only the last one would count, so remove or rename one`,
        `${FILE}:1:24: x.k: repeats the key at 1:8; only the last one would count, so remove or rename one`,
      ].join("\n"),
    ],
    [
      "several problems, reported in file order",
      [
        "{",
        '  "expose": "every",',
        '  "mcpServers": {',
        '    "ok": {"command": "x"},',
        '    "b": {"command": "x", "args": [1]},',
        '    "a b": {"command": "x"},',
        '    "c": {}',
        "  },",
        '  "version": "1"',
        "}",
      ].join("\n"),
      [
        `${FILE}:2:13: expose: expected "auto", "code" or "direct", got string`,
        `${FILE}:5:36: mcpServers.b.args[0]: expected a string, got number`,
        `${FILE}:6:5: mcpServers["a b"]: "a b" is not a valid server name: expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$ without "__"`,
        `${FILE}:7:5: mcpServers.c: expected command (a local stdio server) or url (a remote server)`,
        `${FILE}:9:14: version: expected 1 (the only version this voidmcp reads)`,
      ].join("\n"),
    ],
  ];
  it.each(cases)("%s", (_, text, message) => {
    const error = voidErrorOf(() => parseRegistryText(text, FILE));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(
      "fix the registry file; a running gateway keeps its last good registry until then",
    );
  });
});
