/**
 * Client limits, end to end with the built CLI and real fixture servers: profiles over stdio
 * (`serve --profile`) and HTTP (`/mcp/NAME`), an unknown profile refused, a per-tool override
 * seen and called by an SDK client, a long name shortened to the name budget, and the tool
 * count each client gets by who it says it is.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, eventually, fixtureEntry, runCli, type TempDir, tempRegistry, textOf } from "./harness.js";
import { connectHttp, gatewayEnv, type HttpGateway, rawRequest, startHttpGateway } from "./http-support.js";

const TOKEN = "profiles-e2e-token-0123456789abcdef";
const LONG_PREFIX = "p".repeat(45);

function registryDocument(profiles: Record<string, unknown>) {
  return {
    version: 1,
    // Both fixtures together list more tools than Cursor takes, fewer than Claude Code does.
    expose: "auto",
    profiles,
    mcpServers: {
      alpha: {
        ...fixtureEntry(),
        overrides: { echo: { name: "say", description: "Says the message back (renamed by the registry)" } },
      },
      beta: fixtureEntry("--name", "beta"),
      long: { ...fixtureEntry(), prefix: LONG_PREFIX, tools: { allow: ["echo"] } },
    },
  };
}

const PROFILES = {
  work: { servers: ["alpha", "long"], tools: { deny: ["alpha.fail", "alpha.throw"] }, expose: "direct" },
  betaonly: { servers: ["beta"], tools: { allow: ["beta.echo", "beta.add"] } },
};

/** An SDK client of the 2026-07-28 era: no initialize, who it is rides in each request's _meta. */
const MODERN = { versionNegotiation: { mode: { pin: "2026-07-28" } } } as const;

function names(tools: ReadonlyArray<{ name: string }>): string[] {
  return tools.map((t) => t.name);
}

