/**
 * What an upstream is told about roots, and that one client's roots never reach another. Behind
 * `serve --http` (a shared front) three clients connect: one with roots A, one without roots, one
 * with roots C; none of them may see another's roots through an upstream, and an upstream without
 * roots of its own in the registry falls back on its own configuration. A server whose entry sets
 * `roots` is told those, whoever asks. Over stdio (one client) that client's roots are relayed,
 * and its roots/list_changed reaches the upstreams. Upstreams: the fixture (its `roots` tool
 * reports what it was told) and @modelcontextprotocol/server-filesystem (which replaces its
 * allowed directories with the roots it is told).
 */
import { mkdir, realpath, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectGateway,
  eventually,
  fixtureEntry,
  type GatewaySession,
  type TempDir,
  tempRegistry,
  textOf,
} from "./harness.js";
import { connectHttp, type HttpClient, type HttpGateway, startHttpGateway } from "./http-support.js";

const FILESYSTEM = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-filesystem/dist/index.js",
);

interface RootsReport {
  declared: boolean;
  kept: string[] | null;
  now: string[] | { error: string };
}

type Caller = Pick<HttpClient["client"], "callTool">;

async function fixtureRoots(client: Caller, server: string): Promise<RootsReport> {
  return JSON.parse(
    textOf(await client.callTool({ name: `${server}__roots`, arguments: {} })),
  ) as RootsReport;
}

/** The directories server-filesystem says it may access. */
async function allowed(client: Caller, server: string): Promise<string[]> {
  const text = textOf(await client.callTool({ name: `${server}__list_allowed_directories`, arguments: {} }));
  return text.split("\n").slice(1).filter(Boolean);
}

async function allReady(client: Caller, count: number): Promise<boolean> {
  const result = await client.callTool({ name: "list_servers", arguments: {} });
  const servers = (result.structuredContent as { servers: Array<{ state: string }> }).servers;
  return servers.length === count && servers.every((s) => s.state === "ready");
}

let temp: TempDir;
/** Real directories: r (the filesystem server's own), s (set in the registry), a, c, x, y (clients'). */
const dirs: Record<"r" | "s" | "a" | "c" | "x" | "y", string> = { r: "", s: "", a: "", c: "", x: "", y: "" };
const uri = (dir: string) => pathToFileURL(dir).href;

/** The same four upstreams for both fronts: fixture and filesystem, each with and without registry roots. */
function servers(): Record<string, unknown> {
  return {
    fixture: fixtureEntry(),
    owned: { ...fixtureEntry("--name", "owned"), roots: [dirs.s] },
    files: { command: process.execPath, args: [FILESYSTEM, dirs.r] },
    ownfiles: { command: process.execPath, args: [FILESYSTEM, dirs.r], roots: [uri(dirs.s)] },
  };
}

beforeAll(async () => {
  temp = await tempRegistry();
  const base = await realpath(temp.dir);
  for (const name of Object.keys(dirs) as Array<keyof typeof dirs>) {
    dirs[name] = join(base, `dir-${name}`);
    await mkdir(dirs[name]);
  }
});

afterAll(async () => {
  await temp?.cleanup();
});

