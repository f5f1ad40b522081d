import type { ServerReport } from "../../gateway/index.js";
import type { ServerSpec } from "../../registry/index.js";

export type CheckStatus = "ok" | "warn" | "fail";

/** One line of the doctor's report: what was checked, what was found, what to do. */
export interface Check {
  readonly area: "registry" | "server" | "ide";
  readonly subject: string;
  readonly status: CheckStatus;
  readonly message: string;
  readonly fix?: string;
}

function commandLine(spec: ServerSpec): string {
  return spec.transport === "stdio" ? [spec.command, ...spec.args].join(" ") : spec.url;
}

/**
 * What the doctor says about one server after trying to start it (pure). The fix is chosen
 * from the failure: the commonest causes each get the step that usually resolves them.
 */
export function diagnoseServer(spec: ServerSpec, server: ServerReport | undefined, waitMs: number): Check {
  const subject = spec.name;
  if (!spec.enabled)
    return { area: "server", subject, status: "ok", message: "disabled in the registry (not started)" };
  if (!server)
    return {
      area: "server",
      subject,
      status: "fail",
      message: "was not started",
      fix: "report this as a bug",
    };
  const error = server.error ?? "";
  switch (server.state) {
    case "ready":
    case "idle": {
      const slow = (server.startMs ?? 0) > 5_000 ? ' (slow: consider "lazy": true or a faster command)' : "";
      const status: CheckStatus = slow ? "warn" : "ok";
      return {
        area: "server",
        subject,
        status,
        message: `ready in ${server.startMs ?? "?"} ms with ${server.toolCount} tools${slow}`,
      };
    }
    case "starting":
      return {
        area: "server",
        subject,
        status: "fail",
        message: `did not finish starting within ${waitMs} ms`,
        fix: `run it yourself to see what it waits for: ${commandLine(spec)} (or try --timeout)`,
      };
    case "failed":
    case "restarting":
      return {
        area: "server",
        subject,
        status: "fail",
        message: error || "failed to start",
        fix: fixFor(spec, error),
      };
    case "needs-auth":
      return {
        area: "server",
        subject,
        status: "fail",
        message: error || "needs sign-in",
        fix: `sign in: voidmcp auth ${spec.name}`,
      };
    case "disabled":
    case "closed":
      return { area: "server", subject, status: "ok", message: server.state };
    default: {
      const exhaustive: never = server.state;
      return exhaustive;
    }
  }
}

function fixFor(spec: ServerSpec, error: string): string {
  if (/command not found/.test(error)) {
    return spec.transport === "stdio"
      ? `install "${spec.command}" or write its absolute path in the registry (IDEs may start voidmcp with a minimal PATH)`
      : "check the registry entry";
  }
  if (/permission denied/.test(error))
    return `make "${spec.transport === "stdio" ? spec.command : spec.url}" executable (chmod +x)`;
  const variable =
    /\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(error) ?? /variable ([A-Za-z_][A-Za-z0-9_]*)/.exec(error);
  if (/not set/.test(error) && variable) {
    return `set ${variable[1]} in the environment voidmcp runs in, or write \${${variable[1]}:-default} in the registry`;
  }
  if (/40[13]/.test(error))
    return "check the credentials in this server's headers (e.g. Authorization) in the registry";
  if (/connection refused|host not found|cannot reach/.test(error))
    return `make sure the server at ${spec.transport === "stdio" ? "" : spec.url} is running and reachable`;
  if (/answered HTTP 5\d\d/.test(error)) return "the server is failing on its side; check its logs";
  if (/exited|killed/.test(error)) return `run it yourself to see why it stops: ${commandLine(spec)}`;
  if (/initialize/.test(error))
    return `it never answered the MCP handshake: check it is an MCP server speaking ${spec.transport}`;
  return `run it yourself to investigate: ${commandLine(spec)}`;
}

/** Registry file permissions (pure): secrets may sit in env and headers. */
export function diagnoseFileMode(path: string, mode: number, holdsSecrets: boolean): Check {
  const open = (mode & 0o077) !== 0;
  if (!open)
    return {
      area: "registry",
      subject: "permissions",
      status: "ok",
      message: `mode ${(mode & 0o777).toString(8)}`,
    };
  return {
    area: "registry",
    subject: "permissions",
    status: holdsSecrets ? "warn" : "ok",
    message: `mode ${(mode & 0o777).toString(8)}: other users can read it${holdsSecrets ? ", and it holds env/headers values" : ""}`,
    ...(holdsSecrets ? { fix: `chmod 600 ${path}` } : {}),
  };
}
