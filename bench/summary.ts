/**
 * The run's closing table: issue #18's target rows, each computed from numbers this same run
 * measured (the suites write them into `facts`), ready to paste into the README. A row whose
 * suite did not run (`--only=…`) says so instead of showing a number from elsewhere.
 */
import { fmt } from "./stats.js";

/** One peer's absolute median over HTTP and what it added over direct HTTP, same run. */
export interface PeerMedian {
  readonly name: string;
  readonly medianMs: number;
  readonly addedMs: number;
}

/** What the suites measured for the summary; every field is a median unless named otherwise. */
export interface Facts {
  /** peers: direct stdio call to the fixture, and the same call through `voidmcp serve`. */
  stdioDirectMs?: number;
  stdioFrontMs?: number;
  /** peers: direct Streamable HTTP to the fixture, and through `voidmcp serve --http`. */
  httpDirectMs?: number;
  httpFrontMs?: number;
  httpPeers?: readonly PeerMedian[];
  /** peers: idle RSS of mcp-hub (one upstream), MiB. */
  hubRssMiB?: number;
  /** scale: spawn → initialize answer. */
  startBundleMs?: number;
  startFloorMs?: number;
  /** undefined when the executable was not built. */
  startBinaryMs?: number;
  /** scale: idle RSS of the gateway alone, MiB. */
  rss1MiB?: number;
  rss10MiB?: number;
  /** codemode: empty execute_code through serve, back to back and with 5 ms idle between. */
  codeBackToBackMs?: number;
  codeIdleGapMs?: number;
  /** scale: tools/list in direct mode at an SDK client and at a raw JSON-RPC client. */
  listTools?: number;
  listSdkMs?: number;
  listRawMs?: number;
  listServersMs?: number;
  /** run: the suites' own wall time (build excluded), seconds, and whether it was --quick. */
  benchSeconds?: number;
  quick?: boolean;
}

/** Written by the suites while they run; read by run.ts at the end. */
export const facts: Facts = {};

/** 70 MB as the issue writes it, in the MiB the bench measures. */
const MB70_IN_MIB = 70e6 / 2 ** 20;

/** "met" when `value ≤ target`, else how far over, in the row's unit; "not measured" for NaN. */
export function verdict(value: number | undefined, target: number, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return "not measured";
  if (value <= target) return "met";
  const over = value - target;
  return `**missed** by ${unit === "ms" ? fmt(over) : over.toFixed(1)} ${unit}`;
}

const ms = (value: number | undefined) => (value === undefined ? "n/a" : `${fmt(value)} ms`);
const signed = (value: number) => `${value >= 0 ? "+" : "−"}${fmt(Math.abs(value))} ms`;
const mib = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(1));
const has = (...values: (number | undefined)[]) => values.every((v) => v !== undefined && Number.isFinite(v));
const NOT_RUN = "suite not run";

export type SummaryRow = readonly [
  label: string,
  thisRun: string,
  peer: string,
  target: string,
  status: string,
];