describe("serve --http: three clients (roots A, none, roots C)", () => {
  let gateway: HttpGateway;
  const clients: Array<{ name: string; http: HttpClient; asked: number[] }> = [];

  async function connect(name: string, root: string | undefined): Promise<void> {
    const asked = [0];
    const http = await connectHttp(gateway.url, {
      token: "roots-token",
      name,
      ...(root ? { capabilities: { capabilities: { roots: { listChanged: true } } } } : {}),
    });
    if (root) {
      http.client.setRequestHandler("roots/list", () => {
        asked[0] = (asked[0] ?? 0) + 1;
        return { roots: [{ uri: uri(root), name }] };
      });
    }
    clients.push({ name, http, asked });
  }

  beforeAll(async () => {
    const registry = join(temp.dir, "http.json");
    await writeFile(registry, JSON.stringify({ expose: "direct", mcpServers: servers() }));
    gateway = await startHttpGateway(registry, { env: { VOIDMCP_TOKEN: "roots-token" } });
    // The client with roots A comes first: it is the one whose initialize starts the upstreams.
    await connect("alice", dirs.a);
    expect(await eventually(() => allReady(clients[0]?.http.client as Caller, 4), 30_000)).toBe(true);
    await connect("nobody", undefined);
    await connect("carol", dirs.c);
  }, 90_000);

  afterAll(async () => {
    for (const { http } of clients) await http.close();
    await gateway?.stop();
  });

  it("an upstream without registry roots is told none: it keeps its own configuration, for everyone", async () => {
    for (const { name, http } of clients) {
      const report = await fixtureRoots(http.client, "fixture");
      expect(report.declared, name).toBe(false);
      expect(report.kept, name).toBeNull();
      expect(await allowed(http.client, "files"), name).toEqual([dirs.r]);
    }
  });

  it("an upstream with registry roots is told those, whoever calls", async () => {
    for (const { name, http } of clients) {
      const report = await fixtureRoots(http.client, "owned");
      expect(report, name).toEqual({ declared: true, kept: [uri(dirs.s)], now: [uri(dirs.s)] });
      expect(await eventually(async () => (await allowed(http.client, "ownfiles"))[0] === dirs.s), name).toBe(
        true,
      );
      expect(await allowed(http.client, "ownfiles"), name).toEqual([dirs.s]);
    }
  });

  it("no client's roots ever reach another client, or any upstream; no client is asked", async () => {
    const seen = new Map<string, string>();
    for (const { name, http } of clients) {
      seen.set(
        name,
        JSON.stringify([
          await fixtureRoots(http.client, "fixture"),
          await fixtureRoots(http.client, "owned"),
          await allowed(http.client, "files"),
          await allowed(http.client, "ownfiles"),
        ]),
      );
    }
    // Another client's roots first (the leak that matters), then the client's own: an upstream
    // keeps what it is told, so even those would reach the next caller.
    expect(seen.get("nobody"), "nobody saw alice's roots").not.toContain(dirs.a);
    expect(seen.get("carol"), "carol saw alice's roots").not.toContain(dirs.a);
    expect(seen.get("alice"), "alice saw carol's roots").not.toContain(dirs.c);
    for (const [name, text] of seen) {
      for (const root of [dirs.a, dirs.c]) expect(text, `${name} saw ${root}`).not.toContain(root);
    }
    expect(clients.map((c) => c.asked[0])).toEqual([0, 0, 0]);
  });
});

describe("serve over stdio: the one client's roots", () => {
  let session: GatewaySession;
  let current = "";

  beforeAll(async () => {
    const registry = join(temp.dir, "stdio.json");
    await writeFile(registry, JSON.stringify({ expose: "direct", mcpServers: servers() }));
    current = dirs.x;
    session = await connectGateway(registry, {
      capabilities: { capabilities: { roots: { listChanged: true } } },
    });
    session.client.setRequestHandler("roots/list", () => ({ roots: [{ uri: uri(current), name: "mine" }] }));
    expect(await eventually(() => allReady(session.client, 4), 30_000)).toBe(true);
  }, 90_000);

  afterAll(async () => {
    await session?.close();
  });

  it("are relayed to upstreams without roots of their own, and a change reaches them", async () => {
    expect(
      await eventually(async () => (await fixtureRoots(session.client, "fixture")).kept?.[0] === uri(dirs.x)),
    ).toBe(true);
    expect(await eventually(async () => (await allowed(session.client, "files"))[0] === dirs.x)).toBe(true);
    current = dirs.y;
    await session.client.sendRootsListChanged();
    expect(
      await eventually(
        async () => (await fixtureRoots(session.client, "fixture")).kept?.[0] === uri(dirs.y),
        10_000,
      ),
      session.stderr(),
    ).toBe(true);
    expect(await eventually(async () => (await allowed(session.client, "files"))[0] === dirs.y, 10_000)).toBe(
      true,
    );
  });

  it("never replace the roots an entry sets in the registry", async () => {
    expect(await fixtureRoots(session.client, "owned")).toEqual({
      declared: true,
      kept: [uri(dirs.s)],
      now: [uri(dirs.s)],
    });
    expect(await allowed(session.client, "ownfiles")).toEqual([dirs.s]);
  });
});
