import { VoidError } from "../core/index.js";

/** A named secret, as in `${secret:NAME}` and `voidmcp secret set NAME`: an environment-variable-like name. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The store keys of named secrets start with this; OAuth keys use their own prefix. */
export const SECRET_KEY_PREFIX = "secret:";

export function isSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** The store key of secret `name`. */
export function secretKey(name: string): string {
  return `${SECRET_KEY_PREFIX}${name}`;
}

/** Throws a usage error naming the rule when `name` is not a valid secret name. */
export function assertSecretName(name: string): void {
  if (isSecretName(name)) return;
  throw new VoidError("usage", `${JSON.stringify(name)} is not a valid secret name`, {
    hint: "use letters, digits and _, not starting with a digit (like an environment variable): GITHUB_TOKEN",
  });
}

/**
 * Keys travel on the argv of the OS stores' command-line tools and inside `security -i`'s
 * double-quoted words: printable ASCII without space, quote or backslash keeps both safe. Keys
 * are names, never values, so seeing them in `ps` is fine.
 */
const KEY_PATTERN = /^[!#-[\]-~]{1,512}$/;

export function assertStoreKey(key: string): void {
  if (KEY_PATTERN.test(key)) return;
  throw new VoidError(
    "internal",
    `credential key ${JSON.stringify(key)} is not usable: expected 1 to 512 printable ASCII characters without space, " or \\`,
  );
}
