import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileCredentialStore, formatCredentialFile, parseCredentialFile } from "./file-store.js";

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-secrets-"));
  path = join(dir, "state", "voidmcp", "credentials.json");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe("parseCredentialFile", () => {
  it("reads version 1 and an empty file", () => {
    expect(parseCredentialFile('{"version":1,"credentials":{"a":"1","b":"x y"}}', "f")).toEqual(
      new Map([
        ["a", "1"],
        ["b", "x y"],
      ]),
    );
    expect(parseCredentialFile("", "f")).toEqual(new Map());
  });

  it.each([
    ["{", "not valid JSON"],
    ["[]", "not a JSON object"],
    ['{"credentials":{}}', 'expected "version": 1'],
    ['{"version":2,"credentials":{}}', 'expected "version": 1'],
    ['{"version":1}', 'expected "credentials" to be an object'],
    ['{"version":1,"credentials":{"k":1}}', 'the value of "k" is not a string'],
  ])("%j is refused: %s", (text, why) => {
    expect(() => parseCredentialFile(text, "/x/credentials.json")).toThrow(
      expect.objectContaining({
        code: "credentials",
        message: `/x/credentials.json is not a voidmcp credential file (${why}); nothing was changed`,
      }),
    );
  });

  it("never quotes the file in its message", () => {
    const text = '{"version":1,"credentials":{"k":"sk-live-secret", "n": 5}}';
    expect(() => parseCredentialFile(text, "f")).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining("sk-live") }),
    );
  });

  it("formats with sorted keys and round-trips", () => {
    const text = formatCredentialFile(
      new Map([
        ["z", "1"],
        ["a", "2\n"],
      ]),
    );
    expect(text).toBe('{\n  "version": 1,\n  "credentials": {\n    "a": "2\\n",\n    "z": "1"\n  }\n}\n');
    expect(parseCredentialFile(text, "f")).toEqual(
      new Map([
        ["a", "2\n"],
        ["z", "1"],
      ]),
    );
  });
});

describe("FileCredentialStore", () => {
  it("starts empty without creating anything", async () => {
    const store = new FileCredentialStore(path);
    expect(await store.get("secret:A")).toBeUndefined();
    expect(await store.keys("")).toEqual([]);
    expect(await store.delete("secret:A")).toBe(false);
    await expect(stat(join(dir, "state"))).rejects.toThrow();
  });

  it("sets, gets, lists by prefix and deletes", async () => {
    const store = new FileCredentialStore(path);
    await store.set("secret:B", "bee");
    await store.set("secret:A", "a\nb ✓");
    await store.set("oauth:srv:tokens", '{"access_token":"t"}');
    expect(await store.get("secret:A")).toBe("a\nb ✓");
    expect(await store.keys("secret:")).toEqual(["secret:A", "secret:B"]);
    expect(await store.keys("")).toEqual(["oauth:srv:tokens", "secret:A", "secret:B"]);
    await store.set("secret:A", "replaced");
    expect(await store.get("secret:A")).toBe("replaced");
    expect(await store.delete("secret:A")).toBe(true);
    expect(await store.delete("secret:A")).toBe(false);
    expect(await store.get("secret:A")).toBeUndefined();
    expect(store.backend).toBe("file");
    expect(store.changeMarker).toBe(path);
  });

  it("writes the file 0600 in a 0700 directory, without leftovers", async () => {
    const store = new FileCredentialStore(path);
    await store.set("secret:A", "x");
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(dir, "state", "voidmcp"))).toBe(0o700);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(join(dir, "state", "voidmcp"))).toEqual(["credentials.json"]);
  });

  it("sees another writer's change at the next get (no stale cache)", async () => {
    const mine = new FileCredentialStore(path);
    const theirs = new FileCredentialStore(path);
    await mine.set("secret:A", "1");
    expect(await mine.get("secret:A")).toBe("1");
    await theirs.set("secret:A", "2");
    expect(await mine.get("secret:A")).toBe("2");
    // Same size, written by hand: a new inode and mtime still show.
    await writeFile(path, formatCredentialFile(new Map([["secret:A", "3"]])));
    expect(await mine.get("secret:A")).toBe("3");
  });

  it("keeps every write of many concurrent writers (the lock serialises them)", async () => {
    const stores = Array.from({ length: 4 }, () => new FileCredentialStore(path));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (stores[i % 4] as FileCredentialStore).set(`secret:K${i}`, `v${i}`),
      ),
    );
    const keys = await new FileCredentialStore(path).keys("secret:");
    expect(keys).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(await stores[0]?.get(`secret:K${i}`)).toBe(`v${i}`);
  });

  it("refuses a corrupt file with a clear error and never overwrites it", async () => {
    const store = new FileCredentialStore(path);
    await store.set("secret:A", "kept");
    const corrupt = '{"version":1,"credentials":{"secret:A":"kept",';
    await writeFile(path, corrupt);
    const expected = expect.objectContaining({
      code: "credentials",
      message: `${path} is not a voidmcp credential file (not valid JSON); nothing was changed`,
    });
    await expect(store.get("secret:A")).rejects.toThrow(expected);
    await expect(store.set("secret:B", "new")).rejects.toThrow(expected);
    await expect(store.delete("secret:A")).rejects.toThrow(expected);
    expect(await readFile(path, "utf8")).toBe(corrupt);
  });

  it("refuses keys the OS tools could not carry", async () => {
    const store = new FileCredentialStore(path);
    for (const key of ["", "a b", 'a"b', "a\\b", "a\nb"]) {
      await expect(store.set(key, "v")).rejects.toThrow(expect.objectContaining({ code: "internal" }));
    }
  });
});
