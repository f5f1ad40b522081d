import type { Exposure } from "../registry/index.js";

/** Above this many upstream tools, `auto` stops listing them one by one. */
export const AUTO_DIRECT_MAX_TOOLS = 60;

/**
 * Whether upstream tools are listed to clients as tools of their own (pure).
 * `code` lists only the meta-tools. `auto` lists upstream tools while the catalogue is small;
 * above that it relies on Code Mode, so while Code Mode is not available it stays direct,
 * because a client must always be able to call every tool somehow.
 */
export function exposeDirect(mode: Exposure, toolCount: number, codeModeAvailable: boolean): boolean {
  switch (mode) {
    case "direct":
      return true;
    case "code":
      return false;
    case "auto":
      return !codeModeAvailable || toolCount <= AUTO_DIRECT_MAX_TOOLS;
    default: {
      const exhaustive: never = mode;
      return exhaustive;
    }
  }
}