describe("profiles, overrides and names", () => {
  let temp: TempDir;
  let env: Record<string, string>;

  beforeAll(async () => {
    temp = await tempRegistry(registryDocument(PROFILES));
    env = gatewayEnv({ XDG_STATE_HOME: join(temp.dir, "state"), HOME: temp.dir, VOIDMCP_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await temp.cleanup();
  });

  it("serve (stdio) recognises a 2026-07-28 client by the clientInfo each request carries", async () => {
    // Claude Code 2.1.332 speaks this era over stdio too, and sends no initialize: before, its
    // name was missed there and it got the threshold of a client that gave no name.
    const listFor = async (name: string): Promise<string[]> => {
      const client = new Client({ name, version: "1.0.0" }, MODERN);
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, "serve", "--config", temp.registry],
          env,
        }),
      );
      try {
        expect(client.getProtocolEra()).toBe("modern");
        return names((await client.listTools()).tools);
      } finally {
        await client.close();
      }
    };
    expect(await listFor("cursor-vscode")).toEqual(["search", "execute_code", "list_servers"]);
    expect((await listFor("claude-code")).length).toBeGreaterThan(40);
  });

  it("serve --profile serves only the profile, with the override and the shortened name", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--config", temp.registry, "--profile", "work"],
      env,
      stderr: "pipe",
    });
    const client = new Client({ name: "voidmcp-e2e", version: "1.0.0" });
    await client.connect(transport);
    try {
      const listed = names((await client.listTools()).tools);
      expect(listed).toContain("alpha__say");
      expect(listed).not.toContain("alpha__echo");
      expect(listed).not.toContain("alpha__fail");
      expect(listed.some((name) => name.startsWith("beta__"))).toBe(false);
      const said = (await client.listTools()).tools.find((t) => t.name === "alpha__say");
      expect(said?.description).toBe("Says the message back (renamed by the registry)");

      // Every name fits every client: a letter first, [A-Za-z0-9_-], mcp__voidmcp__ + name ≤ 64.
      for (const name of listed) {
        expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
        expect(`mcp__voidmcp__${name}`.length).toBeLessThanOrEqual(64);
      }
      const long = listed.find((name) => name.startsWith("p".repeat(41)));
      // 45 + "__echo" is 51 characters: cut to the default budget of 50 with a stable hash.
      expect(long).toMatch(/^p{41}_[0-9a-f]{8}$/);

      const echoed = await client.callTool({ name: "alpha__say", arguments: { text: "hello" } });
      expect(echoed.isError).toBeFalsy();
      expect(textOf(echoed)).toContain("hello");
      const shortened = await client.callTool({ name: long ?? "", arguments: { text: "via hash" } });
      expect(textOf(shortened)).toContain("via hash");

      // Outside the profile is as unknown as a tool nobody serves, directly and from a script.
      await expect(client.callTool({ name: "beta__echo", arguments: { text: "x" } })).rejects.toThrow(
        'unknown tool "beta__echo"',
      );
      const script = await client.callTool({
        name: "execute_code",
        arguments: {
          code: "const inside = await tools.alpha.echo({ text: 'in' }); let out; try { await tools.beta.echo({ text: 'x' }); out = 'called'; } catch (e) { out = String(e.message); } const found = await search('echo', { detail: 'names' }); return { inside, out, servers: found.tools.map((t) => t.server) };",
        },
      });
      const value = JSON.parse(textOf(script)) as { inside: unknown; out: string; servers: string[] };
      expect(JSON.stringify(value.inside)).toContain("in");
      expect(value.out).not.toBe("called");
      expect(value.servers.length).toBeGreaterThan(0);
      expect(value.servers).not.toContain("beta");

      const report = await client.callTool({ name: "list_servers", arguments: {} });
      const structured = report.structuredContent as {
        profile: { name: string };
        servers: Array<{ name: string }>;
        clients: Array<{ profile: string; exposure: string; reason: string; name: string }>;
      };
      expect(structured.profile.name).toBe("work");
      expect(structured.servers.map((s) => s.name).sort()).toEqual(["alpha", "long"]);
      expect(structured.clients).toEqual([
        expect.objectContaining({
          name: "voidmcp-e2e",
          profile: "work",
          exposure: "direct",
          reason: 'expose is "direct"',
        }),
      ]);
    } finally {
      await client.close();
    }
  });

  it("refuses an unknown profile on the command line with exit 2, naming the known ones", async () => {
    const result = await runCli(["serve", "--config", temp.registry, "--profile", "nope"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no profile "nope" in the registry; known: work, betaonly');
    expect(result.stdout).toBe("");
  });

  it("init --profile writes serve --profile NAME, and refuses an unknown profile", async () => {
    const file = join(temp.dir, "cursor-mcp.json");
    const ok = await runCli(
      ["init", "cursor", "--file", file, "--config", temp.registry, "--profile", "work", "--json"],
      {
        env,
      },
    );
    expect(ok.code).toBe(0);
    const entry = (JSON.parse(ok.stdout) as { entry: { args: string[] } }).entry;
    expect(entry.args.slice(-2)).toEqual(["--profile", "work"]);
    expect(entry.args).toContain("serve");
    const bad = await runCli(
      ["init", "cursor", "--file", file, "--config", temp.registry, "--profile", "nope"],
      {
        env,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no profile "nope"');
  });

  describe("over HTTP", () => {
    let gateway: HttpGateway;
    beforeAll(async () => {
      gateway = await startHttpGateway(temp.registry, { env });
    });
    afterAll(async () => {
      await gateway.stop();
    });

    it("serves /mcp/NAME with the same token, and /mcp whole", async () => {
      const profiled = await connectHttp(`${gateway.url}/betaonly`, { token: TOKEN });
      const whole = await connectHttp(gateway.url, { token: TOKEN, name: "claude-code" });
      try {
        const listed = names((await profiled.client.listTools()).tools);
        expect(listed.filter((n) => n.includes("__")).sort()).toEqual(["beta__add", "beta__echo"]);
        const added = await profiled.client.callTool({ name: "beta__add", arguments: { a: 2, b: 3 } });
        expect(textOf(added)).toContain("5");
        await expect(
          profiled.client.callTool({ name: "alpha__say", arguments: { text: "x" } }),
        ).rejects.toThrow('unknown tool "alpha__say"');
        const prompts = (await profiled.client.listPrompts()).prompts;
        expect(prompts.every((p) => p.name.startsWith("beta__"))).toBe(true);

        const all = names((await whole.client.listTools()).tools);
        expect(all).toContain("alpha__say");
        expect(all).toContain("beta__echo");
      } finally {
        await profiled.close();
        await whole.close();
      }
    });

    it("answers an unknown profile with 404 and a JSON-RPC error naming the known ones", async () => {
      const response = await rawRequest(`${gateway.url}/nope`, {
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "x", version: "1" },
          },
        }),
      });
      expect(response.status).toBe(404);
      const body = JSON.parse(response.body) as { error: { message: string } };
      expect(body.error.message).toContain('no profile "nope" in the registry; known: work, betaonly');
      // Without the token nothing is said about profiles.
      const anonymous = await rawRequest(`${gateway.url}/nope`, { method: "POST", body: "{}" });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).not.toContain("work");
    });

    it("gives each client the exposure that fits it, and list_servers says why", async () => {
      const cursor = await connectHttp(gateway.url, { token: TOKEN, name: "cursor-vscode" });
      const claude = await connectHttp(gateway.url, { token: TOKEN, name: "claude-code" });
      try {
        const forCursor = names((await cursor.client.listTools()).tools);
        const forClaude = names((await claude.client.listTools()).tools);
        expect(forCursor).toEqual(["search", "execute_code", "list_servers"]);
        expect(forClaude.length).toBeGreaterThan(40);
        const report = await claude.client.callTool({ name: "list_servers", arguments: {} });
        const clients = (report.structuredContent as { clients: Array<Record<string, string>> }).clients;
        const of = (name: string) => clients.find((c) => c.name === name);
        expect(of("cursor-vscode")).toMatchObject({
          exposure: "code",
          reason: expect.stringContaining("Cursor's 40"),
        });
        expect(of("claude-code")).toMatchObject({
          exposure: "direct",
          reason: expect.stringContaining("Claude Code"),
        });
      } finally {
        await cursor.close();
        await claude.close();
      }
    });

    it("recognises a 2026-07-28 client over HTTP by the clientInfo each request carries", async () => {
      const cursor = await connectHttp(gateway.url, {
        token: TOKEN,
        name: "cursor-vscode",
        capabilities: MODERN,
      });
      const claude = await connectHttp(gateway.url, {
        token: TOKEN,
        name: "claude-code",
        capabilities: MODERN,
      });
      try {
        expect(cursor.client.getProtocolEra()).toBe("modern");
        expect(names((await cursor.client.listTools()).tools)).toEqual([
          "search",
          "execute_code",
          "list_servers",
        ]);
        expect((await claude.client.listTools()).tools.length).toBeGreaterThan(40);
      } finally {
        await cursor.close();
        await claude.close();
      }
    });

    it("follows the registry: a profile edited in takes effect, an edit of an unknown server is rejected", async () => {
      const url = `${gateway.url}/later`;
      const before = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        body: "{}",
      });
      expect(before.status).toBe(404);
      await writeFile(
        temp.registry,
        JSON.stringify(registryDocument({ ...PROFILES, later: { servers: ["beta"] } })),
      );
      expect(
        await eventually(async () => {
          const r = await fetch(url, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}` },
            body: "{}",
          });
          return r.status !== 404;
        }, 10_000),
      ).toBe(true);
      // A profile of a server that is not registered is a rejected edit: the live one stays.
      await writeFile(
        temp.registry,
        JSON.stringify(registryDocument({ ...PROFILES, later: { servers: ["gamma"] } })),
      );
      expect(await eventually(() => gateway.stderr().includes('unknown server "gamma"'), 10_000)).toBe(true);
      const still = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        body: "{}",
      });
      expect(still.status).not.toBe(404);
      await writeFile(temp.registry, JSON.stringify(registryDocument(PROFILES)));
    });
  });
});
