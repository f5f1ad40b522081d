/**
 * A client that is quick after `initialize` must not see "starting" errors: every request that
 * names something an upstream owns waits the same bounded time for a server that is still
 * starting, as the first lists and tools/call do. The upstreams here start a second late.
 */
import { afterEach, describe, expect, it } from "vitest";
import { connectGateway, FIXTURE, type GatewaySession, type TempDir, tempRegistry } from "./harness.js";

/** The fixture, started after `delay` seconds. */
const lateFixture = (delay: number, extra: Record<string, unknown> = {}) => ({
  command: "sh",
  args: ["-c", `sleep ${delay}; exec "$0" "$1"`, process.execPath, FIXTURE],
  ...extra,
});

let temp: TempDir | undefined;
let session: GatewaySession | undefined;

afterEach(async () => {
  await session?.close();
  await temp?.cleanup();
  session = undefined;
  temp = undefined;
});

async function quickClient(servers: Record<string, unknown>): Promise<GatewaySession> {
  temp = await tempRegistry({ mcpServers: servers });
  session = await connectGateway(temp.registry);
  return session;
}

describe("requests right after initialize wait for the server that owns them", () => {
  it("completion/complete of a resource template", async () => {
    const { client } = await quickClient({ late: lateFixture(1) });
    const result = await client.complete({
      ref: { type: "ref/resource", uri: "fixture://items/{id}" },
      argument: { name: "id", value: "4" },
    });
    expect(result.completion.values).toEqual(["42"]);
  });

  it("completion/complete of a prompt, prefixed and unprefixed", async () => {
    const { client } = await quickClient({ late: lateFixture(1), bare: lateFixture(1, { prefix: "" }) });
    const [prefixed, bare] = await Promise.all([
      client.complete({
        ref: { type: "ref/prompt", name: "late__test_prompt_with_arguments" },
        argument: { name: "arg1", value: "" },
      }),
      client.complete({
        ref: { type: "ref/prompt", name: "test_prompt_with_arguments" },
        argument: { name: "arg1", value: "" },
      }),
    ]);
    expect(prefixed.completion.values.length).toBeGreaterThan(0);
    expect(bare.completion.values).toEqual(prefixed.completion.values);
  });

  it("resources/read, resources/subscribe and prompts/get", async () => {
    const { client } = await quickClient({ late: lateFixture(1) });
    const [read, prompt] = await Promise.all([
      client.readResource({ uri: "fixture://hello" }),
      client.getPrompt({ name: "late__greet", arguments: { name: "Ada" } }),
      client.subscribeResource({ uri: "fixture://hello" }),
    ]);
    expect(read.contents[0]).toMatchObject({ text: "hello from the fixture" });
    expect(JSON.stringify(prompt.messages)).toContain("Hello, Ada!");
  });
});
