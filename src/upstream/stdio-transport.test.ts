import { readFileSync } from "node:fs";
import { Client, type JSONRPCMessage } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../core/index.js";
import { spawnTracked, stopTree } from "./child-process.js";
import { StdioTransport } from "./stdio-transport.js";

/** Real child processes: `node -e <script>`. */
const NODE = process.execPath;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Whether a process no longer runs. A zombie counts as gone: it has exited and only waits for
 * its parent to reap it (an orphan's parent is PID 1, which in some containers never reaps).
 */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return true;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true; // vanished between the two checks
  }
}

async function waitGone(pid: number, timeoutMs = 4_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (isGone(pid)) return true;
    await sleep(25);
  }
  return isGone(pid);
}

async function until<T>(read: () => T | undefined, timeoutMs = 4_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(10);
  }
}

/** Every transport a test opened, closed after it even when it fails half-way. */
const opened: StdioTransport[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
});

interface Harness {
  readonly transport: StdioTransport;
  readonly messages: JSONRPCMessage[];
  readonly errors: Error[];
  readonly logLines: string[];
  closes: number;
  /** stderrTail() and exit as they were when onclose fired. */
  atClose?: { tail: string; exit: string | undefined };
}

function harness(
  script: string,
  options: { command?: string; args?: string[]; maxMessageBytes?: number } = {},
): Harness {
  const logLines: string[] = [];
  const log = createLogger({ level: "debug", scope: "srv", write: (line) => logLines.push(line) });
  const transport = new StdioTransport({
    command: options.command ?? NODE,
    args: options.args ?? ["-e", script],
    env: { ...process.env },
    cwd: undefined,
    log,
    ...(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {}),
  });
  const h: Harness = { transport, messages: [], errors: [], logLines, closes: 0 };
  opened.push(transport);
  transport.onmessage = (message) => h.messages.push(message);
  transport.onerror = (error) => h.errors.push(error);
  transport.onclose = () => {
    h.closes += 1;
    h.atClose = { tail: transport.stderrTail(), exit: transport.exit };
  };
  return h;
}

/** A child that echoes every stdin line back on stdout. */
const ECHO = `
process.stdin.setEncoding("utf8");
let rest = "";
process.stdin.on("data", (chunk) => {
  const lines = (rest + chunk).split("\\n");
  rest = lines.pop();
  for (const line of lines) process.stdout.write(line + "\\n");
});
process.stdin.on("end", () => process.exit(0));
`;

