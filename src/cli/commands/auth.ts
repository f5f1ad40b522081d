import { VoidError } from "../../core/index.js";
import {
  DEFAULT_SIGN_IN_TIMEOUT_MS,
  oauthContext,
  openBrowser,
  type SignInStatus,
  signIn,
  signInStatus,
  signOut,
} from "../../gateway/index.js";
import { expandServer, type Registry, type RemoteServerSpec } from "../../registry/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { formatTable, type Io, printJson } from "../io.js";
import { loadRegistryFrom, requireServer } from "../shared.js";

function remoteServer(registry: Registry, name: string): RemoteServerSpec {
  requireServer(registry, name);
  const spec = registry.servers.find((s) => s.name === name);
  if (spec === undefined || spec.transport === "stdio") {
    throw new VoidError("usage", `server "${name}" is a local (stdio) server: only remote servers sign in`);
  }
  return spec;
}

function timeoutFrom(raw: unknown): number {
  if (raw === undefined) return DEFAULT_SIGN_IN_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new VoidError("usage", `--timeout must be a positive number of milliseconds, not "${String(raw)}"`);
  }
  return value;
}

function describeStatus(status: SignInStatus, headers: boolean, now: number): string {
  if (headers) return "uses the Authorization header of its entry";
  switch (status.state) {
    case "signed-in": {
      const left =
        status.expiresAt === undefined
          ? ""
          : `, token valid for ${Math.max(0, Math.round((status.expiresAt - now) / 1000))} s`;
      return `signed in at ${status.issuer ?? "?"}${left}${status.refreshable ? ", refreshable" : ""}`;
    }
    case "expired":
      return `signed in at ${status.issuer ?? "?"}; token expired, refreshed on next use`;
    case "signed-out":
      return `not signed in (voidmcp auth ${status.server})`;
    default: {
      const exhaustive: never = status.state;
      return exhaustive;
    }
  }
}

async function listStatus(registry: Registry, io: Io, json: boolean): Promise<number> {
  const context = oauthContext(io.env);
  const now = Date.now();
  const remote = registry.servers.filter((s): s is RemoteServerSpec => s.transport !== "stdio");
  const rows = await Promise.all(
    remote.map(async (spec) => {
      const headers = Object.keys(spec.headers).some((key) => key.toLowerCase() === "authorization");
      return { spec, headers, status: await signInStatus(spec.name, context, now) };
    }),
  );
  if (json) {
    printJson(
      io,
      rows.map(({ spec, headers, status }) => ({
        ...status,
        state: headers ? "headers" : status.state,
        url: spec.url,
      })),
    );
    return 0;
  }
  if (rows.length === 0) {
    io.err(`No remote servers registered in ${registry.path}.`);
    return 0;
  }
  io.out(
    formatTable(
      ["NAME", "STATE", "DETAIL"],
      rows.map(({ spec, headers, status }) => [
        spec.name,
        headers ? "headers" : status.state,
        describeStatus(status, headers, now),
      ]),
    ),
  );
  return 0;
}

export const authCommand: Command = {
  name: "auth",
  summary: "sign in to a remote server with OAuth (or --logout); alone: each server's sign-in state",
  usage: "auth [<server>] [--no-browser] [--logout] [--timeout MS] [options]",
  details: `Signs in to a registered remote (http/sse) server that uses OAuth: finds its authorization
server, registers voidmcp with it (or uses "oauth": { "clientId", "clientSecret" } from the entry),
and opens the browser at its sign-in page. The browser comes back to 127.0.0.1 on a port kept for
this server, so the registration is reused next time. Tokens go to the credential store, never
into the registry; running gateways pick them up within a second or two.

  voidmcp auth                     every remote server's sign-in state
  voidmcp auth linear              sign in (opens the browser)
  voidmcp auth linear --no-browser print the URL on stderr instead, and wait
  voidmcp auth linear --logout     forget the server's tokens and registration`,
  options: [
    {
      name: "no-browser",
      type: "boolean",
      description: "print the sign-in URL on stderr instead of opening it",
    },
    { name: "logout", type: "boolean", description: "forget this server's credentials" },
    {
      name: "timeout",
      type: "string",
      value: "MS",
      description: `how long to wait for the browser (default ${DEFAULT_SIGN_IN_TIMEOUT_MS})`,
    },
    CONFIG_OPTION,
    JSON_OPTION,
    HELP_OPTION,
  ],
  async run(args, io) {
    const json = args.options.json === true;
    const registry = await loadRegistryFrom(args, io);
    if (args.positionals.length === 0) {
      if (args.options.logout === true) throw new VoidError("usage", "--logout needs a server name");
      return listStatus(registry, io, json);
    }
    if (args.positionals.length > 1) {
      throw new VoidError("usage", `unexpected arguments: ${args.positionals.slice(1).join(" ")}`);
    }
    const name = args.positionals[0] as string;
    const spec = expandServer(remoteServer(registry, name), io.env);
    const context = oauthContext(io.env);
    if (args.options.logout === true) {
      const result = await signOut(name, context, spec.oauth?.clientSecret);
      if (json) printJson(io, { server: name, ...result });
      else if (result.forgot === 0) io.out(`No credentials stored for "${name}".`);
      else io.out(`Signed out of "${name}"${result.revoked ? " (the server revoked the token)" : ""}.`);
      return 0;
    }
    const noBrowser = args.options["no-browser"] === true;
    const result = await signIn({
      spec,
      context,
      timeoutMs: timeoutFrom(args.options.timeout),
      say: (line) => io.err(line),
      present: async (url) => {
        if (!noBrowser && (await openBrowser(url))) {
          io.err(`Opened the browser to sign in to "${name}". If it did not appear, open:\n${url}`);
          return;
        }
        io.err(`Open this URL in a browser to sign in to "${name}":\n${url}`);
        io.err("Waiting for the browser to come back…");
      },
    });
    if (json) {
      printJson(io, { server: name, ...result });
    } else {
      const how = result.reusedRegistration
        ? "reused its registration"
        : `registered: ${result.registration}`;
      io.out(`Signed in to "${name}" at ${result.issuer} (${how}, callback port ${result.redirectPort}).`);
    }
    return 0;
  },
};
