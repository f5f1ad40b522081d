import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import type { LaunchCommand } from "../clients/index.js";

export interface SelfLaunch extends LaunchCommand {
  /** A single executable, or Node running voidmcp's script (the npm package, a checkout). */
  readonly kind: "executable" | "script";
  /** True when the script sits in npx's cache, which npm may clear at any time. */
  readonly ephemeral: boolean;
}

export interface ProcessFacts {
  /** process.argv[1]: the script, or Bun's virtual path inside a compiled executable. */
  readonly script: string | undefined;
  readonly execPath: string;
  /** Whether the runtime is Bun (process.versions.bun). */
  readonly bun: boolean;
}

const BUN_EMBEDDED = /^(?:\/\$bunfs\/|[A-Za-z]:[\\/]~BUN[\\/])/;

/**
 * How an MCP client should start this very voidmcp: absolute paths only, because desktop apps
 * start servers with a minimal PATH. A compiled executable is its own program; otherwise it is
 * this Node (process.execPath) with the real path of voidmcp's script.
 */
export function selfLaunch(
  facts: ProcessFacts = {
    script: process.argv[1],
    execPath: process.execPath,
    bun: process.versions.bun !== undefined,
  },
): SelfLaunch {
  if (facts.bun && (facts.script === undefined || BUN_EMBEDDED.test(facts.script))) {
    return { kind: "executable", command: facts.execPath, args: [], ephemeral: false };
  }
  const given = resolve(facts.script ?? "");
  let script = given;
  try {
    script = realpathSync(given);
  } catch {
    // keep the path as given
  }
  return {
    kind: "script",
    command: facts.execPath,
    args: [script],
    ephemeral: /[\\/]_npx[\\/]/.test(script),
  };
}
