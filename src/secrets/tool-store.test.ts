import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretServiceTool } from "./os-tools.js";
import { runTool } from "./run-tool.js";
import { ToolCredentialStore } from "./tool-store.js";

/**
 * secret-tool itself needs a D-Bus session and a keyring, which test machines lack; this stand-in
 * is a real process with secret-tool's command line (lookup / store / clear with attributes,
 * store reading stdin) that keeps items in a JSON file and logs every argv it was given.
 */
const STAND_IN = `#!${process.execPath}
const fs = require("node:fs");
const [db, log] = [process.env.FAKE_DB, process.env.FAKE_LOG];
fs.appendFileSync(log, JSON.stringify(process.argv.slice(2)) + "\\n");
const items = fs.existsSync(db) ? JSON.parse(fs.readFileSync(db, "utf8")) : {};
const args = process.argv.slice(2);
const op = args[0];
const rest = args.slice(1).filter((a) => !a.startsWith("--label="));
const id = rest.join(" ");
if (op === "lookup") {
  if (!(id in items)) process.exit(1);
  process.stdout.write(items[id]);
} else if (op === "store") {
  items[id] = fs.readFileSync(0, "utf8");
  fs.writeFileSync(db, JSON.stringify(items));
} else if (op === "clear") {
  delete items[id];
  fs.writeFileSync(db, JSON.stringify(items));
} else {
  process.stderr.write("usage\\n");
  process.exit(2);
}
`;

let dir: string;
let fake: string;
let log: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-tool-store-"));
  fake = join(dir, "secret-tool");
  log = join(dir, "argv.log");
  await writeFile(fake, STAND_IN);
  await chmod(fake, 0o755);
  process.env.FAKE_DB = join(dir, "items.json");
  process.env.FAKE_LOG = log;
});

afterAll(async () => {
  delete process.env.FAKE_DB;
  delete process.env.FAKE_LOG;
  await rm(dir, { recursive: true, force: true });
});

describe("ToolCredentialStore over a real secret-tool-like process", () => {
  it("stores, reads, lists through its index, and deletes; values never on argv", async () => {
    const index = join(dir, "state", "credential-index.json");
    const store = new ToolCredentialStore(secretServiceTool, index, (invocation, timeoutMs) =>
      runTool({ ...invocation, command: fake }, timeoutMs),
    );
    const value = "sk-live-tool-Secret\nsecond line ✓";
    await store.set("secret:B", "bee");
    await store.set("secret:A", value);
    expect(await store.get("secret:A")).toBe(value);
    expect(await store.get("secret:C")).toBeUndefined();
    expect(await store.keys("secret:")).toEqual(["secret:A", "secret:B"]);
    expect(store.backend).toBe("secret-service");
    expect(store.changeMarker).toBe(index);

    // The index holds names and times, never a value.
    const indexText = await readFile(index, "utf8");
    expect(indexText).toContain("secret:A");
    expect(indexText).not.toContain("sk-live");

    expect(await store.delete("secret:A")).toBe(true);
    expect(await store.delete("secret:A")).toBe(false);
    expect(await store.get("secret:A")).toBeUndefined();
    expect(await store.keys("secret:")).toEqual(["secret:B"]);

    const argvs = await readFile(log, "utf8");
    expect(argvs).toContain('"store"');
    expect(argvs).not.toContain("sk-live");
    expect(argvs).not.toContain(Buffer.from(value).toString("base64").slice(0, 12));
  });

  it("reports a tool that cannot run as a credentials error", async () => {
    const store = new ToolCredentialStore(
      secretServiceTool,
      join(dir, "index2.json"),
      (invocation, timeoutMs) => runTool({ ...invocation, command: join(dir, "missing-tool") }, timeoutMs),
    );
    await expect(store.get("secret:A")).rejects.toThrow(
      expect.objectContaining({
        code: "credentials",
        message: `secret-service: cannot read "secret:A": ${join(dir, "missing-tool")} not found`,
      }),
    );
  });
});
