/**
 * `npm run bench` runs every benchmark and prints markdown tables; `-- --quick` uses fewer runs
 * (under a minute). Benchmarks are not tests: they assert nothing about time.
 */
import { cpus } from "node:os";
import { benchCodeMode } from "./codemode.js";

const quick = process.argv.includes("--quick");
process.stdout.write(
  `# voidmcp benchmarks${quick ? " (quick)" : ""}\n\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}\n\n`,
);
process.stdout.write(await benchCodeMode(quick));
