/**
 * `npm run demo`: voidmcp's main job, end to end, on an embedded registry. It writes a temporary
 * registry with two real MCP servers (the project's fixture server and
 * @modelcontextprotocol/server-everything), starts `voidmcp serve` the way an IDE does, connects
 * to it as an MCP client over stdio, lists servers and tools, calls a tool on each server and
 * prints what happened.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "dist/src/cli/main.js");
const fixture = join(root, "dist/test/fixtures/fixture-server.js");
const everything = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);

type TextBlock = { type: string; text?: string };

function firstText(content: unknown): string {
  const blocks = Array.isArray(content) ? (content as TextBlock[]) : [];
  return blocks.find((b) => b.type === "text")?.text ?? JSON.stringify(content);
}

function step(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-demo-"));
  const registryPath = join(dir, "servers.json");
  const registry = {
    version: 1,
    mcpServers: {
      fixture: { command: process.execPath, args: [fixture] },
      everything: { command: process.execPath, args: [everything] },
    },
  };
  await writeFile(registryPath, `${JSON.stringify(registry, null, 2)}\n`, { mode: 0o600 });
  step(`Registry ${registryPath}`);
  process.stdout.write(`${JSON.stringify(registry, null, 2)}\n`);

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, "serve", "--config", registryPath],
    stderr: "pipe",
    env: { ...(process.env as Record<string, string>), VOIDMCP_LOG_LEVEL: "warn" },
  });
  transport.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`  [gateway] ${chunk}`));
  const client = new Client({ name: "voidmcp-demo", version: "1.0.0" });
  try {
    const started = performance.now();
    await client.connect(transport);
    const info = client.getServerVersion();
    step(
      `Connected to ${info?.name} ${info?.version} over stdio in ${Math.round(performance.now() - started)} ms`,
    );

    const { tools } = await client.listTools();
    const servers = await client.callTool({ name: "list_servers", arguments: {} });
    step("list_servers");
    const report = servers.structuredContent as {
      servers: Array<{ name: string; state: string; toolCount: number; error?: string }>;
    };
    for (const s of report.servers) {
      process.stdout.write(
        `  ${s.name.padEnd(12)} ${s.state.padEnd(8)} ${s.toolCount} tools${s.error ? `  (${s.error})` : ""}\n`,
      );
    }

    step(`tools/list: ${tools.length} tools`);
    for (const tool of tools) process.stdout.write(`  ${tool.name}\n`);

    step("Calling one tool on each server through the gateway");
    const calls: Array<[string, Record<string, unknown>]> = [
      ["fixture__echo", { text: "hello from voidmcp" }],
      ["fixture__add", { a: 2, b: 40 }],
      ["everything__echo", { message: "hello from voidmcp" }],
    ];
    for (const [name, args] of calls) {
      const t0 = performance.now();
      const result = await client.callTool({ name, arguments: args });
      const ms = (performance.now() - t0).toFixed(1);
      process.stdout.write(
        `  ${name}(${JSON.stringify(args)}) -> ${firstText(result.content)}  [${ms} ms]\n`,
      );
    }

    const search = await client.callTool({ name: "search", arguments: { query: "add numbers", limit: 2 } });
    step('search("add numbers"): TypeScript declarations for Code Mode');
    process.stdout.write(`${firstText(search.content)}\n`);

    const script = [
      "const [sum, total] = await Promise.all([",
      "  tools.fixture.add({ a: 19, b: 23 }),",
      '  tools.everything["get-sum"]({ a: 1, b: 2 }),',
      "]);",
      'const echoed = await tools.everything.echo({ message: "the answer is " + sum.sum });',
      'console.log("intermediate values stay in the sandbox:", { sum, total });',
      "return { answer: sum.sum, echoed };",
    ].join("\n");
    step("Code Mode: one execute_code call chaining both servers");
    process.stdout.write(`${script.replace(/^/gm, "  | ")}\n`);
    const run = await client.callTool({ name: "execute_code", arguments: { code: script } });
    for (const block of run.content as TextBlock[])
      process.stdout.write(`  ${block.text ?? ""}\n`.replace(/\n(?!$)/g, "\n  "));
  } finally {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
  step("Done: the gateway and both servers have exited.");
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
