/**
 * Context cost: tokens (gpt-tokenizer, o200k_base) of the tools/list JSON a client receives from
 * `voidmcp serve` with 10 and 50 servers of realistic tools, `"expose": "direct"` (every tool,
 * prefixed) vs `"expose": "code"` (search, execute_code, list_servers). The servers are
 * bench/synthetic-server.ts: 30 tool definitions each, modelled on the GitHub, filesystem, Slack,
 * Jira and Postgres MCP servers. Code mode's price is paid later, per search: one typical search
 * result is measured too.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "gpt-tokenizer";
import { openGateway, sleep, syntheticServers } from "./common.js";
import { saveResults } from "./stats.js";

export const TOOLS_PER_SERVER = 30;
export const tokens = (value: unknown) =>
  encode(typeof value === "string" ? value : JSON.stringify(value)).length;
export const bytes = (value: unknown) =>
  Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value));

interface Measured {
  servers: number;
  tools: number;
  directTokens: number;
  directBytes: number;
  codeTokens: number;
  codeBytes: number;
  searchTokens: number;
}

export async function benchContext(quick: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-context-"));
  const results: Measured[] = [];
  try {
    // Token counts do not vary between runs; quick mode skips the 50-server row (100 processes).
    for (const count of quick ? [10] : [10, 50]) {
      const mcpServers = syntheticServers(count, TOOLS_PER_SERVER);
      const lists: Record<string, unknown[]> = {};
      let searchTokens = 0;
      // One gateway serves both lists: the registry's `expose` is edited in place and hot reload
      // applies it without restarting a server (the same servers, half the processes).
      const file = join(dir, `servers-${count}.json`);
      const gateway = await openGateway(file, { expose: "direct", mcpServers });
      try {
        lists.direct = (await gateway.client.listTools()).tools;
        await writeFile(file, JSON.stringify({ expose: "code", mcpServers }));
        const deadline = Date.now() + 20_000;
        for (;;) {
          const listed = (await gateway.client.listTools()).tools;
          if (listed.length < lists.direct.length) {
            lists.code = listed;
            break;
          }
          if (Date.now() > deadline)
            throw new Error('the edit to "expose": "code" was not applied within 20 s');
          await sleep(50);
        }
        const found = await gateway.client.callTool({
          name: "search",
          arguments: { query: "create an issue", detail: "signatures" },
        });
        searchTokens = tokens(found);
      } finally {
        await gateway.client.close();
      }
      const direct = lists.direct ?? [];
      const code = lists.code ?? [];
      results.push({
        servers: count,
        tools: direct.length,
        directTokens: tokens({ tools: direct }),
        directBytes: bytes({ tools: direct }),
        codeTokens: tokens({ tools: code }),
        codeBytes: bytes({ tools: code }),
        searchTokens,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await saveResults("context", {
    tokenizer: "gpt-tokenizer o200k_base",
    toolsPerServer: TOOLS_PER_SERVER,
    results,
  });
  const lines = [
    "### Context cost: the tools/list a client receives (tokens: gpt-tokenizer, o200k_base)",
    "",
    "| servers | tools listed in direct mode | direct mode tokens (KiB) | code mode tokens (KiB) | saving | one `search` result, tokens |",
    "|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.servers} | ${r.tools} | ${r.directTokens} (${(r.directBytes / 1024).toFixed(0)}) | ${r.codeTokens} (${(r.codeBytes / 1024).toFixed(1)}) | ${(100 * (1 - r.codeTokens / r.directTokens)).toFixed(1)} % (${(r.directTokens / r.codeTokens).toFixed(0)}×) | ${r.searchTokens} |`,
    ),
  ];
  const note =
    `Each server is bench/synthetic-server.ts with ${TOOLS_PER_SERVER} realistic tool definitions (GitHub/filesystem/Slack/Jira/Postgres-like names, descriptions and JSON Schemas; rotated per server), ` +
    "listed through the real gateway; direct mode includes the three meta tools too. Code mode's list grows only by the server names in execute_code's description; " +
    "the model then pays per `search` (the last column: `create an issue`, signatures, default limit 10).";
  return `${lines.join("\n")}\n\n${note}\n`;
}
