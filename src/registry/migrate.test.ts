import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { editRegistryFile } from "./edit.js";
import { type Migration, migrateRegistryDocument } from "./migrate.js";
import { checkRegistryText, parseRegistryText } from "./parse.js";
import { addServerEntry } from "./server-entries.js";
import { voidErrorOf } from "./test-helpers.js";

const FILE = "/home/me/.config/voidmcp/servers.json";

describe("migrateRegistryDocument", () => {
  it("reads an unversioned file (format 0) as the current format: version first, nothing lost", () => {
    const value = { $schema: "x", mcpServers: { a: { command: "a", custom: [1] } }, extra: { k: true } };
    expect(migrateRegistryDocument(value)).toEqual({
      document: {
        version: 1,
        $schema: "x",
        mcpServers: { a: { command: "a", custom: [1] } },
        extra: { k: true },
      },
      fromVersion: 0,
    });
    expect(Object.keys((migrateRegistryDocument(value) as { document: object }).document)).toEqual([
      "version",
      "$schema",
      "mcpServers",
      "extra",
    ]);
    // The input is not changed.
    expect(value).not.toHaveProperty("version");
  });

  it("treats version 0 like no version", () => {
    expect(migrateRegistryDocument({ mcpServers: {}, version: 0 })).toEqual({
      document: { version: 1, mcpServers: {} },
      fromVersion: 0,
    });
  });

  it("returns a current document as it is", () => {
    const value = { version: 1, mcpServers: {} };
    const result = migrateRegistryDocument(value);
    expect(result).toEqual({ document: value, fromVersion: 1 });
    expect((result as { document: unknown }).document).toBe(value);
  });

  it.each([
    ["not an object", [1]],
    ["a version that is not a whole number", { version: "1" }],
    ["a negative version", { version: -1 }],
  ])("leaves %s for the schema to report", (_, value) => {
    expect(migrateRegistryDocument(value)).toEqual({ document: value, fromVersion: 1 });
  });

  it("reports a version from a newer voidmcp", () => {
    expect(migrateRegistryDocument({ version: 2 })).toEqual({
      issue: {
        path: ["version"],
        at: "value",
        message: "format 2 was written by a newer voidmcp; this one reads formats up to 1",
      },
    });
  });

  it("runs a chain of migrations in order, each from the previous one's output", () => {
    const chain: Migration[] = [
      {
        from: 1,
        summary: "rename servers",
        migrate: ({ servers, ...rest }) => ({ ...rest, mcpServers: servers }),
      },
      { from: 0, summary: "first", migrate: (doc) => ({ ...doc, seen: ["0"] }) },
      {
        from: 2,
        summary: "third",
        migrate: (doc) => ({ ...doc, seen: [...(doc.seen as string[]), "2"] }),
      },
    ];
    expect(migrateRegistryDocument({ servers: { a: { command: "a" } }, keep: 1 }, chain, 3)).toEqual({
      document: { version: 3, keep: 1, seen: ["0", "2"], mcpServers: { a: { command: "a" } } },
      fromVersion: 0,
    });
    expect(migrateRegistryDocument({ version: 2, seen: [] }, chain, 3)).toEqual({
      document: { version: 3, seen: ["2"] },
      fromVersion: 2,
    });
  });
});

describe("reading and editing older files", () => {
  it("parses an unversioned file, reporting the format it was written in", () => {
    const checked = checkRegistryText('{"mcpServers": {"a": {"command": "a"}}}', FILE);
    expect(checked.fromVersion).toBe(0);
    expect(checked.document).toEqual({ version: 1, mcpServers: { a: { command: "a" } } });
    expect(parseRegistryText('{"mcpServers": {"a": {"command": "a"}}}', FILE).version).toBe(1);
  });

  it("refuses a file from a newer voidmcp, saying where and what to do", () => {
    const error = voidErrorOf(() => parseRegistryText('{\n  "version": 2,\n  "mcpServers": {}\n}', FILE));
    expect(error.code).toBe("registry_invalid");
    expect(error.message).toBe(
      `${FILE}:2:14: version: format 2 was written by a newer voidmcp; this one reads formats up to 1`,
    );
    expect(error.hint).toBe("upgrade voidmcp to read this file (see the README's install section)");
  });

  it("an edit of an unversioned file writes the current format and keeps everything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "voidmcp-migrate-"));
    try {
      const path = join(dir, "servers.json");
      await writeFile(
        path,
        '{"mcpServers": {"a": {"command": "a", "x-note": 1}}, "expose": "code", "mine": [1]}',
      );
      // Reading alone changes nothing.
      parseRegistryText(await readFile(path, "utf8"), path);
      expect(await readFile(path, "utf8")).toBe(
        '{"mcpServers": {"a": {"command": "a", "x-note": 1}}, "expose": "code", "mine": [1]}',
      );
      await editRegistryFile(path, (doc) => addServerEntry(doc, "b", { command: "b" }));
      expect(await readFile(path, "utf8")).toBe(
        `${JSON.stringify(
          {
            version: 1,
            mcpServers: { a: { command: "a", "x-note": 1 }, b: { command: "b" } },
            expose: "code",
            mine: [1],
          },
          null,
          2,
        )}\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
