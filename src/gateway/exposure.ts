import type { Exposure } from "../registry/index.js";
import { META_TOOL_NAMES } from "./meta-tools.js";

/** Above this many upstream tools, `auto` stops listing them one by one for a client of unknown limits. */
export const AUTO_DIRECT_MAX_TOOLS = 60;

/** What a client is known to take, recognised by the name it gives in `initialize` (clientInfo.name). */
export interface ClientToolLimit {
  /** Tested against clientInfo.name; the first entry that matches counts. */
  readonly pattern: RegExp;
  /** As people call the client. */
  readonly label: string;
  /** The most tools voidmcp lists to it one by one, its own meta-tools included. */
  readonly maxTools: number;
  /** Why, for list_servers. */
  readonly because: string;
}

/**
 * Measured limits (NOTES.md, "Client limits"), by the clientInfo.name each client sends. Cursor
 * first: it calls itself `cursor-vscode`, which the VS Code pattern would also match. Claude Code
 * defers loading tools itself (tool search) once they take much of its context, so a long list
 * costs it little.
 *
 * Which names were seen from the real client (test/clients, `npm run test:clients`, which asserts
 * them) and which are not verified here:
 * - Claude Code: `claude-code` (title "Claude Code", version 2.1.332), over stdio and HTTP alike;
 *   it speaks 2026-07-28 on both, so the name comes in each request's `_meta`, not in initialize.
 * - Cursor: `cursor-vscode`, from NOTES.md; Cursor cannot run here.
 * - Windsurf, VS Code / Copilot, Claude Desktop: not verified (desktop apps that cannot run
 *   here); the patterns are deliberately loose.
 * Seen, and of no known limit, so on AUTO_DIRECT_MAX_TOOLS: Gemini CLI `gemini-cli-mcp-client`
 * 0.61.0 in a session (`gemini mcp list` connects as `mcp-test-client` 0.0.1 and lists no tools),
 * Codex `codex-mcp-client` 0.171.0 (title "Codex"), both over stdio and HTTP.
 */
export const CLIENT_TOOL_LIMITS: readonly ClientToolLimit[] = [
  // Not run here: `cursor-vscode` per NOTES.md.
  { pattern: /^cursor/i, label: "Cursor", maxTools: 40, because: "it warns or fails past 40 tools" },
  // Not verified.
  { pattern: /windsurf|codeium/i, label: "Windsurf", maxTools: 100, because: "it takes 100 tools in total" },
  {
    // Not verified: VS Code is expected to send its product name (`Visual Studio Code`).
    pattern: /visual studio code|vscode|copilot/i,
    label: "VS Code / Copilot",
    maxTools: 128,
    because: "it sends at most 128 tools per request",
  },
  {
    // Not verified: `claude-ai` is what Claude Desktop is reported to send.
    pattern: /^claude-ai$|claude desktop/i,
    label: "Claude Desktop",
    maxTools: 100,
    because: "it drops tools past about 100",
  },
  {
    // Observed: `claude-code` from Claude Code 2.1.332 (stdio and HTTP).
    pattern: /^claude-code$/i,
    label: "Claude Code",
    maxTools: 250,
    because: "it defers loading tools itself",
  },
];

/** The known limit of the client called `clientName`, if any. */
export function clientToolLimit(clientName: string | undefined): ClientToolLimit | undefined {
  if (clientName === undefined) return undefined;
  return CLIENT_TOOL_LIMITS.find((limit) => limit.pattern.test(clientName));
}

export interface ExposureDecision {
  /** Whether upstream tools are listed one by one (else only the meta-tools). */
  readonly direct: boolean;
  /** One sentence for list_servers. */
  readonly reason: string;
}

/**
 * Whether upstream tools are listed to one client as tools of their own (pure).
 * `code` lists only the meta-tools, `direct` everything. `auto` lists upstream tools while they
 * fit what the client takes (CLIENT_TOOL_LIMITS, its meta-tools counted; AUTO_DIRECT_MAX_TOOLS
 * upstream tools for a client it does not know); above that it relies on Code Mode, so while
 * Code Mode is not available it stays direct, because a client must always be able to call
 * every tool somehow.
 */
export function decideExposure(
  mode: Exposure,
  toolCount: number,
  codeModeAvailable: boolean,
  clientName?: string,
): ExposureDecision {
  switch (mode) {
    case "direct":
      return { direct: true, reason: 'expose is "direct"' };
    case "code":
      return { direct: false, reason: 'expose is "code"' };
    case "auto": {
      if (!codeModeAvailable) return { direct: true, reason: "auto, and Code Mode is not available" };
      const limit = clientToolLimit(clientName);
      const tools = `${toolCount} tool${toolCount === 1 ? "" : "s"}`;
      if (limit === undefined) {
        const direct = toolCount <= AUTO_DIRECT_MAX_TOOLS;
        const who =
          clientName === undefined
            ? "a client that gave no name"
            : `"${clientName}", a client of unknown limits`;
        return {
          direct,
          reason: `auto: ${tools} ${direct ? "within" : "over"} ${AUTO_DIRECT_MAX_TOOLS}, the threshold for ${who}`,
        };
      }
      const total = toolCount + META_TOOL_NAMES.length;
      const direct = total <= limit.maxTools;
      return {
        direct,
        reason: `auto: ${tools} + ${META_TOOL_NAMES.length} meta-tools ${direct ? "fit" : "exceed"} ${limit.label}'s ${limit.maxTools} (${limit.because})${direct ? "" : ", so they are reached through search and execute_code"}`,
      };
    }
    default: {
      const exhaustive: never = mode;
      return exhaustive;
    }
  }
}

/** Whether upstream tools are listed one by one to a client of unknown limits (pure). */
export function exposeDirect(mode: Exposure, toolCount: number, codeModeAvailable: boolean): boolean {
  return decideExposure(mode, toolCount, codeModeAvailable).direct;
}
