import { describe, expect, it } from "vitest";
import { expandServer } from "./expand.js";
import { parseRegistryText } from "./parse.js";
import { voidErrorOf } from "./test-helpers.js";

const FILE = "/home/me/.config/voidmcp/servers.json";
const withOAuth = (entry: Record<string, unknown>) =>
  JSON.stringify({ mcpServers: { linear: { url: "https://mcp.example/mcp", ...entry } } });

describe("a remote server's oauth settings", () => {
  it("are read into the spec, and clientSecret expands ${VAR} like headers", () => {
    const registry = parseRegistryText(
      withOAuth({
        oauth: { clientId: "cid", clientSecret: "${LINEAR_SECRET}", scopes: ["read"], redirectPort: 8765 },
      }),
      FILE,
    );
    const spec = registry.servers[0];
    if (spec?.transport !== "http") throw new Error("expected a remote spec");
    expect(spec.oauth).toEqual({
      clientId: "cid",
      clientSecret: "${LINEAR_SECRET}",
      scopes: ["read"],
      redirectPort: 8765,
    });
    expect(expandServer(spec, { LINEAR_SECRET: "s3" }).oauth?.clientSecret).toBe("s3");
  });

  it.each([
    { what: "an unknown key", oauth: { clientID: "x" }, message: "oauth takes only" },
    { what: "a port out of range", oauth: { redirectPort: 70_000 }, message: "port from 1 to 65535" },
    {
      what: "a plain-http metadata document",
      oauth: { clientMetadataUrl: "http://me.example/c.json" },
      message: "https",
    },
    { what: "a secret without an id", oauth: { clientSecret: "s" }, message: "clientSecret needs clientId" },
    { what: "scopes not strings", oauth: { scopes: [1] }, message: "oauth.scopes[0]: expected a string" },
  ])("refuses $what", ({ oauth, message }) => {
    const error = voidErrorOf(() => parseRegistryText(withOAuth({ oauth }), FILE));
    expect(error.message).toContain(message);
  });

  it("is refused on a local server", () => {
    const text = JSON.stringify({ mcpServers: { x: { command: "node", oauth: { clientId: "c" } } } });
    expect(voidErrorOf(() => parseRegistryText(text, FILE)).message).toContain("oauth is for remote servers");
  });
});
