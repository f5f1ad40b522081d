import { writeFileSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editRegistryFile, loadRegistryDocument } from "./edit.js";
import { parseRegistryText } from "./parse.js";
import type { RegistryDocument } from "./schema.js";
import { addServerEntry, removeServerEntry } from "./server-entries.js";
import { rejectedVoidError } from "./test-helpers.js";

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe("editRegistryFile", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "voidmcp-edit-"));
    path = join(dir, "servers.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a missing file, and its directories, private to the user", async () => {
    const nested = join(dir, "config", "voidmcp", "servers.json");
    const result = await editRegistryFile(nested, (doc) =>
      addServerEntry(doc, "files", { command: "npx", args: ["-y", "fs"] }),
    );
    expect(result).toEqual({ created: true });
    expect(await readFile(nested, "utf8")).toBe(
      '{\n  "version": 1,\n  "mcpServers": {\n    "files": {\n      "command": "npx",\n      "args": [\n        "-y",\n        "fs"\n      ]\n    }\n  }\n}\n',
    );
    expect(await modeOf(nested)).toBe(0o600);
    expect(await modeOf(join(dir, "config"))).toBe(0o700);
    expect(await modeOf(join(dir, "config", "voidmcp"))).toBe(0o700);
    expect(await readdir(join(dir, "config", "voidmcp"))).toEqual(["servers.json"]);
  });

  it("keeps unknown keys and key order, and the file's mode", async () => {
    const original = [
      "{",
      '  "$schema": "https://example.com/schema.json",',
      '  "mcpServers": {',
      '    "zeta": { "command": "z", "autoApprove": ["t"], "args": ["1"] },',
      '    "alpha": { "url": "https://a/mcp", "x-note": { "keep": true } }',
      "  },",
      '  "expose": "code",',
      '  "custom": [1, {"b": 2, "a": 1}]',
      "}",
    ].join("\n");
    await writeFile(path, original);
    await chmod(path, 0o644);

    const result = await editRegistryFile(path, (doc) => {
      addServerEntry(doc, "mid", { url: "https://m/mcp", headers: { A: "b" } });
      removeServerEntry(doc, "zeta");
    });

    expect(result).toEqual({ created: false });
    // The file had no version (format 0): the edit writes the current format, version first.
    const expected: RegistryDocument = {
      version: 1,
      $schema: "https://example.com/schema.json",
      mcpServers: {
        alpha: { url: "https://a/mcp", "x-note": { keep: true } },
        mid: { url: "https://m/mcp", headers: { A: "b" } },
      },
      expose: "code",
      custom: [1, { b: 2, a: 1 }],
    };
    expect(await readFile(path, "utf8")).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(await modeOf(path)).toBe(0o644);
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  it("replaces an entry in place", async () => {
    await writeFile(
      path,
      '{"mcpServers": {"a": {"command": "a"}, "b": {"command": "b"}, "c": {"command": "c"}}}',
    );
    await editRegistryFile(path, (doc) => {
      if (doc.mcpServers) doc.mcpServers.b = { command: "B", enabled: false };
    });
    const registry = parseRegistryText(await readFile(path, "utf8"), path);
    expect(registry.servers.map((s) => [s.name, s.enabled])).toEqual([
      ["a", true],
      ["b", false],
      ["c", true],
    ]);
  });

  it("starts an empty existing file from scratch", async () => {
    await writeFile(path, "\n");
    const result = await editRegistryFile(path, (doc) => addServerEntry(doc, "a", { command: "x" }));
    expect(result).toEqual({ created: false });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      version: 1,
      mcpServers: { a: { command: "x" } },
    });
  });

  it("edits the target of a symbolic link and keeps the link", async () => {
    const target = join(dir, "real.json");
    await writeFile(target, '{"mcpServers": {}}');
    await symlink(target, path);
    await editRegistryFile(path, (doc) => addServerEntry(doc, "a", { command: "x" }));
    expect(await readlink(path)).toBe(target);
    expect(JSON.parse(await readFile(target, "utf8"))).toEqual({
      version: 1,
      mcpServers: { a: { command: "x" } },
    });
    expect((await readdir(dir)).sort()).toEqual(["real.json", "servers.json"]);
  });

  // [what, file text, expected message]
  it.each([
    [
      "invalid JSON",
      '{\n  "mcpServers": {,}\n}',
      ':2:18: invalid JSON: expected a property name in double quotes or "}"',
    ],
    [
      "a schema error",
      '{"mcpServers": {"a": {"args": ["x"]}}}',
      ":1:17: mcpServers.a: expected command (a local stdio server) or url (a remote server)",
    ],
  ])("refuses to touch a file with %s", async (_, text, message) => {
    await writeFile(path, text);
    await chmod(path, 0o640);
    const before = await stat(path);
    let called = false;
    const error = await rejectedVoidError(
      editRegistryFile(path, () => {
        called = true;
      }),
    );
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(`${path}${message}`);
    expect(error.hint).toBe(`fix ${path} by hand first; voidmcp does not rewrite a registry it cannot read`);
    expect(called).toBe(false);
    expect(await readFile(path, "utf8")).toBe(text);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect(await modeOf(path)).toBe(0o640);
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  it("writes nothing when the edit would make the file invalid", async () => {
    const text = '{"mcpServers": {"a": {"command": "x"}}}';
    await writeFile(path, text);
    const error = await rejectedVoidError(
      editRegistryFile(path, (doc) => {
        if (doc.mcpServers) doc.mcpServers.a = { command: "x", timeoutMs: -1 };
      }),
    );
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(`${path}: mcpServers.a.timeoutMs: expected a positive number of milliseconds`);
    expect(error.hint).toBe(`the change would make the registry invalid, so ${path} was left as it was`);
    expect(await readFile(path, "utf8")).toBe(text);
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  const crossEdits: Array<{
    what: string;
    text: string;
    mutate: (doc: RegistryDocument) => void;
    message: string;
  }> = [
    {
      what: "removing a server a profile names",
      text: '{"profiles": {"work": {"servers": ["a"]}}, "mcpServers": {"a": {"command": "x"}}}',
      mutate: (doc) => void removeServerEntry(doc, "a"),
      message: 'profiles.work.servers[0]: unknown server "a" (no server is registered)',
    },
    {
      what: "an override that breaks the name rules",
      text: '{"mcpServers": {"a": {"command": "x"}}}',
      mutate: (doc) => {
        if (doc.mcpServers?.a) doc.mcpServers.a.overrides = { t: { name: "has.dot" } };
      },
      message:
        'mcpServers.a.overrides.t.name: "has.dot" is not a tool name: expected letters, digits, "_" and "-" only',
    },
    {
      what: "an added server whose override collides with another's",
      text: '{"mcpServers": {"a": {"command": "x", "prefix": "", "overrides": {"t": {"name": "same"}}}}}',
      mutate: (doc) =>
        addServerEntry(doc, "b", { command: "y", prefix: "", overrides: { u: { name: "same" } } }),
      message:
        'mcpServers.b.overrides.u.name: gives the name "same", which mcpServers.a.overrides.t already gives',
    },
  ];
  it.each(crossEdits)("writes nothing for $what", async ({ text, mutate, message }) => {
    await writeFile(path, text);
    const error = await rejectedVoidError(editRegistryFile(path, mutate));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(`${path}: ${message}`);
    expect(await readFile(path, "utf8")).toBe(text);
  });

  it("awaits an async mutate", async () => {
    await editRegistryFile(path, async (doc) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      addServerEntry(doc, "late", { command: "x" });
    });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      version: 1,
      mcpServers: { late: { command: "x" } },
    });
  });

  it("writes nothing, and creates nothing, when mutate throws", async () => {
    const nested = join(dir, "sub", "servers.json");
    const error = await rejectedVoidError(editRegistryFile(nested, (doc) => removeServerEntry(doc, "ghost")));
    expect(error.code).toBe("not_found");
    expect(await readdir(dir)).toEqual([]);
  });

  it("starts again from the new content when the file changes on disk during the edit", async () => {
    await writeFile(path, '{"mcpServers": {}}');
    let calls = 0;
    await editRegistryFile(path, (doc) => {
      // Someone who does not take the lock (an editor) saves the file meanwhile, once.
      if (++calls === 1) writeFileSync(path, '{"mcpServers": {"theirs": {"command": "t"}}}');
      addServerEntry(doc, "mine", { command: "m" });
    });
    expect(calls).toBe(2);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      version: 1,
      mcpServers: { theirs: { command: "t" }, mine: { command: "m" } },
    });
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  it("writes nothing when the file keeps changing on disk during the edit", async () => {
    await writeFile(path, '{"mcpServers": {}}');
    let calls = 0;
    const theirs = () => `{"mcpServers": {"theirs${calls}": {"command": "t"}}}`;
    const error = await rejectedVoidError(
      editRegistryFile(path, (doc) => {
        calls++;
        writeFileSync(path, theirs());
        addServerEntry(doc, "mine", { command: "m" });
      }),
    );
    expect(error.code).toBe("conflict");
    expect(error.message).toBe(`${path} changed on disk while it was being edited; nothing was written`);
    expect(calls).toBe(3);
    expect(await readFile(path, "utf8")).toBe(theirs());
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  it("reports an unreadable path as registry_io", async () => {
    await writeFile(join(dir, "file"), "");
    const error = await rejectedVoidError(editRegistryFile(join(dir, "file", "servers.json"), () => {}));
    expect(error.code).toBe("registry_io");
    expect(error.message).toContain("ENOTDIR");
  });
});

describe("loadRegistryDocument", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "voidmcp-doc-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the raw document, unknown keys and all, in the current format, and writes nothing", async () => {
    const path = join(dir, "servers.json");
    await writeFile(path, '{"x": 1, "mcpServers": {"a": {"command": "c", "note": true}}}');
    expect(await loadRegistryDocument(path)).toEqual({
      version: 1,
      x: 1,
      mcpServers: { a: { command: "c", note: true } },
    });
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  it("gives a fresh document for a missing file, creating nothing", async () => {
    expect(await loadRegistryDocument(join(dir, "sub", "servers.json"))).toEqual({
      version: 1,
      mcpServers: {},
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses an invalid file", async () => {
    const path = join(dir, "servers.json");
    await writeFile(path, "{,}");
    const error = await rejectedVoidError(loadRegistryDocument(path));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(`${path}:1:2: invalid JSON: expected a property name in double quotes or "}"`);
  });
});

describe("editRegistryFile: formatting and concurrency", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "voidmcp-edit-"));
    path = join(dir, "servers.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const COMMENTED = [
    "{",
    '  "version": 1,',
    "  // the servers I use every day",
    '  "mcpServers": {',
    '    "files": { "command": "npx", "args": ["-y", "fs"] }, // inline, on purpose',
    "    /* remote */",
    '    "web": {',
    '      "url": "https://example.com/mcp"',
    "    }",
    "  },",
    '  "expose": "code" // trailing note',
    "}",
    "",
  ].join("\n");

  it("adds and removes an entry leaving every other byte as it was", async () => {
    await writeFile(path, COMMENTED);
    await editRegistryFile(path, (doc) => addServerEntry(doc, "extra", { command: "node", args: ["s.js"] }));
    const added = await readFile(path, "utf8");
    expect(added).toBe(
      COMMENTED.replace(
        '      "url": "https://example.com/mcp"\n    }\n',
        '      "url": "https://example.com/mcp"\n    },\n    "extra": {\n      "command": "node",\n      "args": [\n        "s.js"\n      ]\n    }\n',
      ),
    );
    await editRegistryFile(path, (doc) => removeServerEntry(doc, "extra"));
    expect(await readFile(path, "utf8")).toBe(COMMENTED);
  });

  it("changes an inline entry inline, and removes it with its comment line intact elsewhere", async () => {
    await writeFile(path, COMMENTED);
    await editRegistryFile(path, (doc) => {
      const files = doc.mcpServers?.files;
      if (files) files.enabled = false;
    });
    expect(await readFile(path, "utf8")).toBe(
      COMMENTED.replace('"args": ["-y", "fs"] }', '"args": ["-y", "fs"], "enabled": false }'),
    );
    await editRegistryFile(path, (doc) => removeServerEntry(doc, "files"));
    const text = await readFile(path, "utf8");
    expect(text).not.toContain('"files"');
    expect(text).toContain("// the servers I use every day");
    expect(text).toContain("/* remote */");
    expect(parseRegistryText(text, path).servers.map((s) => s.name)).toEqual(["web"]);
  });

  it("keeps a one-line registry on one line", async () => {
    await writeFile(path, '{"version": 1, "mcpServers": {"a": {"command": "a"}}}\n');
    await editRegistryFile(path, (doc) => addServerEntry(doc, "b", { command: "b" }));
    expect(await readFile(path, "utf8")).toBe(
      '{"version": 1, "mcpServers": {"a": {"command": "a"}, "b": { "command": "b" }}}\n',
    );
  });

  it("loses no entry when ten edits run at once", async () => {
    await writeFile(path, '{\n  "version": 1,\n  "mcpServers": {}\n}\n');
    const names = Array.from({ length: 10 }, (_, i) => `s${i}`);
    await Promise.all(
      names.map((name) => editRegistryFile(path, (doc) => addServerEntry(doc, name, { command: "echo" }))),
    );
    const servers = parseRegistryText(await readFile(path, "utf8"), path).servers.map((s) => s.name);
    expect(servers.sort()).toEqual([...names].sort());
    expect(await readdir(dir)).toEqual(["servers.json"]);
  });

  it("gives up with a conflict, writing nothing, while another live holder keeps the lock", async () => {
    await writeFile(path, '{"version": 1}');
    const lock = `${path}.lock`;
    await writeFile(lock, JSON.stringify({ pid: process.pid, id: "someone-else" }));
    const error = await rejectedVoidError(
      editRegistryFile(path, (doc) => addServerEntry(doc, "a", { command: "x" }), { lockWaitMs: 300 }),
    );
    expect(error.code).toBe("conflict");
    expect(error.message).toBe(
      `${path} is being edited by another process (pid ${process.pid}); gave up after 0 s and wrote nothing`,
    );
    expect(await readFile(path, "utf8")).toBe('{"version": 1}');
    expect((await readdir(dir)).sort()).toEqual(["servers.json", "servers.json.lock"]);
  });
});
