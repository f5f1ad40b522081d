import { mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../core/index.js";
import { AuditLog, type AuditRecord, auditLogPath } from "./audit-log.js";

const record: AuditRecord = {
  time: "2026-01-01T00:00:00.000Z",
  client: "c",
  via: "script",
  server: "s",
  tool: "t",
  decision: "allow",
  because: "readOnlyHint",
  durationMs: 1,
  ok: true,
  bytes: 2,
  args: { id: "string" },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "voidmcp-audit-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("auditLogPath", () => {
  it.each([
    [{ XDG_STATE_HOME: "/state", HOME: "/home/me" }, "/state/voidmcp/audit.log"],
    [{ XDG_STATE_HOME: "  ", HOME: "/home/me" }, "/home/me/.local/state/voidmcp/audit.log"],
    [{ HOME: "/home/me" }, "/home/me/.local/state/voidmcp/audit.log"],
  ])("%o → %s", (env, path) => {
    expect(auditLogPath(env)).toBe(path);
  });
});

describe("AuditLog", () => {
  it("appends JSON lines in a directory it creates, private to the user", async () => {
    const path = join(dir, "state", "voidmcp", "audit.log");
    const log = new AuditLog(path, createLogger({ write: () => {} }));
    log.append(record);
    log.append({ ...record, tool: "u" });
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as AuditRecord).tool)).toEqual(["t", "u"]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("rotates to .1 when the next line would pass maxBytes", async () => {
    const path = join(dir, "audit.log");
    const lineBytes = JSON.stringify(record).length + 1;
    const log = new AuditLog(path, createLogger({ write: () => {} }), lineBytes * 3);
    for (let i = 0; i < 5; i++) log.append({ ...record, durationMs: i });
    const older = (await readFile(`${path}.1`, "utf8")).trim().split("\n");
    const current = (await readFile(path, "utf8")).trim().split("\n");
    expect(older.map((l) => (JSON.parse(l) as AuditRecord).durationMs)).toEqual([0, 1, 2]);
    expect(current.map((l) => (JSON.parse(l) as AuditRecord).durationMs)).toEqual([3, 4]);
  });

  it("never fails the call it records when the file cannot be written", async () => {
    const lines: string[] = [];
    // A directory where the file should be: the append fails with EISDIR.
    const path = join(dir, "taken");
    await mkdir(path);
    const log = new AuditLog(path, createLogger({ write: (l) => lines.push(l) }));
    expect(() => log.append(record)).not.toThrow();
    expect(() => log.append(record)).not.toThrow();
    expect(lines.filter((l) => l.includes("audit log"))).toHaveLength(1);
  });

  it("writes to the file now at the path after another process rotated or removed it", async () => {
    const path = join(dir, "audit.log");
    const log = new AuditLog(path, createLogger({ write: () => {} }));
    log.append({ ...record, tool: "first" });
    // Another gateway rotated the log: the next line starts the new file, not the old one.
    await rename(path, `${path}.1`);
    log.append({ ...record, tool: "second" });
    // A person removed it: the next line recreates it.
    await rm(path);
    log.append({ ...record, tool: "third" });
    log.close();
    const tools = async (file: string) =>
      (await readFile(file, "utf8"))
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as AuditRecord).tool);
    expect(await tools(`${path}.1`)).toEqual(["first"]);
    expect(await tools(path)).toEqual(["third"]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("closes idempotently, and a record after close opens the file again", async () => {
    const path = join(dir, "audit.log");
    const log = new AuditLog(path, createLogger({ write: () => {} }));
    log.append(record);
    log.close();
    log.close();
    log.append({ ...record, tool: "after" });
    log.close();
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as AuditRecord).tool)).toEqual(["t", "after"]);
  });
});
