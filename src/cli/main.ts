#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./run.js";

const code = await runCli(process.argv.slice(2), processIo);
// Every command has closed what it opened by now; exiting explicitly (once stdout is flushed)
// keeps a lingering socket of some upstream from holding the terminal.
process.stdout.write("", () => process.exit(code));
