import { resolve } from "node:path";
import { VoidError } from "../../core/index.js";
import {
  addServerEntry,
  editRegistryFile,
  type RawServerEntry,
  selfEntryReason,
} from "../../registry/index.js";
import { parsePairs } from "../args.js";
import { CONFIG_OPTION, type Command, HELP_OPTION, JSON_OPTION } from "../command.js";
import { printJson } from "../io.js";
import { registryPathFrom } from "../shared.js";
import { selfFacts } from "./self-facts.js";

const list = (value: unknown): readonly string[] => (Array.isArray(value) ? value : []);

export const addCommand: Command = {
  name: "add",
  summary: "register a server (a command to run, or an http(s) URL)",
  usage: "add <name> <url | command [args...]> [options]",
  details: `Adds a server to the registry file. Give a URL for a remote Streamable HTTP (or SSE) server,
or a command and its arguments for a local stdio server. Options may come before or after the
positionals; after the command, options voidmcp does not know are passed to the server, and
everything after "--" is passed untouched. voidmcp itself (a voidmcp command, or its own HTTP
endpoint) is refused: it would be its own upstream.

Examples:
  voidmcp add files npx -y @modelcontextprotocol/server-filesystem ~/src
  voidmcp add github https://api.example.com/mcp --header "Authorization: Bearer \${GITHUB_TOKEN}"
  voidmcp add local --env LOG=1 --cwd ~/tool -- node server.js --verbose`,
  options: [
    {
      name: "env",
      type: "list",
      value: "KEY=VALUE",
      description: "environment variable for a stdio server (repeatable)",
    },
    {
      name: "header",
      type: "list",
      value: "KEY:VALUE",
      description: "HTTP header for a remote server (repeatable)",
    },
    { name: "cwd", type: "string", value: "DIR", description: "working directory of a stdio server" },
    {
      name: "type",
      type: "string",
      value: "http|sse",
      description: "remote transport (default http, with SSE fallback)",
    },
    {
      name: "prefix",
      type: "string",
      value: "PREFIX",
      description: 'prefix for exposed names (default: the name; "" for none)',
    },
    { name: "disabled", type: "boolean", description: "register it without starting it" },
    CONFIG_OPTION,
    JSON_OPTION,
    HELP_OPTION,
  ],
  passThroughAfter: 2,
  async run(args, io) {
    const [name, target, ...rest] = args.positionals;
    if (name === undefined || target === undefined) {
      throw new VoidError("usage", "add needs a name and a URL or command", {
        hint: "voidmcp add <name> <url | command [args...]>",
      });
    }
    const remote = /^https?:\/\//i.test(target);
    const env = parsePairs(list(args.options.env), "=", "--env");
    const headers = parsePairs(list(args.options.header), ":", "--header");
    const cwd = args.options.cwd;
    const type = args.options.type;
    const entry: RawServerEntry = {};
    if (remote) {
      if (rest.length > 0)
        throw new VoidError("usage", `unexpected arguments after the URL: ${rest.join(" ")}`);
      if (Object.keys(env).length > 0 || cwd !== undefined) {
        throw new VoidError("usage", "--env and --cwd apply to stdio servers only", {
          hint: "a remote server takes --header instead",
        });
      }
      if (type !== undefined && type !== "http" && type !== "sse") {
        throw new VoidError("usage", `--type must be "http" or "sse", not "${String(type)}"`);
      }
      if (type !== undefined) entry.type = type;
      entry.url = target;
      if (Object.keys(headers).length > 0) entry.headers = headers;
    } else {
      if (Object.keys(headers).length > 0 || type !== undefined) {
        throw new VoidError("usage", "--header and --type apply to remote servers only", {
          hint: "give an http(s) URL to register a remote server",
        });
      }
      entry.command = target;
      if (rest.length > 0) entry.args = rest;
      if (Object.keys(env).length > 0) entry.env = env;
      // Stored absolute: the IDE starts voidmcp from a directory of its own choosing.
      if (typeof cwd === "string") entry.cwd = cwd.includes("${") ? cwd : resolve(io.cwd, cwd);
    }
    if (typeof args.options.prefix === "string") entry.prefix = args.options.prefix;
    if (args.options.disabled === true) entry.enabled = false;

    const path = registryPathFrom(args, io);
    const self = selfEntryReason(entry, await selfFacts(path, io.env));
    if (self !== undefined) {
      throw new VoidError(
        "usage",
        `"${name}" is voidmcp itself (${self}); registering it would make voidmcp its own upstream`,
        {
          hint: "register the servers voidmcp should offer; to connect an MCP client to voidmcp, use `voidmcp init <client>`",
        },
      );
    }
    const { created } = await editRegistryFile(path, (doc) => addServerEntry(doc, name, entry));
    if (args.options.json === true) {
      printJson(io, { added: name, entry, registry: path, created });
    } else {
      const what = remote ? entry.url : [entry.command, ...(entry.args ?? [])].join(" ");
      io.out(`Added "${name}" (${remote ? (entry.type ?? "http") : "stdio"}: ${what}) to ${path}`);
      if (created) io.err(`Created ${path} (mode 0600).`);
    }
    return 0;
  },
};
