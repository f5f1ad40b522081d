/** The port `voidmcp serve --http` listens on unless told otherwise. */
export const DEFAULT_SELF_PORT = 7_420;

/** What an entry needs to show to be recognised (a raw registry entry or a client's entry). */
export interface EntryShape {
  readonly command?: unknown;
  readonly args?: unknown;
  readonly url?: unknown;
  readonly headers?: unknown;
}

/** What this machine's voidmcp is reached by. */
export interface SelfFacts {
  /** Ports where a voidmcp on this machine serves HTTP (at least DEFAULT_SELF_PORT). */
  readonly ports: readonly number[];
  /** This registry's HTTP token: a URL entry sending it is talking to this very gateway. */
  readonly token?: string | undefined;
}

export const DEFAULT_SELF_FACTS: SelfFacts = { ports: [DEFAULT_SELF_PORT] };

/** Runtimes that run a script given as their first non-option argument. */
const RUNTIMES = /^(node|nodejs|bun|deno|tsx)(\.exe)?$/i;
/** Package runners: `npx [-y] voidmcp`, `bunx voidmcp`, `pnpm dlx voidmcp`, `npm exec voidmcp`. */
const RUNNERS = /^(npx|bunx|pnpx)(\.cmd|\.exe)?$/i;
/** voidmcp's programs: the bin, a compiled binary (`voidmcp-linux-x64`), the bundle (`voidmcp.mjs`). */
const PROGRAM = /^voidmcp([-.][\w.-]*)?$/i;
/** The built CLI of a checkout. */
const CHECKOUT_MAIN = /(^|[\\/])dist[\\/]src[\\/]cli[\\/]main\.js$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|\[::\])$/i;

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A package spec that names voidmcp: `voidmcp`, `voidmcp@latest`, `voidmcp@0.1.0`. */
function isVoidmcpPackage(spec: string): boolean {
  return /^voidmcp(@[\w.^~<>=-]*)?$/i.test(spec);
}

function stdioReason(command: string, args: readonly string[]): string | undefined {
  // voidmcp is an MCP server only as `serve`; `voidmcp list` and the like are not (and do not loop).
  if (!args.includes("serve")) return undefined;
  const program = baseName(command);
  if (PROGRAM.test(program)) return `its command runs voidmcp (${program})`;
  if (RUNTIMES.test(program)) {
    const script = args.find((arg) => !arg.startsWith("-"));
    if (script !== undefined && (PROGRAM.test(baseName(script)) || CHECKOUT_MAIN.test(script))) {
      return `its command runs voidmcp (${program} ${baseName(script)})`;
    }
    return undefined;
  }
  const rest = RUNNERS.test(program)
    ? args
    : /^(npm|pnpm|yarn)(\.cmd|\.exe)?$/i.test(program) && ["exec", "dlx", "x"].includes(args[0] ?? "")
      ? args.slice(1)
      : undefined;
  const pkg = rest?.find((arg) => !arg.startsWith("-"));
  if (pkg !== undefined && isVoidmcpPackage(pkg)) return `its command runs voidmcp (${program} ${pkg})`;
  return undefined;
}

function bearerOf(headers: unknown): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== "authorization" || typeof value !== "string") continue;
    return /^Bearer\s+(.+)$/i.exec(value.trim())?.[1]?.trim();
  }
  return undefined;
}

function urlReason(raw: string, headers: unknown, facts: SelfFacts): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" || !LOOPBACK.test(url.hostname)) return undefined;
  if (url.pathname.replace(/\/+$/, "") !== "/mcp") return undefined;
  const port = url.port === "" ? 80 : Number(url.port);
  if (facts.token !== undefined && facts.token !== "" && bearerOf(headers) === facts.token) {
    return `its URL is voidmcp's own endpoint (it sends this registry's token)`;
  }
  if (facts.ports.includes(port)) return `its URL is voidmcp's own endpoint (port ${port})`;
  return undefined;
}

/**
 * Pure: why an entry is voidmcp itself, or undefined when it is not recognised as such. Catches
 * the obvious spellings only: a stdio command whose program is voidmcp (`voidmcp`, a path ending
 * in `/voidmcp`, `node …/voidmcp.mjs`, `node …/dist/src/cli/main.js`, `npx [-y] voidmcp`) run as
 * `serve`, and a
 * loopback `/mcp` URL on a port where voidmcp serves or carrying this registry's token. Loops
 * built any other way are caught at run time (the X-Voidmcp-Chain header, VOIDMCP_CHAIN).
 */
export function selfEntryReason(
  entry: EntryShape,
  facts: SelfFacts = DEFAULT_SELF_FACTS,
): string | undefined {
  if (typeof entry.command === "string") return stdioReason(entry.command, strings(entry.args));
  if (typeof entry.url === "string") return urlReason(entry.url, entry.headers, facts);
  return undefined;
}