describe("StdioTransport with real child processes", () => {
  it("sends messages and reads the echoed answers one by one", async () => {
    const h = harness(ECHO);
    await h.transport.start();
    expect(h.transport.pid).toBeGreaterThan(0);
    const sent: JSONRPCMessage[] = [
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, result: { text: "héllo\nwörld 😀" } },
    ];
    for (const message of sent) await h.transport.send(message);
    await until(() => (h.messages.length === 3 ? true : undefined));
    expect(h.messages).toEqual(sent);
    expect(h.errors).toEqual([]);
    await h.transport.close();
    expect(h.closes).toBe(1);
  });

  it("reassembles split chunks, accepts CRLF and skips lines that are not JSON", async () => {
    const script = `
const pieces = [
  '{"jsonrpc":"2.0","id":1,',
  '"result":{"a":1}}\\r\\n',
  'Server listening on stdio (a stray log line)\\n',
  '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}\\n{"jsonrpc":"2.0",',
  '"id":"two","result":{}}\\n',
  '{"not":"jsonrpc"}\\n',
  '{"jsonrpc":"2.0","id":3,"result":{"b":"' + "y".repeat(100000) + '"}}\\n',
];
let i = 0;
const next = () => {
  if (i < pieces.length) { process.stdout.write(pieces[i++]); setTimeout(next, 15); }
};
next();
setInterval(() => {}, 1000);
`;
    const h = harness(script);
    await h.transport.start();
    await until(() => (h.messages.length === 4 ? true : undefined));
    expect(h.messages.slice(0, 3)).toEqual([
      { jsonrpc: "2.0", id: 1, result: { a: 1 } },
      { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "x" } },
      { jsonrpc: "2.0", id: "two", result: {} },
    ]);
    expect(h.messages[3]).toMatchObject({ jsonrpc: "2.0", id: 3 });
    // The JSON line that is not JSON-RPC is reported and the stream goes on.
    expect(h.errors).toHaveLength(1);
    await h.transport.close();
  });

  it("drops a line over the cap as it streams in, answers its request at once, and keeps reading", async () => {
    // The id comes first, so the answer can go out as soon as the cap is passed, long before the
    // line ends (it never ends here until the child is told to finish it).
    const script = `
process.stdout.write('{"jsonrpc":"2.0","id":5,"result":{"text":"' + "x".repeat(3 * 1024 * 1024));
process.stdin.once("data", () => {
  process.stdout.write('"}}\\n{"jsonrpc":"2.0","id":6,"result":{}}\\n');
});
setInterval(() => {}, 1000);
`;
    const h = harness(script, { maxMessageBytes: 1024 * 1024 });
    await h.transport.start();
    const answer = await until(() => h.messages[0]);
    expect(answer).toMatchObject({ jsonrpc: "2.0", id: 5, error: { code: -32603 } });
    expect(JSON.stringify(answer)).toMatch(/is over 1(\.\d)? MiB, more than the 1 MiB \(1048576 bytes\)/);
    await h.transport.send({ jsonrpc: "2.0", method: "go" });
    await until(() => (h.messages.length === 2 ? true : undefined));
    expect(h.messages[1]).toEqual({ jsonrpc: "2.0", id: 6, result: {} });
    await h.transport.close();
  });

  it("answers a line over the cap whose id comes last when the line ends, and drops one with no id", async () => {
    const script = `
const big = "y".repeat(2 * 1024 * 1024);
process.stdout.write('{"result":{"text":"' + big + '"},"jsonrpc":"2.0","id":"late"}\\n');
process.stdout.write('{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"' + big + '"}}\\n');
process.stdout.write("z".repeat(11 * 1024 * 1024) + "\\n");
process.stdout.write('{"jsonrpc":"2.0","id":7,"result":{}}\\n');
setInterval(() => {}, 1000);
`;
    const h = harness(script, { maxMessageBytes: 1024 * 1024 });
    await h.transport.start();
    await until(() => (h.messages.length === 2 ? true : undefined), 10_000);
    expect(h.messages[0]).toMatchObject({ id: "late", error: { code: -32603 } });
    expect(JSON.stringify(h.messages[0])).toMatch(/is 2 MiB, more than the 1 MiB/);
    expect(h.messages[1]).toEqual({ jsonrpc: "2.0", id: 7, result: {} });
    expect(h.errors.filter((e) => /a message was dropped/.test(e.message))).toHaveLength(2);
    await h.transport.close();
  });

  it("reads a message of 20 MiB whole under the default cap", async () => {
    const script = `
process.stdout.write('{"jsonrpc":"2.0","id":1,"result":{"text":"' + "w".repeat(20 * 1024 * 1024) + '"}}\\n');
setInterval(() => {}, 1000);
`;
    const h = harness(script);
    await h.transport.start();
    const message = await until(() => h.messages[0], 20_000);
    expect((message as unknown as { result: { text: string } }).result.text.length).toBe(20 * 1024 * 1024);
    expect(h.errors).toEqual([]);
    await h.transport.close();
  });

  it("logs stderr line by line and explains the exit with the last lines of stderr", async () => {
    const script = `
process.stderr.write("starting\\nhalf a ");
setTimeout(() => {
  process.stderr.write("line\\r\\n\\nfatal: missing API key", () => process.exit(3));
}, 20);
`;
    const h = harness(script);
    await h.transport.start();
    await until(() => (h.closes > 0 ? true : undefined));
    expect(h.transport.exit).toBe("exited with code 3");
    expect(h.atClose).toEqual({
      tail: "starting\nhalf a line\nfatal: missing API key",
      exit: "exited with code 3",
    });
    expect(h.logLines).toEqual([
      "voidmcp info: [srv] starting\n",
      "voidmcp info: [srv] half a line\n",
      "voidmcp info: [srv] fatal: missing API key\n",
    ]);
    expect(h.closes).toBe(1);
    await expect(h.transport.send({ jsonrpc: "2.0", id: 1, method: "ping" })).rejects.toThrow(
      "the server process is not running",
    );
  });

  it("has the last stderr lines when onclose fires, even when the child exits right after writing", async () => {
    // Much stderr, then the reason, then exit as soon as all of it is in the pipe: the pipe still
    // holds the end when "exit" fires.
    const script = `
for (let i = 0; i < 200; i++) process.stderr.write("noise " + i + " " + "x".repeat(1000) + "\\n");
process.stderr.write("Error: cannot find module 'x'\\n", () => process.exit(1));
`;
    for (let round = 0; round < 8; round += 1) {
      const h = harness(script);
      await h.transport.start();
      await until(() => (h.closes > 0 ? true : undefined));
      expect(h.atClose?.exit).toBe("exited with code 1");
      expect(h.atClose?.tail.split("\n").at(-1)).toBe("Error: cannot find module 'x'");
      expect(h.atClose?.tail.split("\n")).toHaveLength(20);
    }
  });

  it("delivers the last message a child writes before it exits, before onclose", async () => {
    const h = harness(
      `process.stdout.write('{"jsonrpc":"2.0","id":1,"result":{"last":true}}\\n', () => process.exit(0));`,
    );
    let messagesAtClose = -1;
    h.transport.onclose = () => {
      h.closes += 1;
      messagesAtClose = h.messages.length;
    };
    await h.transport.start();
    await until(() => (h.closes > 0 ? true : undefined));
    expect(messagesAtClose).toBe(1);
    expect(h.messages).toEqual([{ jsonrpc: "2.0", id: 1, result: { last: true } }]);
  });

  it("keeps only the last 20 lines of stderr", async () => {
    const h = harness(
      `for (let i = 1; i <= 30; i++) process.stderr.write("line " + i + "\\n", () => i === 30 && process.exit(0));`,
    );
    await h.transport.start();
    await until(() => (h.closes > 0 ? true : undefined));
    const expected = Array.from({ length: 20 }, (_, i) => `line ${i + 11}`).join("\n");
    expect(h.transport.stderrTail()).toBe(expected);
    expect(h.logLines).toHaveLength(30);
    expect(h.transport.exit).toBe("exited with code 0");
  });

  it("rejects start() for a command that does not exist", async () => {
    const h = harness("", { command: "voidmcp-no-such-command-xyz", args: [] });
    await expect(h.transport.start()).rejects.toThrow("command not found: voidmcp-no-such-command-xyz");
    expect(h.closes).toBe(1);
    await h.transport.close();
    expect(h.closes).toBe(1);
  });

  it("says how a killed child ended", async () => {
    const h = harness("setInterval(() => {}, 1000);");
    await h.transport.start();
    const pid = h.transport.pid as number;
    process.kill(pid, "SIGKILL");
    await until(() => (h.closes > 0 ? true : undefined));
    expect(h.transport.exit).toBe("was killed by SIGKILL");
    await h.transport.close();
    expect(h.closes).toBe(1);
  });

  it("close() stops a child that ignores SIGTERM, after the grace period, and its grandchild", async () => {
    const script = `
process.on("SIGTERM", () => {});
const { spawn } = require("node:child_process");
const grandchild = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"], { stdio: "ignore" });
process.stdout.write(JSON.stringify({ jsonrpc: "2.0", method: "grandchild", params: { pid: grandchild.pid } }) + "\\n");
setInterval(() => {}, 1000);
`;
    const h = harness(script);
    await h.transport.start();
    const child = h.transport.pid as number;
    const grandchild = await until(() => {
      const message = h.messages[0] as { params?: { pid?: number } } | undefined;
      return message?.params?.pid;
    });
    await sleep(200); // let both install their SIGTERM handlers
    expect(isGone(child)).toBe(false);
    expect(isGone(grandchild)).toBe(false);

    const startedAt = Date.now();
    const first = h.transport.close();
    const second = h.transport.close();
    await Promise.all([first, second]);
    const tookMs = Date.now() - startedAt;

    expect(tookMs).toBeGreaterThanOrEqual(1_900); // SIGTERM was ignored: SIGKILL after the grace
    expect(tookMs).toBeLessThan(4_000);
    expect(await waitGone(child)).toBe(true);
    expect(await waitGone(grandchild)).toBe(true);
    expect(h.transport.exit).toBe("was killed by SIGKILL");
    expect(h.closes).toBe(1);
    await h.transport.close();
    expect(h.closes).toBe(1);
  }, 15_000);

  it("close() of a well-behaved child is quick and stops its grandchild", async () => {
    const script = `
const { spawn } = require("node:child_process");
const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000);"], { stdio: "ignore" });
process.stdout.write(JSON.stringify({ jsonrpc: "2.0", method: "grandchild", params: { pid: grandchild.pid } }) + "\\n");
setInterval(() => {}, 1000);
`;
    const h = harness(script);
    await h.transport.start();
    const grandchild = await until(
      () => (h.messages[0] as { params?: { pid?: number } } | undefined)?.params?.pid,
    );
    const startedAt = Date.now();
    await h.transport.close();
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(h.transport.exit).toBe("was killed by SIGTERM");
    expect(await waitGone(grandchild)).toBe(true);
    expect(h.closes).toBe(1);
  });

  it("stops a grandchild left behind when the child exits on its own", async () => {
    const script = `
const { spawn } = require("node:child_process");
const grandchild = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"], { stdio: "ignore" });
process.stdout.write(JSON.stringify({ jsonrpc: "2.0", method: "grandchild", params: { pid: grandchild.pid } }) + "\\n", () => process.exit(0));
`;
    const h = harness(script);
    await h.transport.start();
    await until(() => (h.closes > 0 ? true : undefined));
    const grandchild = (h.messages[0] as { params?: { pid?: number } } | undefined)?.params?.pid;
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitGone(grandchild as number)).toBe(true);
    expect(h.transport.exit).toBe("exited with code 0");
  });

  it("close() before start() just closes", async () => {
    const h = harness(ECHO);
    await h.transport.close();
    await h.transport.close();
    expect(h.closes).toBe(1);
    await expect(h.transport.send({ jsonrpc: "2.0", id: 1, method: "ping" })).rejects.toThrow(
      "the server process is not running",
    );
  });
});

