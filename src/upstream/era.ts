import type { ServerSpec } from "../registry/index.js";

/**
 * MCP's two protocol eras, as the 2026-07-28 specification names them: "legacy" servers open
 * with the `initialize` handshake (2025-11-25 and older), "modern" ones carry version, client
 * info and capabilities on every request and answer `server/discover` (2026-07-28 and later).
 */
export type ProtocolEra = "legacy" | "modern";

/** The registry's `protocol` setting; an absent key is "auto". */
export type ProtocolSetting = "auto" | ProtocolEra;

/** The modern revision voidmcp speaks to upstreams. */
export const MODERN_VERSION = "2026-07-28";

/**
 * How long a stdio server may take to answer the `server/discover` probe before it counts as a
 * legacy server (the specification: "does not respond within a reasonable timeout"). Some legacy
 * servers never answer requests that come before `initialize`; they cost this much per start.
 */
export const STDIO_PROBE_TIMEOUT_MS = 5_000;

export function protocolSetting(spec: ServerSpec): ProtocolSetting {
  return spec.protocol ?? "auto";
}

/** How one session connects, as the SDK client's negotiation options say it. */
export type ConnectPlan =
  /** The plain `initialize` handshake, no probe. */
  | { readonly kind: "legacy" }
  /** Probe with `server/discover`; fall back to `initialize` unless the answer is modern. */
  | { readonly kind: "probe" }
  /** `server/discover` must offer this version; no fallback. */
  | { readonly kind: "modern"; readonly version: string }
  /** This entry cannot be reached the way it asks. */
  | { readonly kind: "refuse"; readonly reason: string };

/**
 * Pure: how the next session of a server connects, from its setting, its transport and the era
 * the gateway remembers for it (see rememberAfterConnect). A remembered legacy verdict skips the
 * probe, which against a legacy server is a wasted round trip on every start; a remembered
 * modern verdict still probes, because the probe (`server/discover`) is also how a modern
 * server's capabilities are read.
 */
export function connectPlan(
  setting: ProtocolSetting,
  transport: ServerSpec["transport"],
  remembered: ProtocolEra | undefined,
): ConnectPlan {
  if (transport === "sse") {
    // The HTTP+SSE transport predates 2026-07-28; no modern server can be behind it.
    return setting === "modern"
      ? {
          kind: "refuse",
          reason: `protocol "modern" needs Streamable HTTP (type "http"), but the entry uses the legacy SSE transport (type "sse")`,
        }
      : { kind: "legacy" };
  }
  switch (setting) {
    case "legacy":
      return { kind: "legacy" };
    case "modern":
      return { kind: "modern", version: MODERN_VERSION };
    case "auto":
      return remembered === "legacy" ? { kind: "legacy" } : { kind: "probe" };
    default: {
      const exhaustive: never = setting;
      return exhaustive;
    }
  }
}

/** How a session's connect ended, as far as the era is concerned. */
export type ConnectOutcome =
  | { readonly kind: "connected"; readonly era: ProtocolEra }
  /** A stdio server ended its process when it got the `server/discover` probe. */
  | { readonly kind: "exited-on-probe" };

/**
 * Pure: the verdict to remember for a server after a session connected, or undefined to
 * remember nothing. The specification asks a client to cache the era for the lifetime of the
 * server process (stdio) or origin (HTTP). For HTTP the origin is the registry entry, so the
 * verdict stays until the entry changes. A stdio verdict belongs to that one process: the next
 * process probes again (in place, on itself, so no extra process is ever started), except that
 * a server that exits on the probe is remembered as legacy, or every restart would cost it a
 * process.
 */
export function rememberAfterConnect(
  transport: ServerSpec["transport"],
  outcome: ConnectOutcome,
): ProtocolEra | undefined {
  if (outcome.kind === "exited-on-probe") return "legacy";
  return transport === "stdio" ? undefined : outcome.era;
}

/** Pure: the era of a negotiated protocol version (dates compare as strings). */
export function eraOfVersion(version: string): ProtocolEra {
  return version >= MODERN_VERSION ? "modern" : "legacy";
}
