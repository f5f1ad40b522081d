/**
 * A realistic multi-step task through `voidmcp serve`: read 20 issues from one server, keep the
 * open bugs, create 3 issues on another server. Done (a) as direct tool calls by a scripted client
 * (1 list + 3 creates, every result reaching the client) and (b) as one execute_code whose script
 * does the same and returns only the 3 new numbers. Both servers are bench/synthetic-server.ts
 * (canned records: this measures the gateway and the context, not a real tracker).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openGateway, SYNTHETIC } from "./common.js";
import { bytes, tokens } from "./context.js";
import { fmt, measure, median, percentile, saveResults } from "./stats.js";

interface Issue {
  number: number;
  title: string;
  state: string;
  labels: string[];
}

const SCRIPT = `const { issues } = await tools.tracker.list_issues({ owner: "acme", repo: "app", perPage: 20 });
const bugs = issues.filter((i) => i.state === "open" && i.labels.includes("bug")).slice(0, 3);
const created = [];
for (const bug of bugs) {
  const r = await tools.notes.create_issue({ owner: "acme", repo: "triage", title: "Triage: " + bug.title, body: "From #" + bug.number });
  created.push(r.number);
}
return created;`;

export async function benchTask(quick: boolean): Promise<string> {
  const runs = quick ? 20 : 100;
  const dir = await mkdtemp(join(tmpdir(), "voidmcp-bench-task-"));
  const entry = { command: process.execPath, args: [SYNTHETIC] };
  const gateway = await openGateway(join(dir, "servers.json"), {
    expose: "direct",
    mcpServers: { tracker: entry, notes: entry },
  });
  const client = gateway.client;
  // What reached the client (responses) and what the model had to write (requests), per run.
  let traffic = { responses: [] as unknown[], requests: [] as unknown[] };
  const call = async (name: string, args: Record<string, unknown>) => {
    traffic.requests.push({ name, arguments: args });
    const result = await client.callTool({ name, arguments: args });
    traffic.responses.push(result);
    if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
    return result.structuredContent as Record<string, unknown>;
  };
  const viaCalls = async () => {
    const { issues } = (await call("tracker__list_issues", { owner: "acme", repo: "app", perPage: 20 })) as {
      issues: Issue[];
    };
    const bugs = issues.filter((i) => i.state === "open" && i.labels.includes("bug")).slice(0, 3);
    if (bugs.length !== 3) throw new Error(`expected 3 open bugs, got ${bugs.length}`);
    for (const bug of bugs) {
      await call("notes__create_issue", {
        owner: "acme",
        repo: "triage",
        title: `Triage: ${bug.title}`,
        body: `From #${bug.number}`,
      });
    }
  };
  const viaCode = () => call("execute_code", { code: SCRIPT });
  const rows: {
    name: string;
    samplesMs: number[];
    calls: number;
    responseBytes: number;
    responseTokens: number;
    requestTokens: number;
  }[] = [];
  try {
    for (const [name, fn, calls] of [
      ["4 direct tool calls by a scripted client (1 list_issues + 3 create_issue)", viaCalls, 4],
      ["1 execute_code running the same steps", viaCode, 1],
    ] as const) {
      traffic = { responses: [], requests: [] };
      await fn();
      const one = { responses: [...traffic.responses], requests: [...traffic.requests] };
      const samplesMs = await measure(runs, 3, fn);
      rows.push({
        name,
        samplesMs,
        calls,
        responseBytes: bytes(one.responses),
        responseTokens: tokens(one.responses),
        requestTokens: tokens(one.requests),
      });
    }
  } finally {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
  await saveResults("task", { runs, script: SCRIPT, rows });
  const lines = [
    `### Code Mode, realistic task (${runs} runs each; read 20 records, filter, write 3)`,
    "",
    "| how | tool calls the model makes | wall median ms | p90 ms | bytes reaching the client | tokens reaching the client | tokens the model writes |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.calls} | ${fmt(median(r.samplesMs))} | ${fmt(percentile(r.samplesMs, 90))} | ${r.responseBytes} | ${r.responseTokens} | ${r.requestTokens} |`,
    ),
  ];
  const note =
    "Wall time excludes the model: with a real model each direct call is also a model turn (seconds), so the call count is the bigger saving. " +
    "Tokens: gpt-tokenizer o200k_base over the JSON of the tool results (responses) and of the call arguments (requests).";
  return `${lines.join("\n")}\n\n${note}\n`;
}