describe("stopTree", () => {
  it("uses the grace period it is given and is idempotent", async () => {
    const child = spawnTracked({
      command: NODE,
      args: [
        "-e",
        "process.on('SIGTERM', () => {}); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
      ],
      env: { ...process.env },
      cwd: undefined,
    });
    await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
    const startedAt = Date.now();
    await Promise.all([stopTree(child, 300), stopTree(child, 300)]);
    const tookMs = Date.now() - startedAt;
    expect(tookMs).toBeGreaterThanOrEqual(250);
    expect(tookMs).toBeLessThan(2_000);
    expect(child.signalCode).toBe("SIGKILL");
    await stopTree(child, 300); // already stopped: resolves at once
    expect(await waitGone(child.pid as number)).toBe(true);
  });
});

/**
 * A server that answers tools/call with two progress notifications: the first on its own, the
 * second in the same write as the response (as a fast server's last progress often arrives).
 */
const PROGRESS_WITH_ANSWER = `
process.stdin.setEncoding("utf8");
let rest = "";
const send = (...messages) => process.stdout.write(messages.map((m) => JSON.stringify(m) + "\\n").join(""));
process.stdin.on("data", (chunk) => {
  const lines = (rest + chunk).split("\\n");
  rest = lines.pop();
  for (const line of lines) {
    const m = JSON.parse(line);
    if (m.method === "initialize") {
      send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "p", version: "1" } } });
    } else if (m.method === "tools/call") {
      const progressToken = m.params._meta.progressToken;
      send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: 1, total: 2 } });
      setTimeout(() => send(
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: 2, total: 2 } },
        { jsonrpc: "2.0", id: m.id, result: { content: [{ type: "text", text: "done" }] } },
      ), 20);
    }
  }
});
process.stdin.on("end", () => process.exit(0));
`;

describe("StdioTransport under the SDK client", () => {
  it("delivers a progress notification that arrives in the same chunk as its response before the response", async () => {
    const h = harness(PROGRESS_WITH_ANSWER);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(h.transport);
    for (let call = 0; call < 3; call++) {
      const seen: number[] = [];
      const result = await client.request(
        { method: "tools/call", params: { name: "p" } },
        { onprogress: (progress) => seen.push(progress.progress) },
      );
      expect(result.content).toEqual([{ type: "text", text: "done" }]);
      expect(seen).toEqual([1, 2]);
    }
    await client.close();
  });
});
