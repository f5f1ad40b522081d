import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../core/index.js";
import { parseRegistryText, type ServerSpec } from "../registry/index.js";
import { FileCredentialStore, secretKey } from "../secrets/index.js";
import { SecretSource } from "./secret-source.js";

let dir: string;
let store: FileCredentialStore;
let opens: number;
let source: SecretSource;
const warnings: string[] = [];
const log = createLogger({ level: "warn", write: (line) => warnings.push(line) });

function specs(text: string): readonly ServerSpec[] {
  return parseRegistryText(text, join(dir, "servers.json")).servers;
}

const NO_SECRETS = specs.bind(null, JSON.stringify({ mcpServers: { a: { command: "a" } } }));
const WITH_SECRET = () =>
  specs(JSON.stringify({ mcpServers: { a: { command: "a", env: { TOKEN: "${secret:TOKEN}" } } } }));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-secret-source-"));
  store = new FileCredentialStore(join(dir, "state", "credentials.json"));
  opens = 0;
  warnings.length = 0;
  source = new SecretSource(async () => {
    opens += 1;
    return store;
  });
});

afterEach(async () => {
  source.close();
  await rm(dir, { recursive: true, force: true });
});

describe("SecretSource.watch", () => {
  it("opens no store by itself: a gateway whose servers use no secret never touches it", async () => {
    await source.watch(NO_SECRETS, () => {}, log);
    expect(opens).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("starts watching once a server's secrets are read, and restarts it when they change", async () => {
    await store.set(secretKey("TOKEN"), "one");
    const restarted: string[] = [];
    await source.watch(WITH_SECRET, (name) => restarted.push(name), log);
    expect(opens).toBe(0);
    expect(await source.values(["TOKEN"])).toEqual(new Map([["TOKEN", "one"]]));
    expect(opens).toBe(1);
    // The first look records what the server connected with; a later change restarts it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await store.set(secretKey("TOKEN"), "two");
    const deadline = Date.now() + 10_000;
    while (restarted.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(restarted).toEqual(["a"]);
    expect(opens).toBe(1);
  });
});
