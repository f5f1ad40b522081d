/**
 * A gateway that is its own upstream must not run away: entries that are obviously voidmcp are
 * refused by add and skipped by import and init --replace, and a loop built anyway (by hand, or
 * through two gateways pointing at each other) ends with the server marked failed, bounded
 * memory, and a gateway that still stops on SIGTERM.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bytesOf, type Sandbox, sandbox } from "./cli-support.js";
import { CLI, freePort } from "./harness.js";
import { connectHttp, type HttpGateway, rssKib, startHttpGateway } from "./http-support.js";

const ITSELF = "this is voidmcp itself; registering it would make voidmcp its own upstream";

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe("entries that are voidmcp itself", () => {
  it.each([
    [["add", "me", "voidmcp", "serve"], "its command runs voidmcp (voidmcp)"],
    [["add", "me", "npx", "-y", "voidmcp", "serve"], "its command runs voidmcp (npx voidmcp)"],
    [["add", "me", "http://127.0.0.1:7420/mcp"], "its URL is voidmcp's own endpoint (port 7420)"],
  ])("voidmcp %j is refused with the reason", async (args, why) => {
    const result = await box.run(args);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`"me" is voidmcp itself (${why})`);
    expect(await bytesOf(box.registry)).toBeUndefined();
  });

  it("add refuses a URL that sends this registry's token, on any port", async () => {
    const token = "t0k3n-for-this-registry";
    const result = await box.run(
      ["add", "me", "http://localhost:7450/mcp", "--header", `Authorization: Bearer ${token}`],
      {
        env: { VOIDMCP_TOKEN: token },
      },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("it sends this registry's token");
  });

  const codexConfig = `[mcp_servers.gateway]
url = "http://127.0.0.1:7420/mcp"

[mcp_servers.files]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]
`;

  it("import of a Codex config skips voidmcp's own URL with the reason", async () => {
    const file = await box.write("config.toml", codexConfig);
    const result = await box.run(["import", file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `skipped "gateway": ${ITSELF} (its URL is voidmcp's own endpoint (port 7420))`,
    );
    const registry = JSON.parse(await readFile(box.registry, "utf8")) as {
      mcpServers: Record<string, unknown>;
    };
    expect(Object.keys(registry.mcpServers)).toEqual(["files"]);
  });

  it("init codex --replace leaves voidmcp's own URL in Codex's file and moves the rest", async () => {
    const codexHome = join(box.home, ".codex");
    await mkdir(codexHome, { recursive: true });
    const file = await box.write("home/.codex/config.toml", codexConfig);
    const result = await box.run(["init", "codex", "--replace"], { env: { CODEX_HOME: codexHome } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`"gateway": ${ITSELF} (its URL is voidmcp's own endpoint (port 7420))`);
    const registry = JSON.parse(await readFile(box.registry, "utf8")) as {
      mcpServers: Record<string, unknown>;
    };
    expect(Object.keys(registry.mcpServers)).toEqual(["files"]);
    const after = await readFile(file, "utf8");
    expect(after).toContain("[mcp_servers.gateway]");
    expect(after).not.toContain("[mcp_servers.files]");
  });
});

interface ServerState {
  readonly name: string;
  readonly state: string;
  readonly error?: string;
}

async function serverStates(url: string, token: string): Promise<ServerState[]> {
  const http = await connectHttp(url, { token });
  try {
    const result = await http.client.callTool({ name: "list_servers", arguments: {} });
    return (result.structuredContent as { servers: ServerState[] }).servers;
  } finally {
    await http.close();
  }
}

/** Polls until `done` holds for the gateway's servers, sampling its memory; fails after `withinMs`. */
async function waitFor(
  gateway: HttpGateway,
  token: string,
  done: (servers: ServerState[]) => boolean,
  withinMs: number,
): Promise<{ servers: ServerState[]; maxRssMib: number }> {
  const deadline = Date.now() + withinMs;
  let maxRssMib = 0;
  let servers: ServerState[] = [];
  while (Date.now() < deadline) {
    maxRssMib = Math.max(maxRssMib, rssKib(gateway.pid) / 1024);
    servers = await serverStates(gateway.url, token);
    if (done(servers)) return { servers, maxRssMib };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not reached within ${withinMs} ms: ${JSON.stringify(servers)}\n${gateway.stderr()}`);
}

async function stopsWithin(gateway: HttpGateway, ms: number): Promise<number> {
  const started = Date.now();
  await gateway.stop();
  const took = Date.now() - started;
  expect(took).toBeLessThan(ms);
  return took;
}

const LOOP = /is this voidmcp itself \(.*\): remove it from the registry/;

describe("a loop built by hand", () => {
  it("a voidmcp started over stdio by a voidmcp of the same registry starts no servers and says why", async () => {
    // A shell wrapper hides voidmcp from the static check; VOIDMCP_CHAIN still gives it away.
    const wrapped = { command: "/bin/sh", args: ["-c", `exec "${process.execPath}" "${CLI}" serve`] };
    await box.write("servers.json", { mcpServers: { wrapped } });
    const result = await box.run(["call", "wrapped", "list_servers"], { env: { VOIDMCP_LOG_LEVEL: "" } });
    expect(result.code).toBe(0);
    const inner = JSON.parse(result.stdout) as { loopError?: string; servers: unknown[] };
    expect(inner.servers).toEqual([]);
    expect(inner.loopError).toMatch(/^not starting any server: this voidmcp is in a loop: .*same registry/);
  }, 30_000);

  it("a gateway whose registry lists its own URL and token marks it failed, stays small and stops on SIGTERM", async () => {
    const token = "self-loop-token-0123456789";
    const port = await freePort();
    await box.write("servers.json", {
      mcpServers: {
        self: { url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: `Bearer ${token}` } },
      },
    });
    const gateway = await startHttpGateway(box.registry, { port, env: { VOIDMCP_TOKEN: token } });
    try {
      const { servers, maxRssMib } = await waitFor(
        gateway,
        token,
        (all) => all.some((s) => s.name === "self" && s.state === "failed"),
        10_000,
      );
      expect(servers[0]?.error).toMatch(LOOP);
      expect(servers[0]?.error).toContain('server "self"');
      // It stays failed (no retry storm) and memory stays bounded while a client keeps asking.
      let peakMib = maxRssMib;
      const until = Date.now() + 3_000;
      while (Date.now() < until) {
        const now = await serverStates(gateway.url, token);
        expect(now[0]?.state).toBe("failed");
        peakMib = Math.max(peakMib, rssKib(gateway.pid) / 1024);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(peakMib).toBeLessThan(300);
      expect(maxRssMib).toBeLessThan(300);
      expect(rssKib(gateway.pid) / 1024).toBeLessThan(300);
    } finally {
      await stopsWithin(gateway, 5_000);
    }
  }, 40_000);

  it("two gateways pointing at each other: at least one side fails as a loop, and both stop on SIGTERM", async () => {
    const other = await sandbox();
    try {
      const [portA, portB] = [await freePort(), await freePort()];
      const [tokenA, tokenB] = ["token-of-gateway-a-123", "token-of-gateway-b-456"];
      await box.write("servers.json", {
        mcpServers: {
          b: { url: `http://127.0.0.1:${portB}/mcp`, headers: { Authorization: `Bearer ${tokenB}` } },
        },
      });
      await other.write("servers.json", {
        mcpServers: {
          a: { url: `http://127.0.0.1:${portA}/mcp`, headers: { Authorization: `Bearer ${tokenA}` } },
        },
      });
      const a = await startHttpGateway(box.registry, { port: portA, env: { VOIDMCP_TOKEN: tokenA } });
      const b = await startHttpGateway(other.registry, { port: portB, env: { VOIDMCP_TOKEN: tokenB } }).catch(
        async (error: unknown) => {
          await a.stop();
          throw error;
        },
      );
      try {
        const looped = (servers: ServerState[]) =>
          servers.some((s) => s.state === "failed" && LOOP.test(s.error ?? ""));
        const deadline = Date.now() + 15_000;
        let found = false;
        let maxRssMib = 0;
        while (!found && Date.now() < deadline) {
          const [fromA, fromB] = await Promise.all([
            serverStates(a.url, tokenA),
            serverStates(b.url, tokenB),
          ]);
          maxRssMib = Math.max(maxRssMib, rssKib(a.pid) / 1024, rssKib(b.pid) / 1024);
          found = looped(fromA) || looped(fromB);
          if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(found, `A:\n${a.stderr()}\nB:\n${b.stderr()}`).toBe(true);
        expect(maxRssMib).toBeLessThan(300);
      } finally {
        await Promise.all([stopsWithin(a, 5_000), stopsWithin(b, 5_000)]);
      }
    } finally {
      await other.cleanup();
    }
  }, 60_000);
});