/** The rows, in the issue's order. Pure: the same facts always give the same table. */
export function summaryRows(f: Facts): SummaryRow[] {
  const rows: SummaryRow[] = [];

  if (has(f.stdioDirectMs, f.stdioFrontMs)) {
    const added = (f.stdioFrontMs as number) - (f.stdioDirectMs as number);
    rows.push([
      "stdio front, added per `tools/call` (vs direct stdio)",
      `${signed(added)} (${fmt(f.stdioDirectMs as number)} → ${fmt(f.stdioFrontMs as number)} ms)`,
      "no stdio peer; floor: direct stdio",
      "≤ +0.1 ms",
      verdict(added, 0.1, "ms"),
    ]);
  } else rows.push(["stdio front, added per `tools/call`", NOT_RUN, "", "≤ +0.1 ms", "not measured"]);

  if (has(f.httpDirectMs, f.httpFrontMs)) {
    const added = (f.httpFrontMs as number) - (f.httpDirectMs as number);
    const peers = [...(f.httpPeers ?? [])].sort((a, b) => a.medianMs - b.medianMs);
    const best = peers[0];
    const addedStatus = verdict(added, 0.5, "ms");
    const absoluteStatus =
      best === undefined
        ? "no peer ran"
        : (f.httpFrontMs as number) < best.medianMs
          ? "lowest absolute median"
          : `**not** the lowest absolute median (${((f.httpFrontMs as number) / best.medianMs).toFixed(2)}× ${best.name})`;
    rows.push([
      "HTTP front, added per call over direct HTTP; absolute median vs every peer",
      `${signed(added)} (${fmt(f.httpDirectMs as number)} → ${fmt(f.httpFrontMs as number)} ms)`,
      peers.length === 0
        ? "no peer ran"
        : peers.map((p) => `${p.name} ${fmt(p.medianMs)} ms (${signed(p.addedMs)})`).join("; "),
      "≤ +0.5 ms, and the lowest absolute median",
      `+0.5 ms: ${addedStatus}; ${absoluteStatus}`,
    ]);
  } else rows.push(["HTTP front, added per call over direct HTTP", NOT_RUN, "", "≤ +0.5 ms", "not measured"]);

  rows.push([
    "spawn → `initialize`, bundle on Node",
    f.startBundleMs === undefined ? NOT_RUN : ms(f.startBundleMs),
    f.startFloorMs === undefined ? "" : `bare \`node\` answering initialize: ${ms(f.startFloorMs)}`,
    "≤ 100 ms",
    verdict(f.startBundleMs, 100, "ms"),
  ]);
  rows.push([
    "spawn → `initialize`, single executable",
    f.startBundleMs === undefined
      ? NOT_RUN
      : f.startBinaryMs === undefined
        ? "not built"
        : ms(f.startBinaryMs),
    "",
    "≤ 60 ms",
    f.startBinaryMs === undefined ? "not measured" : verdict(f.startBinaryMs, 60, "ms"),
  ]);
  rows.push([
    "idle RSS of the gateway, 1 / 10 upstreams (MiB)",
    f.rss10MiB === undefined ? NOT_RUN : `${mib(f.rss1MiB)} / ${mib(f.rss10MiB)}`,
    f.hubRssMiB === undefined ? "" : `mcp-hub ${mib(f.hubRssMiB)} with one`,
    `≤ 70 MB (${MB70_IN_MIB.toFixed(1)} MiB) with 10`,
    verdict(f.rss10MiB, MB70_IN_MIB, "MiB"),
  ]);
  rows.push([
    "empty `execute_code`, back to back",
    f.codeBackToBackMs === undefined
      ? NOT_RUN
      : `${ms(f.codeBackToBackMs)}${f.codeIdleGapMs === undefined ? "" : ` (${ms(f.codeIdleGapMs)} with 5 ms idle between)`}`,
    "",
    "≤ 1 ms median",
    verdict(f.codeBackToBackMs, 1, "ms"),
  ]);
  const tools = f.listTools === undefined ? "2,500" : String(f.listTools);
  rows.push([
    `\`tools/list\` of ${tools} tools, SDK client (includes the client's own validation)`,
    f.listSdkMs === undefined ? NOT_RUN : ms(f.listSdkMs),
    f.listServersMs === undefined ? "" : `\`list_servers\` round trip ${ms(f.listServersMs)}`,
    "≤ 10 ms",
    verdict(f.listSdkMs, 10, "ms"),
  ]);
  rows.push([
    `\`tools/list\` of ${tools} tools, raw JSON-RPC client (write line → whole answer line read, one JSON.parse)`,
    f.listRawMs === undefined ? NOT_RUN : ms(f.listRawMs),
    "",
    "≤ 10 ms",
    verdict(f.listRawMs, 10, "ms"),
  ]);
  rows.push([
    "`npm run bench -- --quick` (the suites' own time, build excluded)",
    f.benchSeconds === undefined ? "n/a" : `${f.benchSeconds.toFixed(1)} s${f.quick ? "" : " (full run)"}`,
    "",
    "≤ 60 s",
    f.quick ? verdict(f.benchSeconds, 60, "s") : "not measured (not --quick)",
  ]);
  return rows;
}

export function summaryTable(f: Facts): string {
  const cell = (text: string) => text.replace(/\|/g, "/");
  return [
    "## Summary: issue #18 targets, this run",
    "",
    "| | this run | best peer / floor in the same run | target | status |",
    "|---|---:|---|---:|---|",
    ...summaryRows(f).map((row) => `| ${row.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}
