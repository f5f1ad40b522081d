/**
 * Logs go to stderr, never stdout: in stdio mode stdout belongs to the MCP protocol.
 * The level comes from VOIDMCP_LOG_LEVEL (debug | info | warn | error | silent), default info.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = "info"): LogLevel {
  if (value !== undefined && value in RANK) return value as LogLevel;
  return fallback;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger whose lines start with `[scope]`, sharing this logger's level and sink. */
  child(scope: string): Logger;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where finished lines go; defaults to process.stderr. */
  readonly write?: (line: string) => void;
  readonly scope?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? parseLogLevel(process.env.VOIDMCP_LOG_LEVEL);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const prefix = options.scope ? `[${options.scope}] ` : "";
  const emit = (at: LogLevel, message: string) => {
    if (RANK[at] < RANK[level]) return;
    write(`voidmcp ${at}: ${prefix}${message}\n`);
  };
  return {
    debug: (m) => emit("debug", m),
    info: (m) => emit("info", m),
    warn: (m) => emit("warn", m),
    error: (m) => emit("error", m),
    child: (scope) =>
      createLogger({ level, write, scope: options.scope ? `${options.scope}/${scope}` : scope }),
  };
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = createLogger({ level: "silent" });
