/**
 * A second, independent MCP client: the MCP Inspector's CLI mode spawns `voidmcp serve` itself.
 * Two quirks of inspector-cli 1.0.3 shape how it is run here: it resolves its own package.json
 * against the working directory (so it runs from its build folder), and it claims `--config`
 * for itself (so the registry path goes through VOIDMCP_CONFIG).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, EVERYTHING, fixtureEntry, runInspector, type TempDir, tempRegistry } from "./harness.js";

let temp: TempDir;

beforeAll(async () => {
  temp = await tempRegistry({
    mcpServers: { fixture: fixtureEntry(), everything: { command: process.execPath, args: [EVERYTHING] } },
  });
});

afterAll(async () => {
  await temp?.cleanup();
});

function inspect(...args: string[]) {
  return runInspector([process.execPath, CLI, "serve", ...args], { VOIDMCP_CONFIG: temp.registry });
}

describe("MCP Inspector CLI as the client", () => {
  it("lists the gateway's tools", async () => {
    const { code, json, stderr } = await inspect("--method", "tools/list");
    expect(code, stderr).toBe(0);
    const names = (json as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["search", "list_servers", "fixture__echo", "everything__get-sum"]),
    );
  });

  it("calls an upstream tool through the gateway", async () => {
    const { code, json, stderr } = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "fixture__add",
      "--tool-arg",
      "a=2",
      "--tool-arg",
      "b=3",
    );
    expect(code, stderr).toBe(0);
    expect(json).toMatchObject({ content: [{ type: "text", text: "5" }], structuredContent: { sum: 5 } });
  });

  it("sees an upstream tool error as an isError result", async () => {
    const { json } = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "fixture__fail",
      "--tool-arg",
      "message=broken",
    );
    expect(json).toMatchObject({
      isError: true,
      content: [{ type: "text", text: expect.stringContaining("broken") }],
    });
  });

  it("reads a resource and gets a prompt from upstreams", async () => {
    const resource = await inspect("--method", "resources/read", "--uri", "fixture://hello");
    expect(JSON.stringify(resource.json)).toContain("hello from the fixture");
    const prompt = await inspect(
      "--method",
      "prompts/get",
      "--prompt-name",
      "fixture__greet",
      "--prompt-args",
      "name=Ada",
    );
    expect(JSON.stringify(prompt.json)).toContain("Ada");
  });
});
