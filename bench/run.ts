/**
 * `npm run bench` runs every benchmark and prints markdown tables; `-- --quick` uses fewer runs
 * (under a minute); `-- --only=codemode|reload|http|sessions|peers|context|task|scale` runs one suite. Benchmarks are not tests: they
 * assert nothing about time.
 */
import { cpus } from "node:os";
import { benchCodeMode } from "./codemode.js";
import { benchContext } from "./context.js";
import { benchHttp } from "./http.js";
import { benchPeers } from "./peers.js";
import { benchReload } from "./reload.js";
import { benchScale } from "./scale.js";
import { benchSessions } from "./sessions.js";
import { benchTask } from "./task.js";

const quick = process.argv.includes("--quick");
process.stdout.write(
  `# voidmcp benchmarks${quick ? " (quick)" : ""}\n\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}\n\n`,
);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const suites: ReadonlyArray<readonly [string, (quick: boolean) => Promise<string>]> = [
  ["codemode", benchCodeMode],
  ["reload", benchReload],
  ["http", benchHttp],
  ["sessions", (quick) => benchSessions(quick ? 1_000 : 3_000)],
  ["peers", benchPeers],
  ["context", benchContext],
  ["task", benchTask],
  ["scale", benchScale],
];
const began = performance.now();
const took: string[] = [];
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  const started = performance.now();
  process.stdout.write(`${await run(quick)}\n`);
  took.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
process.stdout.write(
  `Bench time: ${((performance.now() - began) / 1000).toFixed(1)} s (${took.join(", ")})\n`,
);
