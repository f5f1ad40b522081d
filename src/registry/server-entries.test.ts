import { describe, expect, it } from "vitest";
import type { RawServerEntry, RegistryDocument } from "./schema.js";
import { addServerEntry, removeServerEntry } from "./server-entries.js";
import { voidErrorOf } from "./test-helpers.js";

describe("addServerEntry", () => {
  it("appends to mcpServers, creating it when absent", () => {
    const doc: RegistryDocument = { version: 1 };
    addServerEntry(doc, "b", { command: "x" });
    addServerEntry(doc, "a", { url: "https://h/mcp", type: "http" });
    expect(doc).toEqual({
      version: 1,
      mcpServers: { b: { command: "x" }, a: { url: "https://h/mcp", type: "http" } },
    });
    expect(Object.keys(doc.mcpServers ?? {})).toEqual(["b", "a"]);
  });

  it.each([
    [
      "an invalid name",
      "my server",
      { command: "x" },
      "usage",
      '"my server" is not a valid server name',
      'use letters, digits, "-" and "_", starting with a letter or digit, at most 48 characters, no "__" (^[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}$)',
    ],
    ["a name with __", "a__b", { command: "x" }, "usage", '"a__b" is not a valid server name', undefined],
    [
      "a taken name",
      "taken",
      { command: "x" },
      "conflict",
      'a server named "taken" is already registered',
      "run `voidmcp remove taken` first, or choose another name",
    ],
    [
      "an entry with neither command nor url",
      "new",
      { args: ["x"] },
      "usage",
      'invalid definition for server "new": expected command (a local stdio server) or url (a remote server)',
      "give either a command (with its arguments) or an http(s) url",
    ],
    [
      "an entry with a fractional timeout (type errors come before the url check)",
      "new",
      { url: "file:///x", timeoutMs: 1.5 },
      "usage",
      'invalid definition for server "new": timeoutMs: expected a whole number of milliseconds, got number',
      undefined,
    ],
    [
      "an entry with a bad url",
      "new",
      { url: "file:///x" },
      "usage",
      'invalid definition for server "new": url: expected an http:// or https:// URL',
      undefined,
    ],
  ] as Array<[string, string, RawServerEntry, string, string, string | undefined]>)(
    "refuses %s and changes nothing",
    (_, name, entry, code, message, hint) => {
      const doc: RegistryDocument = { mcpServers: { taken: { command: "t" } } };
      const error = voidErrorOf(() => addServerEntry(doc, name, entry));
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      if (hint !== undefined) expect(error.hint).toBe(hint);
      expect(doc).toEqual({ mcpServers: { taken: { command: "t" } } });
    },
  );
});

describe("removeServerEntry", () => {
  it("removes the entry, keeps the order of the rest, and returns it", () => {
    const doc: RegistryDocument = {
      mcpServers: { a: { command: "a" }, b: { command: "b" }, c: { command: "c" } },
    };
    expect(removeServerEntry(doc, "b")).toEqual({ command: "b" });
    expect(Object.keys(doc.mcpServers ?? {})).toEqual(["a", "c"]);
  });

  it.each([
    [
      { mcpServers: { a: { command: "a" }, b: { url: "https://b" } } },
      'no server named "x" is registered; known: a, b',
    ],
    [{ mcpServers: {} }, 'no server named "x" is registered; the registry has no servers'],
    [{}, 'no server named "x" is registered; the registry has no servers'],
  ] as Array<[RegistryDocument, string]>)(
    "reports an unknown name with the known ones (%j)",
    (doc, message) => {
      const error = voidErrorOf(() => removeServerEntry(doc, "x"));
      expect(error.code).toBe("not_found");
      expect(error.message).toBe(message);
      expect(error.hint).toBe("see `voidmcp list` for the registered servers");
    },
  );

  it("does not mistake inherited properties for servers", () => {
    const error = voidErrorOf(() => removeServerEntry({ mcpServers: {} }, "toString"));
    expect(error.code).toBe("not_found");
  });
});
