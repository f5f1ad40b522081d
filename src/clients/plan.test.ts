import { describe, expect, it } from "vitest";
import { voidErrorOf } from "../registry/test-helpers.js";
import { type ClientName, gatewayEntry } from "./clients.js";
import { planSetup, type SetupRequest } from "./plan.js";

const LAUNCH = { command: "/usr/bin/node", args: ["/opt/voidmcp/voidmcp.mjs"] };

function request(
  client: ClientName,
  text: string | undefined,
  extra: Partial<SetupRequest> = {},
): SetupRequest {
  return { client, path: "/f", text, entry: gatewayEntry(client, LAUNCH, undefined), remove: [], ...extra };
}

describe("gatewayEntry", () => {
  it("names the transport where the client does, and passes a registry that is not the default", () => {
    expect(gatewayEntry("claude-code", LAUNCH, undefined)).toEqual({
      type: "stdio",
      command: "/usr/bin/node",
      args: ["/opt/voidmcp/voidmcp.mjs", "serve"],
    });
    expect(gatewayEntry("cursor", { command: "C:\\bin\\voidmcp.exe", args: [] }, "C:\\reg.json")).toEqual({
      command: "C:\\bin\\voidmcp.exe",
      args: ["serve", "--config", "C:\\reg.json"],
    });
  });
});

describe("planSetup", () => {
  it.each<[ClientName, string]>([
    [
      "claude-desktop",
      `{
  "mcpServers": {
    "voidmcp": {
      "command": "/usr/bin/node",
      "args": [
        "/opt/voidmcp/voidmcp.mjs",
        "serve"
      ]
    }
  }
}
`,
    ],
    [
      "vscode",
      `{
  "servers": {
    "voidmcp": {
      "type": "stdio",
      "command": "/usr/bin/node",
      "args": [
        "/opt/voidmcp/voidmcp.mjs",
        "serve"
      ]
    }
  }
}
`,
    ],
    [
      "codex",
      '[mcp_servers.voidmcp]\ncommand = "/usr/bin/node"\nargs = ["/opt/voidmcp/voidmcp.mjs", "serve"]\n',
    ],
  ])("a missing %s file becomes just the entry", (client, text) => {
    expect(planSetup(request(client, undefined))).toEqual({ text, changed: true, before: "absent" });
    expect(planSetup(request(client, "  \n"))).toMatchObject({ changed: true, before: "absent" });
  });

  it("is idempotent: an equal entry, however it is written, changes nothing", () => {
    const first = planSetup(request("cursor", '{"mcpServers": {"a": {"command": "a"}}}'));
    expect(first.changed).toBe(true);
    expect(planSetup(request("cursor", first.text))).toEqual({
      text: first.text,
      changed: false,
      before: "same",
    });
    const compact =
      '{"mcpServers":{"voidmcp":{"args":["/opt/voidmcp/voidmcp.mjs","serve"],"command":"/usr/bin/node"}}}';
    expect(planSetup(request("cursor", compact))).toEqual({ text: compact, changed: false, before: "same" });
    const toml = planSetup(request("codex", 'model = "o3"\n'));
    expect(planSetup(request("codex", toml.text))).toEqual({
      text: toml.text,
      changed: false,
      before: "same",
    });
  });

  it("replaces a different voidmcp entry", () => {
    const plan = planSetup(
      request("cursor", '{"mcpServers": {"voidmcp": {"command": "voidmcp", "args": ["serve"]}}}'),
    );
    expect(plan.before).toBe("different");
    expect(JSON.parse(plan.text)).toEqual({
      mcpServers: { voidmcp: { command: "/usr/bin/node", args: ["/opt/voidmcp/voidmcp.mjs", "serve"] } },
    });
  });

  it("removes the servers that were moved, in every place they were", () => {
    const text = `{
  "mcpServers": { "a": { "command": "a" }, "keep": { "args": [] } },
  "projects": { "/p": { "mcpServers": { "b": { "url": "https://b" } }, "x": 1 } }
}`;
    const plan = planSetup(
      request("claude-code", text, {
        remove: [
          { path: ["mcpServers"], key: "a" },
          { path: ["projects", "/p", "mcpServers"], key: "b" },
        ],
      }),
    );
    expect(JSON.parse(plan.text)).toEqual({
      mcpServers: {
        keep: { args: [] },
        voidmcp: { type: "stdio", command: "/usr/bin/node", args: ["/opt/voidmcp/voidmcp.mjs", "serve"] },
      },
      projects: { "/p": { mcpServers: {}, x: 1 } },
    });
  });

  it.each<[string, ClientName, string, string]>([
    [
      "malformed JSON",
      "cursor",
      '{\n  "mcpServers": {\n',
      '/f:2:18: invalid JSON: unexpected end of text; expected a property name in double quotes or "}"',
    ],
    [
      "malformed JSON with comments",
      "vscode",
      '// hi\n{ "servers": { "a": 1 } ',
      '/f:2:24: invalid JSON: unexpected end of text; expected "," or "}"',
    ],
    ["a top-level array", "cursor", "[]", "/f:1:1: expected a JSON object at the top level"],
    [
      "servers that are not an object",
      "claude-desktop",
      '{\n  "mcpServers": null\n}',
      "/f:2:17: expected an object at mcpServers",
    ],
    [
      "malformed TOML",
      "codex",
      "[mcp_servers\n",
      '/f:1:13: invalid TOML: expected "]", found the end of the line',
    ],
    [
      "an inline mcp_servers table",
      "codex",
      'mcp_servers = { a = { command = "a" } }\n',
      "/f: mcp_servers is written as an inline table, so a [mcp_servers.voidmcp] table cannot be added",
    ],
    [
      "voidmcp written with dotted keys",
      "codex",
      '[mcp_servers]\nvoidmcp.command = "x"\n',
      "/f: mcp_servers.voidmcp is written as an inline table or with dotted keys, which init does not rewrite; make it a [mcp_servers.voidmcp] table or remove it",
    ],
  ])("refuses %s", (_, client, text, message) => {
    const error = voidErrorOf(() => planSetup(request(client, text)));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
  });
});
