import { describe, expect, it } from "vitest";
import type { ImportedEntry } from "./import.js";
import { literalSecrets, looksSecret, planSecretMoves, secretNameFor } from "./move-secrets.js";

describe("looksSecret", () => {
  it.each<[string, string, boolean]>([
    ["Authorization", "Bearer ghp_abc123", true],
    ["authorization", "Basic Zm9vOmJhcg==", true],
    ["Authorization", "ghp_abc123", true],
    ["X-Api-Key", "k-123456", true],
    ["GITHUB_PERSONAL_ACCESS_TOKEN", "ghp_abc", true],
    ["OPENAI_API_KEY", "sk-abc", true],
    ["apiKey", "abc12345", true],
    ["DB_PASSWORD", "hunter22", true],
    ["CLIENT_SECRET", "s", true],
    ["X-Custom", "Bearer xyz", true],
    ["Cookie", "session=abc", true],
    // Not secrets.
    ["LOG_LEVEL", "debug", false],
    ["KEYBOARD", "us", false],
    ["MONKEY", "banana", false],
    ["AUTHOR", "me", false],
    ["USE_TOKEN", "1", false],
    ["TOKEN_CACHE", "true", false],
    ["GITHUB_TOKEN", "${GITHUB_TOKEN}", false],
    ["Authorization", "Bearer ${secret:GH}", false],
    ["API_KEY", "", false],
    ["Accept", "application/json", false],
  ])("%s=%j → %s", (key, value, secret) => {
    expect(looksSecret(key, value)).toBe(secret);
  });
});

describe("secretNameFor", () => {
  it.each([
    ["github", "Authorization", "GITHUB_AUTHORIZATION"],
    ["my-github", "X-Api-Key", "MY_GITHUB_X_API_KEY"],
    ["github", "GITHUB_TOKEN", "GITHUB_TOKEN"],
    ["github", "github", "GITHUB"],
    ["1pass", "TOKEN", "_1PASS_TOKEN"],
    ["db", "password", "DB_PASSWORD"],
  ])("%s + %s → %s", (server, key, name) => {
    expect(secretNameFor(server, key)).toBe(name);
  });
});

function imported(name: string, entry: ImportedEntry["entry"]): ImportedEntry {
  return { name, entry, origin: { path: ["mcpServers"], key: name } };
}

const ENTRIES = [
  imported("github", {
    type: "http",
    url: "https://api.example.com/mcp",
    headers: { Authorization: "Bearer ghp_live_1", Accept: "application/json" },
  }),
  imported("db", { command: "db-mcp", env: { DB_PASSWORD: "pw-1", LOG: "1" } }),
  imported("plain", { command: "x", args: ["--token", "literal-on-argv"] }),
];

describe("literalSecrets", () => {
  it("names where each literal secret is, never its value", () => {
    expect(literalSecrets(ENTRIES)).toEqual([
      { server: "github", field: "headers.Authorization" },
      { server: "db", field: "env.DB_PASSWORD" },
    ]);
  });
});

describe("planSecretMoves", () => {
  it("replaces literal secrets by references and keeps the auth scheme in the header", () => {
    const { entries, moves } = planSecretMoves(ENTRIES, new Map());
    expect(entries[0]?.entry).toEqual({
      type: "http",
      url: "https://api.example.com/mcp",
      headers: { Authorization: "Bearer ${secret:GITHUB_AUTHORIZATION}", Accept: "application/json" },
    });
    expect(entries[1]?.entry).toEqual({
      command: "db-mcp",
      env: { DB_PASSWORD: "${secret:DB_PASSWORD}", LOG: "1" },
    });
    expect(entries[2]).toBe(ENTRIES[2]);
    expect(moves).toEqual([
      {
        server: "github",
        field: "headers.Authorization",
        name: "GITHUB_AUTHORIZATION",
        value: "ghp_live_1",
        reused: false,
      },
      { server: "db", field: "env.DB_PASSWORD", name: "DB_PASSWORD", value: "pw-1", reused: false },
    ]);
    // The input is not changed.
    expect(ENTRIES[0]?.entry.headers).toEqual({
      Authorization: "Bearer ghp_live_1",
      Accept: "application/json",
    });
  });

  it("reuses a stored secret with the same value, and never overwrites another", () => {
    const existing = new Map([
      ["GITHUB_AUTHORIZATION", "ghp_live_1"],
      ["DB_PASSWORD", "someone else's"],
      ["DB_PASSWORD_2", "another"],
    ]);
    const { moves } = planSecretMoves(ENTRIES, existing);
    expect(moves.map((m) => [m.name, m.reused])).toEqual([
      ["GITHUB_AUTHORIZATION", true],
      ["DB_PASSWORD_3", false],
    ]);
  });

  it("gives two servers' different values different names, and one value one name", () => {
    const twins = [
      imported("a", { command: "x", env: { a_TOKEN: "one" } }),
      imported("b", { command: "x", env: { TOKEN: "two" } }),
      imported("c", { command: "x", env: { TOKEN: "two" } }),
    ];
    const { moves } = planSecretMoves(twins, new Map([["B_TOKEN", "old"]]));
    expect(moves.map((m) => [m.name, m.reused])).toEqual([
      ["A_TOKEN", false],
      ["B_TOKEN_2", false],
      ["C_TOKEN", false],
    ]);
  });
});
