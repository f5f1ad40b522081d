import { open, readFile, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { VoidError } from "../../core/index.js";
import {
  type AuditFilter,
  type AuditRecord,
  auditLogPath,
  auditRecords,
  formatAuditRecord,
} from "../../gateway/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import type { Io } from "../io.js";

const DEFAULT_LINES = 20;
const FOLLOW_POLL_MS = 250;

export const logCommand: Command = {
  name: "log",
  summary: "show the audit log: every tool call, its policy decision and outcome",
  usage: "log [options]",
  details: `Every tool call through voidmcp (a client's own call, a call made inside execute_code, a CLI
call) is one JSON line in $XDG_STATE_HOME/voidmcp/audit.log (else ~/.local/state/voidmcp/audit.log):
time, client, server, tool, policy decision and confirmation, duration, ok or error, bytes returned,
and the shape of the arguments (keys and types, never their values). The file is rotated to
audit.log.1 at 10 MB.

Examples:
  voidmcp log                      the last 20 calls
  voidmcp log -n 100 --server github
  voidmcp log --tool delete_issue --json
  voidmcp log --follow             keep printing new calls until Ctrl-C`,
  options: [
    {
      name: "lines",
      short: "n",
      type: "string",
      value: "N",
      description: `how many calls to show (default ${DEFAULT_LINES})`,
    },
    { name: "follow", short: "f", type: "boolean", description: "keep printing calls as they are made" },
    { name: "server", type: "string", value: "NAME", description: "only calls to this server" },
    {
      name: "tool",
      type: "string",
      value: "NAME",
      description: "only calls of this tool (its upstream name)",
    },
    JSON_OPTION,
    // Accepted (and unused: the log is per user, not per registry) so `voidmcp --config F log` works.
    CONFIG_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    if (args.positionals.length > 0) {
      throw new VoidError("usage", `unexpected arguments: ${args.positionals.join(" ")}`, {
        hint: "filter with --server and --tool",
      });
    }
    const count = linesFrom(args.options.lines);
    const filter: AuditFilter = {
      ...(typeof args.options.server === "string" ? { server: args.options.server } : {}),
      ...(typeof args.options.tool === "string" ? { tool: args.options.tool } : {}),
    };
    const json = args.options.json === true;
    const print = (record: AuditRecord) => io.out(json ? JSON.stringify(record) : formatAuditRecord(record));
    const path = auditLogPath(io.env);
    const [older, current] = await Promise.all([readText(`${path}.1`), readText(path)]);
    const records = auditRecords(`${older}${current}`.split("\n"), filter);
    if (records.length === 0 && args.options.follow !== true) {
      io.err(current === "" && older === "" ? `No calls recorded yet in ${path}.` : "No call matches.");
      return 0;
    }
    for (const record of records.slice(-count)) print(record);
    if (args.options.follow === true) await follow(path, Buffer.byteLength(current), filter, print, io);
    return 0;
  },
};

function linesFrom(value: unknown): number {
  if (value === undefined) return DEFAULT_LINES;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1))
    throw new VoidError("usage", `--lines expects a whole number of at least 1, got ${String(value)}`);
  return n;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return "";
  }
}

/**
 * Prints records appended after `offset` until SIGINT or SIGTERM. A file smaller than what was
 * read was rotated: reading starts again from its beginning. A partial last line waits for its end.
 */
async function follow(
  path: string,
  offset: number,
  filter: AuditFilter,
  print: (record: AuditRecord) => void,
  io: Io,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  io.err(`following ${path} (Ctrl-C to stop)`);
  let at = offset;
  let pending = "";
  try {
    while (!stop.signal.aborted) {
      const size = (await stat(path).catch(() => undefined))?.size ?? 0;
      if (size < at) {
        at = 0;
        pending = "";
      }
      if (size > at) {
        const handle = await open(path, "r");
        try {
          const buffer = Buffer.alloc(size - at);
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, at);
          at += bytesRead;
          const text = pending + buffer.subarray(0, bytesRead).toString("utf8");
          const cut = text.lastIndexOf("\n");
          pending = text.slice(cut + 1);
          for (const record of auditRecords(text.slice(0, cut + 1).split("\n"), filter)) print(record);
        } finally {
          await handle.close();
        }
      }
      await sleep(FOLLOW_POLL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
