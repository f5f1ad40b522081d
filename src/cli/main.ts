#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./run.js";

// No top-level await: the bundle runs this file as CommonJS (see src/cli/bundle-entry.ts).
void runCli(process.argv.slice(2), processIo).then((code) => {
  // Every command has closed what it opened by now; exiting explicitly (once stdout is flushed)
  // keeps a lingering socket of some upstream from holding the terminal.
  process.stdout.write("", () => process.exit(code));
});
