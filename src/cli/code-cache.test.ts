import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BODY_END,
  BODY_START,
  CACHE_RENEW_MS,
  CACHE_UNUSED_MS,
  cacheNeedsRenewal,
  codeCacheDir,
  codeCacheEnabled,
  codeCacheFile,
  embedBody,
  embedSection,
  extractBody,
  extractSection,
  findSections,
  staleCacheFiles,
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

describe("bundle sections", () => {
  const entry = '#!/usr/bin/env node\nconst s = "/*VOIDMCP-WASM\\n";\n';
  const file = [
    entry,
    embedSection("BODY", 'const x = "VOIDMCP-WASM*/ /*VOIDMCP-WORKER";'),
    embedSection("WASM", "AAEC/w=="),
    embedSection("WORKER", "a */ b\n"),
  ].join("");

  it("gives back each section exactly, in any order asked", () => {
    expect(extractSection(file, "WORKER")).toBe("a */ b\n");
    expect(extractSection(file, "BODY")).toBe('const x = "VOIDMCP-WASM*/ /*VOIDMCP-WORKER";');
    expect(extractSection(file, "WASM")).toBe("AAEC/w==");
  });

  it("places each span on the section's escaped text, as byte offsets of the ASCII file", () => {
    const bytes = Buffer.from(file, "latin1");
    for (const [name, span] of findSections(file)) {
      const head = `/*VOIDMCP-${name}\n`;
      expect(bytes.toString("latin1", span.start - head.length, span.start)).toBe(head);
      expect(bytes.toString("latin1", span.end, span.end + 1 + `VOIDMCP-${name}*/`.length)).toBe(
        `\nVOIDMCP-${name}*/`,
      );
    }
    expect([...findSections(file).keys()]).toEqual(["BODY", "WASM", "WORKER"]);
  });

  it.each([
    ["only a body (a bundle from before the data sections)", `${entry}${embedBody("b")}`, ["BODY"]],
    ["a data section cut short", `${entry}${embedBody("b")}/*VOIDMCP-WASM\nAAAA`, ["BODY"]],
    ["sections out of order", `${entry}${embedBody("b")}${embedSection("WORKER", "w")}`, ["BODY"]],
    ["no body", `${entry}${embedSection("WASM", "AAAA")}`, []],
  ])("finds only whole sections in order: %s", (_, text, names) => {
    expect([...findSections(text).keys()]).toEqual(names);
  });

  it("keeps the data out of the program: the file is one comment per section for a parser", () => {
    expect(() => new Function(file.slice(file.indexOf("/*VOIDMCP-BODY")))).not.toThrow();
  });
});

describe("staleCacheFiles", () => {
  const now = Date.UTC(2026, 11, 2);
  const day = 24 * 60 * 60 * 1000;
  const mine = codeCacheFile("a".repeat(64), "v20.20.2", "x64");
  it.each<[string, string, number, boolean]>([
    [
      "another version's cache, unused for 31 days",
      codeCacheFile("b".repeat(64), "v20.20.2", "x64"),
      31,
      true,
    ],
    [
      "another version's partial cache, unused for 31 days",
      codeCacheFile("b".repeat(64), "v20.1.0", "x64", "partial"),
      31,
      true,
    ],
    [
      "a write that never finished, 31 days ago",
      `${codeCacheFile("c".repeat(64), "v20.20.2", "x64")}.4242.tmp`,
      31,
      true,
    ],
    ["another version's cache used 29 days ago", codeCacheFile("b".repeat(64), "v20.20.2", "x64"), 29, false],
    ["the cache just written, whatever its time", mine, 400, false],
    ["a file that is not voidmcp's", "notes.txt", 400, false],
    ["a name close to ours", "bundle-x.v8cache.bak", 400, false],
  ])("%s: removed %s", (_, name, ageDays, removed) => {
    const entries = [{ name, mtimeMs: now - ageDays * day }];
    expect(staleCacheFiles(entries, [mine], now)).toEqual(removed ? [name] : []);
  });

  it("renews a used file's time once a day, well inside the unused limit", () => {
    expect(cacheNeedsRenewal(now - CACHE_RENEW_MS - 1, now)).toBe(true);
    expect(cacheNeedsRenewal(now - CACHE_RENEW_MS + 1, now)).toBe(false);
    expect(CACHE_RENEW_MS * 7).toBeLessThan(CACHE_UNUSED_MS);
  });
});
