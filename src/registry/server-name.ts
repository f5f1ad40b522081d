import { isValidServerName } from "../core/index.js";

/** The longest name SERVER_NAME_PATTERN allows. */
const MAX_SERVER_NAME_LENGTH = 48;

/**
 * A valid server name made from any name: valid names are returned unchanged; otherwise accents
 * are dropped (é → e), every character outside [A-Za-z0-9_-] becomes "-", runs of "-" or "_" shrink to one, leading
 * characters that are not letters or digits and trailing "-"/"_" are dropped, and the result is
 * cut to 48 characters. Undefined when nothing usable is left.
 */
export function sanitiseServerName(name: string): string | undefined {
  if (isValidServerName(name)) return name;
  const cleaned = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9_-]/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/_{2,}/g, "_")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, MAX_SERVER_NAME_LENGTH)
    .replace(/[-_]+$/, "");
  return isValidServerName(cleaned) ? cleaned : undefined;
}
