import { closeSync, fstatSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { describeError, type Logger, stateDirectory } from "../core/index.js";
import type { PolicyDecision } from "../registry/index.js";

/** How a call reached the router: a client's `tools/call`, a script's call, or the CLI. */
export type CallVia = "direct" | "script" | "cli";

/** What a `confirm` decision came to. */
export type Confirmation =
  | "accepted"
  | "accepted_for_run"
  | "remembered_for_run"
  | "declined"
  | "cancelled"
  | "timeout"
  | "unsupported"
  | "cli"
  | "dry_run";

/**
 * One line of the audit log. It holds the *shape* of the arguments (keys and types) and, on
 * failure, only the kind of error: never an argument value, never an upstream's message (which
 * may quote arguments back).
 */
export interface AuditRecord {
  readonly time: string;
  readonly client: string;
  readonly via: CallVia;
  readonly server: string;
  readonly tool: string;
  readonly decision: PolicyDecision;
  readonly because: string;
  readonly confirmation?: Confirmation;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly bytes: number;
  readonly args: unknown;
}

/** Keys and types, recursively, never values: `{ id: "number", opts: { force: "boolean" } }`. */
export function argumentShape(value: unknown, depth = 0): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (depth >= 4 || value.length === 0) return "array";
    // One element's shape stands for all: the count of elements can itself be telling.
    return [argumentShape(value[0], depth + 1)];
  }
  if (typeof value === "object") {
    if (depth >= 4) return "object";
    const shape: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) shape[key] = argumentShape(inner, depth + 1);
    return shape;
  }
  return typeof value;
}

/** `$XDG_STATE_HOME/voidmcp/audit.log`, else `~/.local/state/voidmcp/audit.log`. */
export function auditLogPath(env: Readonly<Record<string, string | undefined>>): string {
  return join(stateDirectory(env), "audit.log");
}

export const DEFAULT_AUDIT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * An append-only JSON-lines file. The file is opened once (O_APPEND: a line from another gateway
 * writing the same file is never interleaved inside ours) and each record is one synchronous
 * write, so a call's line is on disk before its answer leaves. Before each write the path is
 * looked at (one stat, cheaper than the open and close a per-line append costs): when the file
 * was removed or replaced (another gateway rotated it, a person deleted it) the new file at the
 * path is opened, so lines never go to a file that is no longer the log. When the file would pass
 * `maxBytes` it becomes `<path>.1` (replacing the previous one) and a new file starts, so the log
 * never holds more than about twice `maxBytes`. A write that fails is reported once on the log and
 * never fails the call it records. `close()` closes the file (idempotent); a later record opens
 * it again.
 */
export class AuditLog {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly log: Logger;
  private size: number | undefined;
  private warned = false;
  /** The open file and its inode, or undefined when closed. */
  private file: { fd: number; ino: number } | undefined;

  constructor(path: string, log: Logger, maxBytes = DEFAULT_AUDIT_MAX_BYTES) {
    this.path = path;
    this.log = log;
    this.maxBytes = maxBytes;
  }

  append(record: AuditRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size === undefined) mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const at = inodeAt(this.path);
      if (this.file === undefined || at !== this.file.ino) this.open();
      const size = this.size ?? 0;
      if (size > 0 && size + bytes > this.maxBytes) {
        // Closed first: some systems refuse to rename a file that is open.
        this.close();
        renameSync(this.path, `${this.path}.1`);
        this.open();
      }
      writeSync(this.requireFd(), line);
      this.size = (this.size ?? 0) + bytes;
    } catch (error) {
      this.size = undefined;
      this.close();
      if (!this.warned) this.log.warn(`audit log ${this.path}: ${describeError(error)}`);
      this.warned = true;
    }
  }

  /** Closes the file; idempotent. */
  close(): void {
    const file = this.file;
    this.file = undefined;
    if (file === undefined) return;
    try {
      closeSync(file.fd);
    } catch {
      // Nothing to do: the descriptor is gone either way.
    }
  }

  /** (Re)opens the file at the path, creating it private to the user; its size is where lines go on. */
  private open(): void {
    this.close();
    const fd = openSync(this.path, "a", 0o600);
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      closeSync(fd);
      throw new Error(`${this.path} is not a file`);
    }
    this.file = { fd, ino: stats.ino };
    this.size = stats.size;
  }

  private requireFd(): number {
    if (this.file === undefined) throw new Error(`${this.path} is not open`);
    return this.file.fd;
  }
}

/** The inode of the file at `path`, or undefined when there is none. */
function inodeAt(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}
