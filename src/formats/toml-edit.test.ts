import { describe, expect, it } from "vitest";
import { isSectionTable, removeTable, renderTable, setTable, tomlString } from "./toml-edit.js";

const ENTRY = renderTable(["mcp_servers", "voidmcp"], {
  command: "/usr/bin/node",
  args: ["/opt/v.mjs", "serve"],
});

describe("tomlString and renderTable", () => {
  it.each([
    ["plain", "plain"],
    ["C:\\Program Files\\node.exe", String.raw`C:\\Program Files\\node.exe`],
    ['say "hi"\n\ttab', String.raw`say \"hi\"\n\ttab`],
    ["bell\u0007 del\u007f", String.raw`bell\u0007 del\u007f`],
    ["é 😀", "é 😀"],
  ])("%j", (value, body) => {
    expect(tomlString(value)).toBe(`"${body}"`);
  });

  it("writes keys bare when it can, quoted when not", () => {
    expect(
      renderTable(["mcp_servers", "my server"], { command: "x", "a.b": true, n: 1, env: { K: "v" } }),
    ).toBe('[mcp_servers."my server"]\ncommand = "x"\n"a.b" = true\nn = 1\nenv = { K = "v" }\n');
  });
});

describe("setTable", () => {
  it("appends to a file after a blank line", () => {
    expect(setTable('model = "o3"\n', ["mcp_servers", "voidmcp"], ENTRY)).toBe(`model = "o3"\n\n${ENTRY}`);
    expect(setTable('model = "o3"', ["mcp_servers", "voidmcp"], ENTRY)).toBe(`model = "o3"\n\n${ENTRY}`);
    expect(setTable("", ["mcp_servers", "voidmcp"], ENTRY)).toBe(ENTRY);
  });

  it("replaces the table where it is, with its sub-tables, keeping the comments around it", () => {
    const before = `[mcp_servers.a]
command = "a"

[mcp_servers.voidmcp]
command = "old" # old one

# about b
[mcp_servers.b]
command = "b"

[mcp_servers.voidmcp.env]
X = "1"
`;
    expect(setTable(before, ["mcp_servers", "voidmcp"], ENTRY)).toBe(`[mcp_servers.a]
command = "a"

${ENTRY}
# about b
[mcp_servers.b]
command = "b"

`);
  });
});

describe("removeTable", () => {
  it("removes a table, the comment lines right above it and one blank line", () => {
    const before = `model = "o3"

# GitHub
[mcp_servers.github]
url = "https://x"

[mcp_servers.github.env_http_headers]
A = "B"

# keep me
[profiles.x]
model = "y"
`;
    expect(removeTable(before, ["mcp_servers", "github"])).toBe(`model = "o3"

# keep me
[profiles.x]
model = "y"
`);
  });
});

describe("isSectionTable", () => {
  it.each([
    ["[mcp_servers.v]\ncommand = 'x'\n[mcp_servers.v.env]\nA = '1'", true],
    ["[mcp_servers.v]\nenv.A = '1'", true],
    ["[mcp_servers]\nv = { command = 'x' }", false],
    ["[mcp_servers]\nv.command = 'x'", false],
    ["mcp_servers.v.command = 'x'", false],
    ["mcp_servers = { v = { command = 'x' } }", false],
    ["[mcp_servers.v.env]\nA = '1'", false],
    ["[other]\nx = 1", false],
  ])("%j: %s", (text, expected) => {
    expect(isSectionTable(text, ["mcp_servers", "v"])).toBe(expected);
  });
});
