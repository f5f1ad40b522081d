import { homedir } from "node:os";
import {
  CLIENT_NAMES,
  CLIENTS,
  clientConfigPath,
  readClientFile,
  readClientServers,
  SELF_ENTRY_REASON,
} from "../../clients/index.js";
import { describeError } from "../../core/index.js";
import type { Check } from "./checks.js";

/**
 * Whether each MCP client on this machine starts voidmcp, read from the same config files that
 * `voidmcp init` writes. A client without a config file is taken as not in use; only when no
 * client starts voidmcp at all is that a warning.
 */
export async function ideChecks(env: Readonly<Record<string, string | undefined>>): Promise<Check[]> {
  const home = (process.platform === "win32" ? env.USERPROFILE : env.HOME) || homedir();
  const checks: Check[] = [];
  for (const client of CLIENT_NAMES) {
    const path = clientConfigPath(client, { platform: process.platform, env, home });
    const subject = CLIENTS[client].label;
    try {
      const file = await readClientFile(path);
      if (file.text === undefined) continue;
      const servers = readClientServers(client, file.text, path, { allowNoServers: true });
      const starts = servers.skipped.some((s) => s.reason.startsWith(SELF_ENTRY_REASON));
      const others = servers.entries.length;
      checks.push(
        starts
          ? {
              area: "ide",
              subject,
              status: "ok",
              message: `starts voidmcp (${path})${others > 0 ? `; ${others} other server(s) still configured there directly` : ""}`,
              ...(others > 0 ? { fix: `move them behind voidmcp: voidmcp init ${client} --replace` } : {}),
            }
          : {
              area: "ide",
              subject,
              status: "warn",
              message: `does not start voidmcp (${path})`,
              fix: `voidmcp init ${client}`,
            },
      );
    } catch (error) {
      checks.push({
        area: "ide",
        subject,
        status: "warn",
        message: `cannot read ${path}: ${describeError(error)}`,
      });
    }
  }
  if (!checks.some((c) => c.status === "ok")) {
    checks.push({
      area: "ide",
      subject: "clients",
      status: "warn",
      message: "no MCP client on this machine starts voidmcp",
      fix: `voidmcp init <${CLIENT_NAMES.join(" | ")}> (or see the README's quick start)`,
    });
  }
  return checks;
}
