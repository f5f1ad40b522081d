/**
 * Issue #16 through `voidmcp serve` with real SDK clients and the fixture server: the policy
 * (rules with globs, annotation defaults, denied tools hidden), confirmation by elicitation to
 * the calling client (accept, decline, "allow the rest of this run", a client that cannot ask),
 * the same decision for direct calls and calls inside execute_code, dry run, and the audit log
 * (`voidmcp log`), which never holds an argument's value.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  eventually,
  fixtureEntry,
  type GatewaySession,
  runCli,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";

const SECRET = "sk-live-7f3a9c1e5b2d4f60";

type Answer = {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, string | number | boolean | string[]>;
};

let temp: TempDir;
let asking: GatewaySession;
let mute: GatewaySession;
let env: Record<string, string>;
const questions: Array<{ message: string; properties: Record<string, unknown> }> = [];
let answers: Answer[] = [];

beforeAll(async () => {
  temp = await tempRegistry({
    expose: "direct",
    policy: {
      default: "deny",
      rules: { "fixture.get_*": "deny", "fixture.image": "confirm", "fixture.fixture://items/*": "deny" },
    },
    mcpServers: { fixture: fixtureEntry() },
  });
  env = { XDG_STATE_HOME: join(temp.dir, "state") };
  asking = await connectGateway(temp.registry, {
    env,
    capabilities: { capabilities: { elicitation: { form: {} } } },
  });
  asking.client.setRequestHandler("elicitation/create", async (request) => {
    const params = request.params as {
      message: string;
      requestedSchema: { properties: Record<string, unknown> };
    };
    questions.push({ message: params.message, properties: params.requestedSchema.properties });
    return answers.shift() ?? { action: "cancel" };
  });
  mute = await connectGateway(temp.registry, { env });
}, 60_000);

afterAll(async () => {
  await asking?.close();
  await mute?.close();
  await temp?.cleanup();
});

function ask(...next: Answer[]): void {
  answers = next;
  questions.length = 0;
}

async function call(session: GatewaySession, name: string, args: Record<string, unknown> = {}) {
  const result = await session.client.callTool({ name, arguments: args });
  const blocks = (result.content as Array<{ type: string; text?: string }>).filter((b) => b.type === "text");
  return {
    text: textOf(result),
    all: blocks.map((b) => b.text).join("\n"),
    isError: result.isError === true,
    structured: result.structuredContent,
  };
}

const script = (session: GatewaySession, code: string, extra: Record<string, unknown> = {}) =>
  call(session, "execute_code", { code, ...extra });

describe("policy", () => {
  it("leaves denied tools (a glob rule, the default for annotations that decide nothing) out of tools/list and search", async () => {
    const names = (await asking.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("fixture__echo");
    expect(names).toContain("fixture__delete_item");
    expect(names).not.toContain("fixture__get_weather");
    expect(names).not.toContain("fixture__open_world");
    const search = await call(asking, "search", { query: "weather" });
    expect(search.text).not.toContain("get_weather");
  });

  it("refuses a denied tool called directly, and inside a script as a catchable Error", async () => {
    const direct = await call(asking, "fixture__get_weather", { city: "Paris" });
    expect(direct.isError).toBe(true);
    expect(direct.text).toMatch(/denied by voidmcp's policy \(rule "fixture\.get_\*"\)/);
    const nested = await script(
      asking,
      `try { await tools.fixture.open_world({}); return "ran"; } catch (e) { return "caught: " + e.message; }`,
    );
    expect(nested.text).toMatch(/caught: fixture\.open_world is denied by voidmcp's policy \(default\)/);
  });

  it("runs read-only tools without asking", async () => {
    ask();
    expect((await call(asking, "fixture__echo", { text: "hi" })).text).toBe("hi");
    expect((await script(asking, `return await tools.fixture.echo({ text: "yo" })`)).text).toContain("yo");
    expect(questions).toHaveLength(0);
  });
});

describe("confirmation through the calling client", () => {
  it("asks before a destructive tool (direct call) and runs it on accept", async () => {
    ask({ action: "accept", content: {} });
    const result = await call(asking, "fixture__delete_item", { id: "a1", token: SECRET });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/^deleted a1/);
    expect(questions).toHaveLength(1);
    expect(questions[0]?.message).toContain("fixture.delete_item");
    expect(questions[0]?.message).toContain('"id":"a1"');
    // A direct call is its own run: nothing to allow "for the rest".
    expect(questions[0]?.properties).toEqual({});
  });

  it("a rule can ask for a tool with no annotations", async () => {
    ask({ action: "decline" });
    const result = await call(asking, "fixture__image");
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/fixture\.image was refused: the person declined it/);
    expect(questions[0]?.message).toContain('rule "fixture.image"');
  });

  it("decline and cancel refuse the call before it reaches the server", async () => {
    ask({ action: "decline" }, { action: "cancel" }, { action: "accept" });
    expect((await call(asking, "fixture__delete_item", { id: "b1" })).text).toMatch(/declined/);
    expect((await call(asking, "fixture__delete_item", { id: "b2" })).text).toMatch(/cancelled/);
    // Only the accepted call ran: the count is one more than before these three.
    const ran = await call(asking, "fixture__delete_item", { id: "b3" });
    expect(ran.text).toMatch(/^deleted b3 \(2 so far\)/);
  });

  it("in a script, 'allow the rest of this run' turns a loop of writes into one question", async () => {
    ask({ action: "accept", content: { allowRestOfRun: true } });
    const result = await script(
      asking,
      `const out = [];
       for (const id of ["c1", "c2", "c3", "c4"]) out.push(await tools.fixture.delete_item({ id, token: "${SECRET}" }));
       return out;`,
    );
    expect(result.isError).toBe(false);
    expect(result.text).toContain("deleted c4");
    expect(questions).toHaveLength(1);
    expect(questions[0]?.message).toContain("call 1 of an execute_code script");
    expect(Object.keys(questions[0]?.properties ?? {})).toEqual(["allowRestOfRun"]);
    // The next run asks again.
    ask({ action: "accept" }, { action: "accept" });
    await script(
      asking,
      `await tools.fixture.delete_item({ id: "d1" }); await tools.fixture.delete_item({ id: "d2" });`,
    );
    expect(questions).toHaveLength(2);
    expect(questions[1]?.message).toContain("call 2 of");
  });

  it("parallel calls in a script are asked one at a time", async () => {
    ask({ action: "accept", content: { allowRestOfRun: true } });
    const result = await script(
      asking,
      `return (await Promise.all(["p1", "p2", "p3"].map((id) => tools.fixture.delete_item({ id })))).length`,
    );
    expect(result.text).toMatch(/^3/);
    expect(questions).toHaveLength(1);
  });

  it("a declined call inside a script is an Error the script can catch", async () => {
    ask({ action: "decline" });
    const result = await script(
      asking,
      `try { await tools.fixture.delete_item({ id: "e1" }); return "ran"; } catch (e) { return "caught: " + e.message; }`,
    );
    expect(result.text).toContain("caught: fixture.delete_item was refused: the person declined it");
  });

  it("a client without elicitation is refused, with how to allow the tool in the registry", async () => {
    const direct = await call(mute, "fixture__delete_item", { id: "f1" });
    expect(direct.isError).toBe(true);
    expect(direct.text).toContain("this client cannot ask: it did not declare elicitation");
    expect(direct.text).toContain(`"fixture.delete_item": "allow"`);
    expect(direct.text).toContain(temp.registry);
    const nested = await script(
      mute,
      `try { await tools.fixture.delete_item({ id: "f2" }); return "ran"; } catch (e) { return "caught: " + e.message; }`,
    );
    expect(nested.text).toContain("caught: fixture.delete_item needs the person's confirmation");
  });
});

describe("resources and prompts inside the sandbox", () => {
  it("reads, lists and gets under the same policy, counted in the report like tool calls", async () => {
    const result = await script(
      asking,
      `const hello = await resources.read("fixture://hello");
       const listed = await resources.list();
       const greet = await prompts.get("fixture", "greet", { name: "Ada" });
       let denied = "not refused";
       try { await resources.read("fixture://items/7"); } catch (e) { denied = e.message; }
       return { hello: hello.contents[0].text, uris: listed.map((r) => r.uri), greet: greet.messages[0].content.text, denied };`,
    );
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({
      hello: "hello from the fixture",
      greet: "Hello, Ada! Please greet me back.",
    });
    expect((result.structured as { uris: string[] }).uris).toContain("fixture://hello");
    expect((result.structured as { denied: string }).denied).toMatch(
      /fixture\.fixture:\/\/items\/7 is denied by voidmcp's policy \(rule "fixture\.fixture:\/\/items\/\*"\)/,
    );
    expect(result.all).toMatch(/:resources\.read ×2, 1 failed/);
    expect(result.all).toMatch(/:prompts\.get ×1/);
  });
});

describe("dry run", () => {
  it("runs allowed tools, records the others without running or asking, and lists them", async () => {
    ask();
    const result = await script(
      asking,
      `const said = await tools.fixture.echo({ text: "plan" });
       const gone = await tools.fixture.delete_item({ id: "g1", token: "${SECRET}" });
       await tools.fixture.delete_item({ id: "g2" });
       return { said, gone: gone === undefined };`,
      { dryRun: true },
    );
    expect(result.isError).toBe(false);
    expect(questions).toHaveLength(0);
    expect(result.structured).toMatchObject({
      dryRun: true,
      value: { said: "plan", gone: true },
      plannedCalls: [
        { tool: "fixture.delete_item", args: { id: "g1", token: SECRET } },
        { tool: "fixture.delete_item", args: { id: "g2" } },
      ],
    });
    expect(result.all).toContain("dry run: 2 calls were not made");
    // Nothing was deleted: the next real call counts on from before the dry run.
    ask({ action: "accept" });
    const before = await call(asking, "fixture__delete_item", { id: "g3" });
    ask({ action: "accept" });
    const after = await call(asking, "fixture__delete_item", { id: "g4" });
    const count = (text: string) => Number(/\((\d+) so far\)/.exec(text)?.[1]);
    expect(count(after.text)).toBe(count(before.text) + 1);
  });
});

describe("audit log", () => {
  it("has one line per call, direct and nested, with decisions, and never an argument value", async () => {
    const path = join(temp.dir, "state", "voidmcp", "audit.log");
    const text = await readFile(path, "utf8");
    expect(text).not.toContain(SECRET);
    const records = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const deletes = records.filter((r) => r.tool === "delete_item");
    expect(deletes.some((r) => r.via === "direct" && r.confirmation === "accepted" && r.ok === true)).toBe(
      true,
    );
    expect(deletes.some((r) => r.via === "script" && r.confirmation === "accepted_for_run")).toBe(true);
    expect(deletes.some((r) => r.via === "script" && r.confirmation === "remembered_for_run")).toBe(true);
    expect(deletes.some((r) => r.confirmation === "declined" && r.ok === false && r.error === "denied")).toBe(
      true,
    );
    expect(deletes.some((r) => r.confirmation === "unsupported")).toBe(true);
    expect(deletes.some((r) => r.confirmation === "dry_run")).toBe(true);
    expect(records.some((r) => r.tool === "get_weather" && r.decision === "deny")).toBe(true);
    expect(records.some((r) => r.tool === "resources/read" && r.ok === true)).toBe(true);
    expect(records.some((r) => r.tool === "prompts/get greet" && r.ok === true)).toBe(true);
    expect(text).not.toContain("Ada");
    const withToken = deletes.find((r) => (r.args as Record<string, unknown>).token !== undefined);
    expect(withToken?.args).toEqual({ id: "string", token: "string" });
    const echo = records.find((r) => r.tool === "echo" && r.ok === true);
    expect(echo).toMatchObject({ decision: "allow", because: "readOnlyHint" });
    expect(echo?.bytes).toBeGreaterThan(0);
  });

  it("`voidmcp log` shows the last calls, filters by server and tool, and prints JSON", async () => {
    const last = await runCli(["log", "-n", "3"], { env });
    expect(last.code).toBe(0);
    expect(last.stdout.trim().split("\n")).toHaveLength(3);
    const json = await runCli(["log", "--json", "--tool", "delete_item", "-n", "1000"], { env });
    const lines = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { tool: string });
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.tool === "delete_item")).toBe(true);
    expect(json.stdout).not.toContain(SECRET);
    const none = await runCli(["log", "--server", "nobody"], { env });
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("No call matches");
    const bad = await runCli(["log", "-n", "zero"], { env });
    expect(bad.code).toBe(2);
  });
});

describe("policy edits", () => {
  it("apply on reload: a newly denied tool leaves tools/list, and clients are told the list changed", async () => {
    let changed = 0;
    asking.client.setNotificationHandler("notifications/tools/list_changed", () => {
      changed += 1;
    });
    await writeFile(
      temp.registry,
      JSON.stringify({
        expose: "direct",
        policy: { default: "deny", rules: { "fixture.echo": "deny" } },
        mcpServers: { fixture: fixtureEntry() },
      }),
    );
    const hidden = await eventually(
      async () => !(await asking.client.listTools()).tools.some((t) => t.name === "fixture__echo"),
    );
    expect(hidden).toBe(true);
    expect(await eventually(() => changed > 0)).toBe(true);
    const refused = await call(asking, "fixture__echo", { text: "x" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('rule "fixture.echo"');
  });
});
