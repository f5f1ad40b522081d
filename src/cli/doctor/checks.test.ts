import { describe, expect, it } from "vitest";
import type { ServerReport } from "../../gateway/index.js";
import type { ServerSpec } from "../../registry/index.js";
import { diagnoseFileMode, diagnoseServer } from "./checks.js";

const stdio: ServerSpec = {
  name: "files",
  enabled: true,
  prefix: "files",
  timeoutMs: 60000,
  tools: {},
  lazy: false,
  idleTimeoutMs: 300000,
  transport: "stdio",
  command: "npx",
  args: ["-y", "server-files"],
  env: {},
  cwd: undefined,
};
const remote: ServerSpec = {
  ...stdio,
  name: "gh",
  prefix: "gh",
  transport: "http",
  url: "https://x.example/mcp",
  headers: {},
} as ServerSpec;

function report(state: ServerReport["state"], error?: string, startMs = 300): ServerReport {
  return {
    name: "files",
    transport: "stdio",
    state,
    error,
    startMs,
    pid: 1,
    serverInfo: undefined,
    era: undefined,
    protocolVersion: undefined,
    protocol: "auto",
    toolCount: 4,
    restarts: 0,
    uptimeMs: 10,
    retryInMs: undefined,
    lazy: false,
    prefix: "files",
    exposedTools: 4,
  };
}

describe("diagnoseServer", () => {
  const cases: Array<
    [string, ServerSpec, ServerReport | undefined, Partial<ReturnType<typeof diagnoseServer>>]
  > = [
    ["ready", stdio, report("ready"), { status: "ok", message: "ready in 300 ms with 4 tools" }],
    ["slow start", stdio, report("ready", undefined, 9000), { status: "warn" }],
    [
      "disabled",
      { ...stdio, enabled: false },
      undefined,
      { status: "ok", message: "disabled in the registry (not started)" },
    ],
    [
      "still starting",
      stdio,
      report("starting"),
      {
        status: "fail",
        message: "did not finish starting within 15000 ms",
        fix: "run it yourself to see what it waits for: npx -y server-files (or try --timeout)",
      },
    ],
    [
      "missing command",
      stdio,
      report("failed", "command not found: npx"),
      {
        status: "fail",
        fix: 'install "npx" or write its absolute path in the registry (IDEs may start voidmcp with a minimal PATH)',
      },
    ],
    [
      "unset variable",
      stdio,
      report("failed", 'server "files": env.TOKEN uses ${GITHUB_TOKEN}, which is not set'),
      {
        fix: "set GITHUB_TOKEN in the environment voidmcp runs in, or write ${GITHUB_TOKEN:-default} in the registry",
      },
    ],
    [
      "401",
      remote,
      report("failed", "https://x.example/mcp answered 401 Unauthorized: check the headers"),
      { fix: "check the credentials in this server's headers (e.g. Authorization) in the registry" },
    ],
    [
      "refused",
      remote,
      report("failed", "cannot reach https://x.example/mcp: connection refused"),
      { fix: "make sure the server at https://x.example/mcp is running and reachable" },
    ],
    [
      "crash",
      stdio,
      report("restarting", "the server exited with code 1"),
      { status: "fail", fix: "run it yourself to see why it stops: npx -y server-files" },
    ],
  ];
  it.each(cases)("%s", (_name, spec, server, expected) => {
    expect(diagnoseServer(spec, server, 15000)).toMatchObject(expected);
  });
});

describe("diagnoseFileMode", () => {
  it.each([
    [0o600, true, "ok", undefined],
    [0o644, false, "ok", undefined],
    [0o644, true, "warn", "chmod 600 /r.json"],
    [0o640, true, "warn", "chmod 600 /r.json"],
  ])("mode %o, secrets %s", (mode, secrets, status, fix) => {
    const check = diagnoseFileMode("/r.json", mode, secrets);
    expect(check.status).toBe(status);
    expect(check.fix).toBe(fix);
  });
});
