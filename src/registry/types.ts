/**
 * The registry after parsing and normalising: what the rest of voidmcp works with.
 * The raw file shape (zod schema) lives in schema.ts; nothing outside registry/ sees it.
 */

export type Exposure = "auto" | "code" | "direct";

export interface ToolFilter {
  /** When set, only these upstream tool names are exposed. */
  readonly allow?: readonly string[];
  /** These upstream tool names are never exposed (applied after allow). */
  readonly deny?: readonly string[];
}

interface ServerSpecBase {
  /** The key in `mcpServers`. */
  readonly name: string;
  readonly enabled: boolean;
  /** Prefix for exposed names; defaults to `name`; "" mounts the server's names unprefixed. */
  readonly prefix: string;
  /** Per-call timeout for this server's tool calls. */
  readonly timeoutMs: number;
  readonly tools: ToolFilter;
}

export interface StdioServerSpec extends ServerSpecBase {
  readonly transport: "stdio";
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the gateway's own environment; values may hold `${VAR}` until expanded. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
}

export interface RemoteServerSpec extends ServerSpecBase {
  /** "http" is Streamable HTTP (falling back to legacy SSE when that is all the server speaks). */
  readonly transport: "http" | "sse";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type ServerSpec = StdioServerSpec | RemoteServerSpec;

export interface GatewaySettings {
  readonly expose: Exposure;
  /** How long the first tools/resources/prompts list waits for upstreams that are still starting. */
  readonly firstListWaitMs: number;
  /** Default per-call timeout when a server sets none. */
  readonly callTimeoutMs: number;
  /** Gateway-wide Code Mode settings, kept as written; the codemode layer parses them. */
  readonly codeMode: Readonly<Record<string, unknown>>;
}

export interface Registry {
  /** Absolute path of the file this came from (it may not exist: then the registry is empty). */
  readonly path: string;
  readonly exists: boolean;
  readonly version: number;
  readonly settings: GatewaySettings;
  /** In file order. */
  readonly servers: readonly ServerSpec[];
}

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
export const DEFAULT_FIRST_LIST_WAIT_MS = 5_000;
export const REGISTRY_VERSION = 1;
