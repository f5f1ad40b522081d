import { stat } from "node:fs/promises";
import { describeError } from "../../core/index.js";
import { loadRegistry, type Registry } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION, TIMEOUT_OPTION } from "../command.js";
import { type Check, diagnoseFileMode, diagnoseServer } from "../doctor/checks.js";
import { ideChecks } from "../doctor/ide.js";
import { formatTable, type Io, printJson } from "../io.js";
import { registryPathFrom, startGateway, waitMsFrom } from "../shared.js";
import { secretsChecks } from "./secret-usage.js";

const MARK: Record<Check["status"], string> = { ok: "ok", warn: "WARN", fail: "FAIL" };

async function registryChecks(path: string): Promise<{ checks: Check[]; registry: Registry | undefined }> {
  const checks: Check[] = [];
  let registry: Registry | undefined;
  try {
    registry = await loadRegistry(path);
  } catch (error) {
    checks.push({
      area: "registry",
      subject: path,
      status: "fail",
      message: describeError(error),
      fix: "fix the file at the line shown",
    });
    return { checks, registry };
  }
  if (!registry.exists) {
    checks.push({
      area: "registry",
      subject: path,
      status: "warn",
      message: "no registry file yet, so no servers",
      fix: "register one: voidmcp add <name> <url | command [args...]>",
    });
    return { checks, registry };
  }
  checks.push({
    area: "registry",
    subject: path,
    status: "ok",
    message: `valid, ${registry.servers.length} server(s)`,
  });
  const secrets = registry.servers.some((s) =>
    s.transport === "stdio" ? Object.keys(s.env).length > 0 : Object.keys(s.headers).length > 0,
  );
  checks.push(diagnoseFileMode(path, (await stat(path)).mode, secrets));
  return { checks, registry };
}

function print(io: Io, checks: readonly Check[]): void {
  for (const area of ["registry", "server", "ide"] as const) {
    const rows = checks.filter((c) => c.area === area);
    if (rows.length === 0) continue;
    io.out(`${area === "registry" ? "Registry" : area === "server" ? "Servers" : "IDE integration"}:`);
    io.out(
      formatTable(
        ["", "", ""],
        rows.map((c) => [`  ${MARK[c.status]}`, c.subject, c.message]),
      )
        .split("\n")
        .slice(1)
        .join("\n"),
    );
    for (const c of rows) if (c.fix) io.out(`    → ${c.subject}: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === "fail").length;
  const warned = checks.filter((c) => c.status === "warn").length;
  io.out(
    failed + warned === 0 ? "\nEverything looks right." : `\n${failed} problem(s), ${warned} warning(s).`,
  );
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "check the registry, every server and the IDE setup, and say what to fix",
  usage: "doctor [options]",
  details: `Checks the registry file (it parses, its permissions, its Code Mode limits), starts every
enabled server the way \`voidmcp serve\` would and reports whether and how fast it comes up, and
looks for voidmcp in the config files of Claude Code, Claude Desktop, Cursor, VS Code and Codex.
Each problem comes with the step that usually fixes it. Exits with 1 when something failed.`,
  options: [TIMEOUT_OPTION, CONFIG_OPTION, JSON_OPTION, HELP_OPTION],
  async run(args, io) {
    const path = registryPathFrom(args, io);
    const waitMs = waitMsFrom(args);
    const { checks, registry } = await registryChecks(path);
    if (registry) checks.push(...(await secretsChecks(registry.servers, io.env)));
    if (registry && registry.servers.length > 0) {
      const gateway = await startGateway(registry, io, waitMs);
      try {
        const report = gateway.report();
        if (report.loopError !== undefined) {
          checks.push({
            area: "registry",
            subject: "loop",
            status: "fail",
            message: report.loopError,
            fix: "remove the registry entry that starts voidmcp (or reaches it over HTTP)",
          });
        }
        for (const spec of registry.servers) {
          checks.push(
            diagnoseServer(
              spec,
              report.servers.find((s) => s.name === spec.name),
              waitMs,
            ),
          );
        }
        for (const c of report.collisions) {
          checks.push({
            area: "server",
            subject: c.dropped,
            status: "warn",
            message: `its ${c.kind} "${c.name}" is hidden: "${c.kept}" already uses that name`,
            fix: `give "${c.dropped}" a different "prefix" in the registry`,
          });
        }
      } finally {
        await gateway.close();
      }
    }
    checks.push(...(await ideChecks(io.env)));
    if (args.options.json === true) printJson(io, { registry: path, checks });
    else print(io, checks);
    return checks.some((c) => c.status === "fail") ? 1 : 0;
  },
};
