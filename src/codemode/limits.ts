/**
 * Code Mode limits. Every one is enforced for real by the sandbox; the registry file's
 * `codeMode` object sets them gateway-wide, and a call may ask for a different timeout, up to
 * `maxTimeoutMs`.
 */
export interface CodeModeLimits {
  /** Wall-clock time of a whole run, including time spent waiting on upstream tool calls. */
  readonly timeoutMs: number;
  /** Ceiling for a per-call `timeoutMs`. */
  readonly maxTimeoutMs: number;
  /** Size of the sandbox's WebAssembly memory: a hard byte cap on everything the script holds. */
  readonly memoryMb: number;
  /** QuickJS stack size: how deep a script may recurse. */
  readonly stackKb: number;
  readonly maxToolCalls: number;
  /** Size of the script's source text, in UTF-8 bytes. */
  readonly maxCodeBytes: number;
  /** Size of the returned value as JSON; longer output is cut with a marker. */
  readonly maxOutputBytes: number;
  /** Total size of console output kept; the rest is dropped with a marker. */
  readonly maxLogBytes: number;
  /**
   * Runs executing at once, each in its own worker thread holding up to `memoryMb`: with
   * `memoryMb` it bounds what Code Mode can add to the gateway's memory, whatever clients send.
   */
  readonly maxConcurrentRuns: number;
  /** Runs waiting for a free worker; a run beyond them fails at once, naming this setting. */
  readonly maxQueuedRuns: number;
}

export const DEFAULT_LIMITS: CodeModeLimits = {
  timeoutMs: 30_000,
  maxTimeoutMs: 300_000,
  memoryMb: 64,
  stackKb: 256,
  maxToolCalls: 200,
  maxCodeBytes: 100_000,
  maxOutputBytes: 100_000,
  maxLogBytes: 20_000,
  // Four 64 MB sandboxes fit a laptop easily, and a busy script keeps one core only.
  maxConcurrentRuns: 4,
  maxQueuedRuns: 32,
};

/**
 * The limits in force (pure): the registry's `codeMode` settings (already checked against their
 * ranges where the file is parsed) over the defaults. The ceiling for a per-call timeout is never
 * below the default timeout.
 */
export function limitsFrom(settings: Readonly<Partial<CodeModeLimits>>): CodeModeLimits {
  const limits = { ...DEFAULT_LIMITS, ...stripUndefined(settings) };
  return { ...limits, maxTimeoutMs: Math.max(limits.maxTimeoutMs, limits.timeoutMs) };
}

/** The limits for one call: its own timeout if it asked for one, never above the ceiling. */
export function limitsForCall(limits: CodeModeLimits, timeoutMs: number | undefined): CodeModeLimits {
  if (timeoutMs === undefined) return limits;
  return { ...limits, timeoutMs: Math.max(1, Math.min(Math.floor(timeoutMs), limits.maxTimeoutMs)) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
