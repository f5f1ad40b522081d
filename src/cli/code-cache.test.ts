import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BODY_END,
  BODY_START,
  codeCacheDir,
  codeCacheEnabled,
  codeCacheFile,
  embedBody,
  extractBody,
} from "./code-cache.js";

describe("embedBody / extractBody", () => {
  it.each([
    ["plain code", 'console.log("hi");'],
    ["a comment end inside a string", 'const s = "*/"; const t = `a*/b`;'],
    ["a regex with a comment end", "const r = /a*\\//g; /* a comment */"],
    ["the markers themselves", `${BODY_START}\n${BODY_END}\n"${BODY_END}"`],
    ["several lines and an escape look-alike", 'a\n*\\/\n"*\\x7f/"\n'],
    ["empty", ""],
  ])("gives back exactly the body: %s", (_, body) => {
    const file = `#!/usr/bin/env node\nimport "x";\n${embedBody(body)}`;
    expect(extractBody(file)).toBe(body);
  });

  it("never lets the body end the comment that carries it", () => {
    const embedded = embedBody("a */ b */ c");
    const inner = embedded.slice(BODY_START.length, embedded.length - BODY_END.length - 1);
    expect(inner).not.toContain("*/");
    // And the whole is one comment for a JavaScript parser.
    expect(() => new Function(embedded)).not.toThrow();
  });

  it("refuses a body it could not give back exactly", () => {
    expect(() => embedBody("a\x7fb")).toThrow(/DEL/);
  });

  it.each([
    ["no body", "import 'x';\n"],
    ["an entry without its body's end", `x\n${BODY_START}\nbody`],
  ])("says there is none: %s", (_, file) => {
    expect(extractBody(file)).toBeUndefined();
  });
});

describe("codeCacheDir", () => {
  it.each<[string, NodeJS.Platform, Record<string, string>, string, string | undefined]>([
    [
      "XDG_CACHE_HOME on Linux",
      "linux",
      { XDG_CACHE_HOME: "/x/cache" },
      "/home/u",
      join("/x/cache", "voidmcp"),
    ],
    ["~/.cache on Linux", "linux", {}, "/home/u", join("/home/u", ".cache", "voidmcp")],
    [
      "a relative XDG_CACHE_HOME is ignored",
      "linux",
      { XDG_CACHE_HOME: "cache" },
      "/home/u",
      join("/home/u", ".cache", "voidmcp"),
    ],
    [
      "an empty XDG_CACHE_HOME is ignored",
      "linux",
      { XDG_CACHE_HOME: "" },
      "/home/u",
      join("/home/u", ".cache", "voidmcp"),
    ],
    ["~/Library/Caches on macOS", "darwin", {}, "/Users/u", join("/Users/u", "Library", "Caches", "voidmcp")],
    ["XDG_CACHE_HOME on macOS too", "darwin", { XDG_CACHE_HOME: "/x" }, "/Users/u", join("/x", "voidmcp")],
    [
      "LOCALAPPDATA on Windows",
      "win32",
      { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" },
      "C:\\Users\\u",
      join("C:\\Users\\u\\AppData\\Local", "voidmcp", "Cache"),
    ],
    [
      "the home on Windows without LOCALAPPDATA",
      "win32",
      {},
      "C:\\Users\\u",
      join("C:\\Users\\u", "AppData", "Local", "voidmcp", "Cache"),
    ],
    ["no home, no variable: no cache", "linux", {}, "", undefined],
  ])("%s", (_, platform, env, home, expected) => {
    expect(codeCacheDir(platform, env, home)).toBe(expected);
  });
});

describe("codeCacheFile", () => {
  it("differs for another body, Node version or architecture, and is a plain file name", () => {
    const names = [
      codeCacheFile("a".repeat(64), "v20.20.2", "x64"),
      codeCacheFile("b".repeat(64), "v20.20.2", "x64"),
      codeCacheFile("a".repeat(64), "v22.1.0", "x64"),
      codeCacheFile("a".repeat(64), "v20.20.2", "arm64"),
      codeCacheFile("a".repeat(64), "v20.20.2", "x64", "partial"),
    ];
    expect(new Set(names).size).toBe(5);
    for (const name of names) expect(name).toMatch(/^bundle-[A-Za-z0-9._-]+\.v8cache$/);
    expect(codeCacheFile("../../etc", "v20/../x", "x64")).not.toContain("/");
  });
});

describe("codeCacheEnabled", () => {
  it.each([
    [undefined, true],
    ["", true],
    ["1", true],
    ["on", true],
    ["0", false],
    ["off", false],
    ["OFF", false],
    ["false", false],
    [" no ", false],
  ])("VOIDMCP_CODE_CACHE=%s → %s", (value, expected) => {
    expect(codeCacheEnabled(value === undefined ? {} : { VOIDMCP_CODE_CACHE: value })).toBe(expected);
  });
});
