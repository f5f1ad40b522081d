import type { Logger } from "../core/index.js";

/**
 * A logger that passes every line through `redact` first (read at each line, so it can be set
 * after the logger is made: a session learns its expanded values only when it connects).
 */
export function redactingLogger(log: Logger, redact: (text: string) => string): Logger {
  return {
    debug: (message) => log.debug(redact(message)),
    info: (message) => log.info(redact(message)),
    warn: (message) => log.warn(redact(message)),
    error: (message) => log.error(redact(message)),
    child: (scope) => redactingLogger(log.child(scope), redact),
  };
}
