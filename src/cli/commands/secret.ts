import { VoidError } from "../../core/index.js";
import { loadRegistry, type ServerSpec } from "../../registry/index.js";
import {
  assertSecretName,
  type CredentialStore,
  openCredentialStore,
  SECRET_KEY_PREFIX,
  secretKey,
} from "../../secrets/index.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { formatTable, type Io, printJson } from "../io.js";
import { registryPathFrom } from "../shared.js";
import { readSecretValue } from "./secret-input.js";
import { secretUsage, storeLabel } from "./secret-usage.js";

const USAGE = "secret <set NAME | list | remove NAME> [options]";

/** The registered servers, or none when the registry cannot be read (listing secrets still works). */
async function registeredServers(path: string): Promise<readonly ServerSpec[]> {
  try {
    return (await loadRegistry(path)).servers;
  } catch {
    return [];
  }
}

function nameArgument(rest: readonly string[], verb: string): string {
  const [name, ...extra] = rest;
  if (name === undefined)
    throw new VoidError("usage", `secret ${verb} needs a NAME`, {
      hint: `voidmcp secret ${verb} GITHUB_TOKEN`,
    });
  if (extra.length > 0)
    throw new VoidError("usage", `unexpected arguments: ${extra.join(" ")}`, {
      hint:
        verb === "set"
          ? "the value is read from a hidden prompt or from stdin, never from the command line"
          : undefined,
    });
  assertSecretName(name);
  return name;
}

async function set(name: string, store: CredentialStore, io: Io, json: boolean): Promise<number> {
  const value = await readSecretValue(`Value for ${name} (not shown): `, {
    stdin: process.stdin,
    prompt: process.stderr,
  });
  if (value === "")
    throw new VoidError("usage", `refusing to store an empty value for ${name}; nothing was stored`, {
      hint: `type the value at the prompt, or pipe it in: printf %s "$VALUE" | voidmcp secret set ${name}`,
    });
  const replaced = (await store.get(secretKey(name))) !== undefined;
  await store.set(secretKey(name), value);
  if (json) printJson(io, { name, backend: store.backend, location: store.location ?? null, replaced });
  else
    io.err(
      `${replaced ? "Replaced" : "Stored"} secret ${name} in ${storeLabel(store)}. Use it as \${secret:${name}} in env, headers or url.`,
    );
  return 0;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

async function list(
  store: CredentialStore,
  servers: readonly ServerSpec[],
  io: Io,
  json: boolean,
): Promise<number> {
  const names = (await store.keys(SECRET_KEY_PREFIX)).map((key) => key.slice(SECRET_KEY_PREFIX.length));
  const usage = secretUsage(servers, names);
  if (json) {
    printJson(io, {
      backend: store.backend,
      location: store.location ?? null,
      secrets: usage.stored,
      missing: usage.missing,
    });
    return 0;
  }
  io.out(`Secrets in ${storeLabel(store)}:`);
  if (usage.stored.length === 0) io.out("  (none: add one with voidmcp secret set NAME)");
  else {
    const rows = usage.stored.map((s) => [
      s.name,
      s.usedBy.length > 0 ? `used by ${s.usedBy.join(", ")}` : "not used",
    ]);
    io.out(indent(formatTable(["NAME", "USED BY"], rows)));
  }
  if (usage.missing.length > 0) {
    io.out("Referenced in the registry but not stored:");
    const rows = usage.missing.map((m) => [
      m.name,
      `used by ${m.usedBy.join(", ")}`,
      `voidmcp secret set ${m.name}`,
    ]);
    io.out(indent(formatTable(["NAME", "USED BY", "TO FIX"], rows)));
  }
  return 0;
}

async function remove(name: string, store: CredentialStore, io: Io, json: boolean): Promise<number> {
  if (!(await store.delete(secretKey(name))))
    throw new VoidError("not_found", `no secret named ${name} in ${storeLabel(store)}`, {
      hint: "see voidmcp secret list",
    });
  if (json) printJson(io, { name, removed: true });
  else io.err(`Removed secret ${name} from ${storeLabel(store)}.`);
  return 0;
}

export const secretCommand: Command = {
  name: "secret",
  summary: "keep secrets for ${secret:NAME} in the credential store instead of the registry file",
  usage: USAGE,
  details: `Named secrets live in the credential store, never in the registry file. A registry entry uses one
as \${secret:NAME} in an env value, a header value or the url; it is read each time the server
connects. A running gateway restarts the servers whose secrets change, within about a second.

  secret set NAME      store a value: typed at a hidden prompt, or read from stdin when piped
                       (one trailing newline is dropped). Replaces an existing value.
  secret list          the stored names (never the values), which servers use each, and the
                       names the registry references that are not stored
  secret remove NAME   forget a secret

NAME is like an environment variable: letters, digits and _, not starting with a digit.

The store is the macOS Keychain, or the Secret Service on Linux (secret-tool) when one is
reachable, else the file $XDG_STATE_HOME/voidmcp/credentials.json (mode 0600). Choose with
VOIDMCP_CREDENTIAL_STORE=auto|file|keychain|secret-service.

Examples:
  voidmcp secret set GITHUB_TOKEN
  printf %s "$TOKEN" | voidmcp secret set GITHUB_TOKEN
  voidmcp add github https://api.githubcopilot.com/mcp/ --header "Authorization: Bearer \${secret:GITHUB_TOKEN}"`,
  options: [CONFIG_OPTION, JSON_OPTION, HELP_OPTION],
  async run(args, io) {
    const [verb, ...rest] = args.positionals;
    const json = args.options.json === true;
    switch (verb) {
      case "set": {
        const name = nameArgument(rest, "set");
        return set(name, await openCredentialStore({ env: io.env }), io, json);
      }
      case "remove":
      case "rm": {
        const name = nameArgument(rest, "remove");
        return remove(name, await openCredentialStore({ env: io.env }), io, json);
      }
      case "list":
      case "ls": {
        if (rest.length > 0) throw new VoidError("usage", `unexpected arguments: ${rest.join(" ")}`);
        const servers = await registeredServers(registryPathFrom(args, io));
        return list(await openCredentialStore({ env: io.env }), servers, io, json);
      }
      case undefined:
        throw new VoidError("usage", "secret needs set, list or remove", { hint: `voidmcp ${USAGE}` });
      default:
        throw new VoidError("usage", `unknown secret command "${verb}"`, { hint: `voidmcp ${USAGE}` });
    }
  },
};
