/**
 * `npm run bench` runs every benchmark and prints markdown tables; `-- --quick` uses fewer runs
 * (under a minute); `-- --only=codemode|reload` runs one suite. Benchmarks are not tests: they
 * assert nothing about time.
 */
import { cpus } from "node:os";
import { benchCodeMode } from "./codemode.js";
import { benchReload } from "./reload.js";

const quick = process.argv.includes("--quick");
process.stdout.write(
  `# voidmcp benchmarks${quick ? " (quick)" : ""}\n\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}\n\n`,
);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
if (!only || only === "codemode") process.stdout.write(`${await benchCodeMode(quick)}\n`);
if (!only || only === "reload") process.stdout.write(`${await benchReload(quick)}\n`);
