// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in plain strings.
import { describe, expect, it } from "vitest";
import { expandServer, expandTracked, secretReferences } from "./expand.js";
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

const SECRETS: Record<string, string> = { TOKEN: "s3cret-token", API_KEY: "k-42", EMPTY_SECRET: "" };
const secret = (name: string) => SECRETS[name];

describe("${secret:NAME}", () => {
  // [written in a header value, expanded]
  it.each([
    ["${secret:TOKEN}", "s3cret-token"],
    ["Bearer ${secret:TOKEN}", "Bearer s3cret-token"],
    ["${secret:API_KEY}:${TOKEN}", "k-42:sk-123"],
    ["${secret:EMPTY_SECRET}", ""],
    // Not a secret reference: left as written.
    ["${secret:}", "${secret:}"],
    ["${secret:1X}", "${secret:1X}"],
    ["${secret: TOKEN}", "${secret: TOKEN}"],
    ["${secrets:TOKEN}", "${secrets:TOKEN}"],
    ["${secret:TOKEN:-x}", "${secret:TOKEN:-x}"],
    // The environment is not a secret store, nor the other way round.
    ["${TOKEN}", "sk-123"],
  ])("%j becomes %j", (written, expanded) => {
    const spec = remote({ headers: { A: written } });
    expect(expandServer(spec, ENV, secret).headers.A).toBe(expanded);
  });

  it("expands in env values, header values and the url", () => {
    expect(expandServer(stdio({ env: { T: "${secret:TOKEN}" } }), ENV, secret).env).toEqual({
      T: "s3cret-token",
    });
    expect(expandServer(remote({ url: "https://h/mcp?k=${secret:API_KEY}" }), ENV, secret).url).toBe(
      "https://h/mcp?k=k-42",
    );
  });

  it("does not rescan a secret's value", () => {
    const spec = remote({ headers: { A: "${secret:V}" } });
    expect(expandServer(spec, ENV, () => "${HOME}").headers.A).toBe("${HOME}");
  });

  it("records each secret put in as secret:NAME, so redaction shows the template", () => {
    const spec = remote({ headers: { A: "Bearer ${secret:TOKEN}", B: "${HOME}" } });
    expect(expandTracked(spec, ENV, secret).substitutions).toEqual([
      { name: "secret:TOKEN", value: "s3cret-token" },
      { name: "HOME", value: "/home/me" },
    ]);
  });

  it.each([
    [
      "one secret not stored",
      remote({ headers: { Authorization: "Bearer ${secret:GH_TOKEN}" } }),
      'server "github": secret not stored: ${secret:GH_TOKEN} in headers.Authorization',
      "run `voidmcp secret set GH_TOKEN`",
    ],
    [
      "several, in env",
      stdio({ env: { A: "${secret:ONE}", B: "${secret:TWO}" } }),
      'server "local": secrets not stored: ${secret:ONE} in env.A, ${secret:TWO} in env.B',
      "run `voidmcp secret set ONE`, then run `voidmcp secret set TWO`",
    ],
    [
      "a secret on a command line",
      stdio({ command: "tool", args: ["--token", "${secret:TOKEN}"] }),
      'server "local": secrets are not expanded in command, args or cwd (every user can read a command line): ${secret:TOKEN} in args[1]',
      "pass the secret in env (or a header) and let the server read it from there",
    ],
  ])("%s is a clear error naming server, field and command", (_, spec, message, hint) => {
    const error = voidErrorOf(() => expandServer(spec, ENV, secret));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });

  it("without a lookup, every secret is missing", () => {
    const error = voidErrorOf(() => expandServer(remote({ headers: { A: "${secret:TOKEN}" } }), ENV));
    expect(error.message).toContain("secret not stored: ${secret:TOKEN}");
  });
});

describe("secretReferences", () => {
  it.each([
    [stdio(), []],
    [stdio({ env: { A: "${secret:X}", B: "${secret:Y}-${secret:X}", C: "${Z}" } }), ["X", "Y"]],
    // Not where secrets are expanded: nothing to read.
    [stdio({ command: "${secret:C}", args: ["${secret:A}"], cwd: "${secret:D}" }), []],
    [
      remote({ url: "https://h/${secret:U}", headers: { A: "Bearer ${secret:T}", B: "${secret:bad name}" } }),
      ["U", "T"],
    ],
  ])("%# reads %j", (spec, names) => {
    expect(secretReferences(spec)).toEqual(names);
  });
});
