import { describe, expect, it } from "vitest";
import type { Exposure } from "../registry/index.js";
import { AUTO_DIRECT_MAX_TOOLS, clientToolLimit, decideExposure, exposeDirect } from "./exposure.js";

describe("exposeDirect", () => {
  it("switches auto at 60 tools", () => {
    expect(AUTO_DIRECT_MAX_TOOLS).toBe(60);
  });

  const cases: Array<{ mode: Exposure; count: number; codeMode: boolean; direct: boolean }> = [
    { mode: "direct", count: 0, codeMode: true, direct: true },
    { mode: "direct", count: 1_000, codeMode: true, direct: true },
    { mode: "direct", count: 1_000, codeMode: false, direct: true },
    { mode: "code", count: 0, codeMode: true, direct: false },
    { mode: "code", count: 1_000, codeMode: true, direct: false },
    // `code` is what the user asked for, even while Code Mode is not available.
    { mode: "code", count: 5, codeMode: false, direct: false },
    { mode: "auto", count: 0, codeMode: true, direct: true },
    { mode: "auto", count: 59, codeMode: true, direct: true },
    { mode: "auto", count: 60, codeMode: true, direct: true },
    { mode: "auto", count: 61, codeMode: true, direct: false },
    { mode: "auto", count: 1_000, codeMode: true, direct: false },
    // Without Code Mode, auto stays direct so every tool can still be called.
    { mode: "auto", count: 0, codeMode: false, direct: true },
    { mode: "auto", count: 60, codeMode: false, direct: true },
    { mode: "auto", count: 61, codeMode: false, direct: true },
    { mode: "auto", count: 1_000, codeMode: false, direct: true },
  ];
  it.each(cases)(
    "$mode with $count tools, code mode $codeMode → $direct",
    ({ mode, count, codeMode, direct }) => {
      expect(exposeDirect(mode, count, codeMode)).toBe(direct);
    },
  );
});

describe("clientToolLimit", () => {
  // The names the real clients of test/clients sent (observed) come first; the rest are
  // unverified spellings the patterns are meant to catch.
  const cases: Array<{ client: string | undefined; label: string | undefined; max?: number }> = [
    // Observed: Claude Code 2.1.332, stdio and HTTP.
    { client: "claude-code", label: "Claude Code", max: 250 },
    // Observed: Gemini CLI 0.61.0 in a session, stdio and HTTP; no known limit.
    { client: "gemini-cli-mcp-client", label: undefined },
    // Observed: `gemini mcp list` (it lists no tools).
    { client: "mcp-test-client", label: undefined },
    // Observed: Codex 0.171.0 (codex app-server), stdio and HTTP; no known limit.
    { client: "codex-mcp-client", label: undefined },
    // From NOTES.md (Cursor cannot run here).
    { client: "cursor-vscode", label: "Cursor", max: 40 },
    { client: "Cursor", label: "Cursor", max: 40 },
    // Unverified spellings.
    { client: "windsurf-client", label: "Windsurf", max: 100 },
    { client: "Visual Studio Code", label: "VS Code / Copilot", max: 128 },
    { client: "Visual Studio Code - Insiders", label: "VS Code / Copilot", max: 128 },
    { client: "github-copilot-developer", label: "VS Code / Copilot", max: 128 },
    { client: "claude-ai", label: "Claude Desktop", max: 100 },
    { client: "claude-code-but-not", label: undefined },
    { client: "", label: undefined },
    { client: undefined, label: undefined },
  ];
  it.each(cases)("$client → $label", ({ client, label, max }) => {
    const limit = clientToolLimit(client);
    expect(limit?.label).toBe(label);
    if (max !== undefined) expect(limit?.maxTools).toBe(max);
  });
});

describe("decideExposure", () => {
  const cases: Array<{
    mode: Exposure;
    count: number;
    client?: string;
    codeMode?: boolean;
    direct: boolean;
    reason: string;
  }> = [
    { mode: "direct", count: 500, client: "cursor-vscode", direct: true, reason: 'expose is "direct"' },
    { mode: "code", count: 1, client: "claude-code", direct: false, reason: 'expose is "code"' },
    {
      mode: "auto",
      count: 37,
      client: "cursor-vscode",
      direct: true,
      reason: "auto: 37 tools + 3 meta-tools fit Cursor's 40 (it warns or fails past 40 tools)",
    },
    {
      mode: "auto",
      count: 38,
      client: "cursor-vscode",
      direct: false,
      reason:
        "auto: 38 tools + 3 meta-tools exceed Cursor's 40 (it warns or fails past 40 tools), so they are reached through search and execute_code",
    },
    // Below the default threshold, above Cursor's: the client decides.
    { mode: "auto", count: 50, client: "cursor-vscode", direct: false, reason: expect.any(String) },
    {
      mode: "auto",
      count: 50,
      client: "mystery",
      direct: true,
      reason: 'auto: 50 tools within 60, the threshold for "mystery", a client of unknown limits',
    },
    { mode: "auto", count: 97, client: "windsurf", direct: true, reason: expect.any(String) },
    { mode: "auto", count: 98, client: "windsurf", direct: false, reason: expect.any(String) },
    { mode: "auto", count: 125, client: "Visual Studio Code", direct: true, reason: expect.any(String) },
    { mode: "auto", count: 126, client: "Visual Studio Code", direct: false, reason: expect.any(String) },
    { mode: "auto", count: 97, client: "claude-ai", direct: true, reason: expect.any(String) },
    { mode: "auto", count: 98, client: "claude-ai", direct: false, reason: expect.any(String) },
    { mode: "auto", count: 200, client: "claude-code", direct: true, reason: expect.any(String) },
    { mode: "auto", count: 248, client: "claude-code", direct: false, reason: expect.any(String) },
    {
      mode: "auto",
      count: 61,
      direct: false,
      reason: "auto: 61 tools over 60, the threshold for a client that gave no name",
    },
    {
      mode: "auto",
      count: 1,
      client: "x",
      direct: true,
      reason: 'auto: 1 tool within 60, the threshold for "x", a client of unknown limits',
    },
    // Without Code Mode every client gets every tool.
    {
      mode: "auto",
      count: 500,
      client: "cursor-vscode",
      codeMode: false,
      direct: true,
      reason: "auto, and Code Mode is not available",
    },
  ];
  it.each(cases)(
    "$mode, $count tools, $client → $direct",
    ({ mode, count, client, codeMode, direct, reason }) => {
      expect(decideExposure(mode, count, codeMode ?? true, client)).toEqual({ direct, reason });
    },
  );
});
