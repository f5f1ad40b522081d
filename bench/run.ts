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
if (!only || only === "codemode") process.stdout.write(`${await benchCodeMode(quick)}\n`);
if (!only || only === "reload") process.stdout.write(`${await benchReload(quick)}\n`);
if (!only || only === "http") process.stdout.write(`${await benchHttp(quick)}\n`);
if (!only || only === "sessions") process.stdout.write(`${await benchSessions(quick ? 1_000 : 3_000)}\n`);
if (!only || only === "peers") process.stdout.write(`${await benchPeers(quick)}\n`);
if (!only || only === "context") process.stdout.write(`${await benchContext(quick)}\n`);
if (!only || only === "task") process.stdout.write(`${await benchTask(quick)}\n`);
if (!only || only === "scale") process.stdout.write(`${await benchScale(quick)}\n`);
