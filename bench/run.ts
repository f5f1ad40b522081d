/**
 * `npm run bench` runs every benchmark and prints markdown tables, then one summary table of
 * issue #18's target rows computed from this run's numbers. Benchmarks are not tests: they
 * assert nothing about time.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { benchCodeMode } from "./codemode.js";
import { BUNDLE, root } from "./common.js";
import { benchContext } from "./context.js";
import { benchHttp } from "./http.js";
import { benchPeers } from "./peers.js";
import { benchReload } from "./reload.js";
import { benchScale } from "./scale.js";
import { benchSessions } from "./sessions.js";
import { facts, summaryTable } from "./summary.js";
import { benchTask } from "./task.js";

const suites: ReadonlyArray<readonly [string, (quick: boolean) => Promise<string>]> = [
  ["codemode", benchCodeMode],
  ["reload", benchReload],
  ["http", benchHttp],
  ["sessions", benchSessions],
  ["peers", benchPeers],
  ["context", benchContext],
  ["task", benchTask],
  ["scale", benchScale],
];

const USAGE = `usage: npm run bench [-- --quick] [-- --only=SUITE]
       node dist/bench/run.js [--quick] [--only=SUITE]

Runs the benchmarks against the built gateway (dist/bundle/voidmcp.mjs: run
\`npm run build && node dist/scripts/bundle.js\` first) and prints markdown tables,
then one summary of issue #18's target rows from this run's own numbers.

  --quick        fewer samples, shorter waits, smaller setups (about a minute)
  --only=SUITE   one suite: ${suites.map(([name]) => name).join(", ")}
  --help         this text

Raw samples go to bench/results/ (git-ignored). Nothing is asserted about time.
`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const unknown = args.filter((a) => a !== "--quick" && !a.startsWith("--only="));
if (unknown.length > 0 || (only !== undefined && !suites.some(([name]) => name === only))) {
  process.stderr.write(
    `voidmcp bench: ${unknown.length > 0 ? `unknown option ${unknown.join(" ")}` : `no suite named ${only}`}\n\n${USAGE}`,
  );
  process.exit(2);
}
// Every suite measures the bundle; a bundle older than a source file may measure old code.
if (!existsSync(BUNDLE)) {
  process.stderr.write(`voidmcp bench: ${BUNDLE} is missing; run node dist/scripts/bundle.js first\n`);
  process.exit(2);
}
const bundledAt = statSync(BUNDLE).mtimeMs;
const stale = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).some(
  (file) => file.endsWith(".ts") && statSync(join(root, "src", file)).mtimeMs > bundledAt,
);

process.stdout.write(
  `# voidmcp benchmarks${quick ? " (quick)" : ""}\n\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")} at the start\n\n`,
);
if (stale)
  process.stdout.write(
    "**Warning: dist/bundle/voidmcp.mjs is older than a file in src/; these numbers may be of older code (node dist/scripts/bundle.js).**\n\n",
  );
// Gateways the suites start write their state (audit log, …) here, never into the real home.
const stateDir = mkdtempSync(join(tmpdir(), "voidmcp-bench-state-"));
process.env.XDG_STATE_HOME = stateDir;
process.on("exit", () => rmSync(stateDir, { recursive: true, force: true }));
const began = performance.now();
const took: string[] = [];
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  const started = performance.now();
  process.stdout.write(`${await run(quick)}\n`);
  took.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const seconds = (performance.now() - began) / 1000;
process.stdout.write(`Bench time: ${seconds.toFixed(1)} s (${took.join(", ")})\n\n`);
if (!only) {
  facts.benchSeconds = seconds;
  facts.quick = quick;
}
process.stdout.write(
  `${summaryTable(facts)}\nLoad average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")} (2 cores shared).\n`,
);
