/**
 * `voidmcp serve` starts its upstreams only when the first client has initialized. A registry
 * edited between the gateway's start and that moment must be the one the client gets: servers,
 * Code Mode limits and restart settings alike.
 */
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, fixtureEntry, type TempDir, tempRegistry, textOf } from "./harness.js";
import { connectHttp, type HttpGateway, startHttpGateway } from "./http-support.js";

const TOKEN = "settings-test-token";

let temp: TempDir;
let gateway: HttpGateway;

beforeAll(async () => {
  temp = await tempRegistry({
    codeMode: { timeoutMs: 30_000 },
    restart: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 200 },
    mcpServers: { steady: fixtureEntry() },
  });
  gateway = await startHttpGateway(temp.registry, { env: { VOIDMCP_TOKEN: TOKEN } });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await temp?.cleanup();
});

describe("settings edited before the first client connects", () => {
  it("take effect: Code Mode limits and the restart policy of the edited file", async () => {
    await writeFile(
      temp.registry,
      JSON.stringify({
        codeMode: { timeoutMs: 4_321 },
        restart: { maxAttempts: 0, baseDelayMs: 100, maxDelayMs: 200 },
        mcpServers: { steady: fixtureEntry(), crashy: fixtureEntry("--exit-after-ms", "300") },
      }),
    );
    expect(await eventually(() => /registry reloaded/.test(gateway.stderr()), 10_000), gateway.stderr()).toBe(
      true,
    );
    const http = await connectHttp(gateway.url, { token: TOKEN });
    try {
      const tools = (await http.client.listTools()).tools;
      const executeCode = tools.find((t) => t.name === "execute_code");
      expect(executeCode?.description).toContain("4321 ms wall time");
      // maxAttempts 0: a server that stops is not restarted, it fails at once.
      const crashy = async () => {
        const result = await http.client.callTool({ name: "list_servers", arguments: {} });
        const report = JSON.parse(textOf(result)) as { servers: Array<{ name: string; state: string }> };
        return report.servers.find((s) => s.name === "crashy")?.state;
      };
      expect(await eventually(async () => (await crashy()) === "failed", 15_000), await crashy()).toBe(true);
    } finally {
      await http.close();
    }
  });
});
