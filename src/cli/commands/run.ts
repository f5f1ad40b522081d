import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { VoidError } from "../../core/index.js";
import { reportLine } from "../../gateway/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION, TIMEOUT_OPTION } from "../command.js";
import { type Io, printJson } from "../io.js";
import { loadRegistryFrom, startGateway, waitMsFrom } from "../shared.js";

async function readScript(target: string, io: Io): Promise<string> {
  if (target === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  const path = resolve(io.cwd, target);
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VoidError(
      "usage",
      `cannot read ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}

export const runCommand: Command = {
  name: "run",
  summary: "run a Code Mode script against the registered servers",
  usage: "run <file.ts | -> [options]",
  details: `Runs a JavaScript or TypeScript script the way the execute_code tool does (same sandbox, same
limits, same tools object), so you can try what a model would write. "-" reads the script from
stdin. The returned value is printed on stdout as JSON; console output and the run report go to
stderr. Exits with 1 when the script fails or hits a limit.

Example:
  echo 'return await tools.everything.echo({ message: "hi" })' | voidmcp run -`,
  options: [
    {
      name: "time-limit",
      type: "string",
      value: "MS",
      description: "the script's wall-clock limit (default from the registry, 30000)",
    },
    TIMEOUT_OPTION,
    CONFIG_OPTION,
    JSON_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    const [target, ...extra] = args.positionals;
    if (target === undefined)
      throw new VoidError("usage", "run needs a script file, or - for stdin", {
        hint: "voidmcp run script.ts",
      });
    if (extra.length > 0) throw new VoidError("usage", `unexpected arguments: ${extra.join(" ")}`);
    const rawLimit = args.options["time-limit"];
    const timeLimit = rawLimit === undefined ? undefined : Number(rawLimit);
    if (timeLimit !== undefined && (!Number.isInteger(timeLimit) || timeLimit <= 0)) {
      throw new VoidError(
        "usage",
        `--time-limit must be a positive number of milliseconds, not "${String(rawLimit)}"`,
      );
    }
    const code = await readScript(target, io);
    const registry = await loadRegistryFrom(args, io);
    const gateway = await startGateway(registry, io, waitMsFrom(args));
    try {
      for (const s of gateway.report().servers) {
        if (s.state === "failed" || s.state === "starting")
          io.err(`warning: server "${s.name}" is ${s.state}${s.error ? `: ${s.error}` : ""}`);
      }
      const run = await gateway.runScript(code, timeLimit);
      if (args.options.json === true) {
        printJson(io, {
          ok: run.ok,
          ...(run.value !== undefined ? { value: run.value } : {}),
          ...(run.truncated ? { valueJson: run.valueJson, truncated: true } : {}),
          ...(run.error ? { error: run.error } : {}),
          logs: run.logs,
          report: run.report,
        });
        return run.ok ? 0 : 1;
      }
      for (const entry of run.logs) io.err(`[${entry.level}] ${entry.text}`);
      if (run.ok) {
        if (run.valueJson !== undefined)
          io.out(run.truncated ? run.valueJson : JSON.stringify(run.value, null, 2));
      } else {
        const e = run.error;
        io.err(`${e?.name ?? "Error"}: ${e?.message ?? "unknown error"}${e?.stack ? `\n${e.stack}` : ""}`);
      }
      io.err(reportLine(run));
      return run.ok ? 0 : 1;
    } finally {
      await gateway.close();
    }
  },
};
