/**
 * One reference that expansion replaced: `${NAME}` by an environment variable's value, or
 * `${secret:NAME}` by a stored secret (then `name` is `secret:NAME`).
 */
export interface Substitution {
  readonly name: string;
  readonly value: string;
}

/**
 * Values shorter than this are not redacted: replacing "1" or "on" everywhere would garble every
 * message, and a secret that short is no secret.
 */
export const MIN_REDACTED_LENGTH = 4;

/**
 * Pure: `text` with every occurrence of a substituted value (at least MIN_REDACTED_LENGTH
 * characters long) replaced by its `${NAME}` template, so that messages built after expansion
 * (a URL that could not be reached, a command that was not found) say what the registry says and
 * never what the environment holds. Longer values are replaced first, so a value that contains
 * another is replaced whole; when two variables hold the same value the first one's name is shown.
 */
export function redactValues(text: string, substitutions: readonly Substitution[]): string {
  const byValue = new Map<string, string>();
  for (const { name, value } of substitutions) {
    if (value.length >= MIN_REDACTED_LENGTH && !byValue.has(value)) byValue.set(value, name);
  }
  if (byValue.size === 0 || text === "") return text;
  const values = [...byValue.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map(escapeRegExp).join("|"), "g");
  return text.replace(pattern, (value) => `\${${byValue.get(value)}}`);
}

/** A function that redacts `substitutions` from any text (see redactValues). */
export function redactorOf(substitutions: readonly Substitution[]): (text: string) => string {
  return (text) => redactValues(text, substitutions);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
