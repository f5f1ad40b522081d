import type { RestartPolicy } from "../registry/index.js";

/**
 * Milliseconds before restart attempt `attempt` (1-based), pure: exponential from baseDelayMs,
 * capped at maxDelayMs, with "equal jitter" (half fixed, half random from `random` in [0, 1))
 * so that servers that fell over together do not all come back in the same instant.
 */
export function nextRestartDelay(policy: RestartPolicy, attempt: number, random: number): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * Math.min(Math.max(random, 0), 1));
}
