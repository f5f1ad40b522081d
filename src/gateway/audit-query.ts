import type { AuditRecord } from "./audit-log.js";

export interface AuditFilter {
  readonly server?: string;
  readonly tool?: string;
}

/**
 * The records among `lines` (oldest first) that pass `filter`; lines that are not audit records
 * (a line cut by a crash, a stray edit) are skipped rather than failing the whole read.
 */
export function auditRecords(lines: readonly string[], filter: AuditFilter): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isAuditRecord(record)) continue;
    if (filter.server !== undefined && record.server !== filter.server) continue;
    if (filter.tool !== undefined && record.tool !== filter.tool) continue;
    records.push(record);
  }
  return records;
}

function isAuditRecord(value: unknown): value is AuditRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.time === "string" && typeof r.server === "string" && typeof r.tool === "string";
}

/** One line for a person: time, who, what, decision, outcome, size, argument shape. */
export function formatAuditRecord(record: AuditRecord): string {
  const decided =
    record.confirmation !== undefined ? `${record.decision}:${record.confirmation}` : record.decision;
  const outcome = record.ok ? "ok" : `failed (${record.error ?? "error"})`;
  return `${record.time}  ${record.client} ${record.via}  ${record.server}.${record.tool}  ${decided}  ${outcome}  ${record.durationMs} ms  ${record.bytes} B  args ${JSON.stringify(record.args)}`;
}
