// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in plain strings.
import { describe, expect, it } from "vitest";
import { expandServer, expandTracked } from "./expand.js";
import { voidErrorOf } from "./test-helpers.js";
import type { RemoteServerSpec, StdioServerSpec } from "./types.js";

const ENV = { HOME: "/home/me", TOKEN: "sk-123", EMPTY: "", PORT: "8080", A_1: "a1" };

function stdio(fields: Partial<StdioServerSpec> = {}): StdioServerSpec {
  return {
    name: "local",
    enabled: true,
    prefix: "local",
    timeoutMs: 1000,
    tools: {},
    lazy: false,
    idleTimeoutMs: 300000,
    transport: "stdio",
    command: "node",
    args: [],
    env: {},
    cwd: undefined,
    ...fields,
  };
}

function remote(fields: Partial<RemoteServerSpec> = {}): RemoteServerSpec {
  return {
    name: "github",
    enabled: true,
    prefix: "github",
    timeoutMs: 1000,
    tools: {},
    lazy: false,
    idleTimeoutMs: 300000,
    transport: "http",
    url: "https://example.com/mcp",
    headers: {},
    ...fields,
  };
}

describe("expandServer: one string", () => {
  // [written, expanded]; each is tried as an arg of a stdio server.
  it.each([
    ["plain text", "plain text"],
    ["${HOME}", "/home/me"],
    ["${HOME}/src", "/home/me/src"],
    ["--port=${PORT}", "--port=8080"],
    ["${HOME}${PORT}", "/home/me8080"],
    ["${A_1}", "a1"],
    ["${EMPTY}", ""],
    ["${UNSET:-fallback}", "fallback"],
    ["${UNSET:-}", ""],
    ["${UNSET:-a b/c:d}", "a b/c:d"],
    ["${EMPTY:-used when empty}", "used when empty"],
    ["${PORT:-9}", "8080"],
    // Only ${NAME} and ${NAME:-default} are expanded.
    ["$HOME", "$HOME"],
    ["$$", "$$"],
    ["$${HOME}", "$/home/me"],
    ["${", "${"],
    ["${HOME", "${HOME"],
    ["${1X}", "${1X}"],
    ["${input:token}", "${input:token}"],
    ["${HOME-x}", "${HOME-x}"],
    ["${ HOME }", "${ HOME }"],
    // The default is not expanded, and results are not scanned again.
    ["${UNSET:-${HOME}}", "${HOME}"],
  ])("%j becomes %j", (written, expanded) => {
    expect(expandServer(stdio({ args: [written] }), ENV).args).toEqual([expanded]);
  });

  it("does not rescan expanded values", () => {
    expect(expandServer(stdio({ args: ["${V}"] }), { V: "${HOME}" }).args).toEqual(["${HOME}"]);
  });
});

describe("expandServer: fields", () => {
  it("expands command, args, env values and cwd of a stdio server, never env names", () => {
    const spec = stdio({
      command: "${HOME}/bin/tool",
      args: ["--token", "${TOKEN}", "x"],
      env: { TOKEN: "${TOKEN}", "${HOME}": "kept" },
      cwd: "${HOME}/work",
    });
    expect(expandServer(spec, ENV)).toEqual({
      ...spec,
      command: "/home/me/bin/tool",
      args: ["--token", "sk-123", "x"],
      env: { TOKEN: "sk-123", "${HOME}": "kept" },
      cwd: "/home/me/work",
    });
  });

  it("expands url and header values of a remote server, never header names", () => {
    const spec = remote({
      transport: "sse",
      url: "http://localhost:${PORT}/sse",
      headers: { Authorization: "Bearer ${TOKEN}", "X-${PORT}": "1" },
    });
    expect(expandServer(spec, ENV)).toEqual({
      ...spec,
      url: "http://localhost:8080/sse",
      headers: { Authorization: "Bearer sk-123", "X-${PORT}": "1" },
    });
  });

  it("leaves the input untouched", () => {
    const spec = stdio({ args: ["${HOME}"], env: { A: "${HOME}" } });
    expandServer(spec, ENV);
    expect(spec.args).toEqual(["${HOME}"]);
    expect(spec.env).toEqual({ A: "${HOME}" });
  });

  it("keeps cwd undefined", () => {
    expect(expandServer(stdio(), ENV).cwd).toBeUndefined();
  });
});

describe("expandServer: errors", () => {
  it.each([
    [
      "an unset variable in a header",
      remote({ headers: { Authorization: "Bearer ${GITHUB_TOKEN}" } }),
      'server "github": variable not set: ${GITHUB_TOKEN} in headers.Authorization',
      "set GITHUB_TOKEN in the environment voidmcp runs in, or write ${GITHUB_TOKEN:-default} in the registry",
    ],
    [
      "several unset variables, all named at once",
      stdio({ command: "${BIN}", args: ["a", "${X}"], env: { K: "${X}" }, cwd: "${DIR}" }),
      'server "local": variables not set: ${BIN} in command, ${X} in args[1], ${X} in env.K, ${DIR} in cwd',
      "set BIN, X, DIR in the environment voidmcp runs in, or write ${BIN:-default} in the registry",
    ],
    [
      "an unset variable in the url",
      remote({ url: "${BASE}/mcp" }),
      'server "github": variable not set: ${BASE} in url',
      "set BASE in the environment voidmcp runs in, or write ${BASE:-default} in the registry",
    ],
    [
      "a url that expands to something other than http(s)",
      remote({ url: "${PROTO}://h/mcp" }),
      'server "github": url "${PROTO}://h/mcp" does not expand to an http:// or https:// URL',
      "check the url and the variables it uses",
    ],
  ])("%s", (_, spec, message, hint) => {
    const error = voidErrorOf(() => expandServer(spec, { ...ENV, PROTO: "ftp" }));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });

  it("never puts expanded values in the message", () => {
    const error = voidErrorOf(() => expandServer(remote({ url: "ftp://${TOKEN}@h" }), ENV));
    expect(error.message).not.toContain("sk-123");
  });
});

describe("expandTracked: what went in", () => {
  it("lists each variable value put in, and no defaults from the file", () => {
    const spec = stdio({
      command: "${HOME}/bin",
      args: ["${TOKEN}", "${UNSET:-fallback}", "${EMPTY:-x}", "${PORT:-9}"],
      env: { K: "${TOKEN}" },
    });
    expect(expandTracked(spec, ENV).substitutions).toEqual([
      { name: "HOME", value: "/home/me" },
      { name: "TOKEN", value: "sk-123" },
      { name: "PORT", value: "8080" },
      { name: "TOKEN", value: "sk-123" },
    ]);
  });

  it("lists url and header values of a remote server", () => {
    const spec = remote({ url: "http://h/mcp?k=${TOKEN}", headers: { A: "Bearer ${A_1}" } });
    expect(expandTracked(spec, ENV).substitutions).toEqual([
      { name: "TOKEN", value: "sk-123" },
      { name: "A_1", value: "a1" },
    ]);
  });
});
