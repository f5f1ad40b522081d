import { VoidError } from "../core/index.js";
import type { ToolInvocation, ToolResult } from "./run-tool.js";

/** The service (Keychain) or attribute (Secret Service) under which voidmcp's items are kept. */
export const SERVICE = "voidmcp";

export const SECURITY = "/usr/bin/security";
export const SECRET_TOOL = "secret-tool";

/** `security` exits with this when no item matches. */
const KEYCHAIN_NOT_FOUND = 44;

/**
 * Values are stored as `b64:` + base64 of their UTF-8 bytes: printable ASCII, so both tools
 * print them back byte for byte (security prints a non-ASCII password as hex, secret-tool adds a
 * newline on a terminal), and a value that ends in a newline keeps it.
 */
export function encodeValue(value: string): string {
  return `b64:${Buffer.from(value, "utf8").toString("base64")}`;
}

/** The value of a stored item; one written by something else than voidmcp is taken as it is. */
export function decodeValue(stored: string): string {
  const text = stored.endsWith("\n") ? stored.slice(0, -1) : stored;
  return text.startsWith("b64:") ? Buffer.from(text.slice(4), "base64").toString("utf8") : text;
}

/**
 * One OS store's command-line tool, as pure data: the invocations for each operation (names on
 * argv, values only on stdin, where `ps` cannot see them) and what their results mean. The store
 * (tool-store.ts) runs them.
 */
export interface OsTool {
  readonly backend: "keychain" | "secret-service";
  readonly location: string;
  lookup(key: string): ToolInvocation;
  store(key: string, value: string): ToolInvocation;
  remove(key: string): ToolInvocation;
  /** The value, undefined when no item matched; throws VoidError("credentials") otherwise. */
  lookupResult(key: string, result: ToolResult): string | undefined;
  /** Throws VoidError("credentials") unless the value was stored. */
  storeResult(key: string, result: ToolResult): void;
  /** Whether an item was removed; throws VoidError("credentials") when the tool failed. */
  removeResult(key: string, result: ToolResult): boolean;
}

/** Why a run failed, for a message: never the tool's output when a value went in on stdin. */
function reason(result: ToolResult, showStderr: boolean): string {
  if (result.failure !== undefined) return result.failure;
  const line = showStderr ? result.stderr.trim().split("\n")[0]?.trim() : "";
  return `exit code ${result.code}${line ? `: ${line}` : ""}`;
}

function failed(backend: string, what: string, key: string, why: string): VoidError {
  return new VoidError("credentials", `${backend}: cannot ${what} "${key}": ${why}`, {
    hint: `check that the store is unlocked, or set VOIDMCP_CREDENTIAL_STORE=file`,
  });
}

/**
 * macOS Keychain through /usr/bin/security. Writing goes through `security -i`, which reads its
 * commands from stdin, with the password as hex (`-X`): the value never reaches an argv.
 */
export const keychainTool: OsTool = {
  backend: "keychain",
  location: `macOS Keychain (service "${SERVICE}")`,
  lookup: (key) => ({ command: SECURITY, args: ["find-generic-password", "-s", SERVICE, "-a", key, "-w"] }),
  store: (key, value) => ({
    command: SECURITY,
    args: ["-i"],
    stdin: `add-generic-password -U -s ${SERVICE} -a "${key}" -l "${SERVICE} ${key}" -X ${Buffer.from(
      encodeValue(value),
      "utf8",
    ).toString("hex")}\n`,
  }),
  remove: (key) => ({ command: SECURITY, args: ["delete-generic-password", "-s", SERVICE, "-a", key] }),
  lookupResult(key, result) {
    if (result.code === 0) return decodeValue(result.stdout);
    if (result.code === KEYCHAIN_NOT_FOUND) return undefined;
    throw failed("keychain", "read", key, reason(result, true));
  },
  storeResult(key, result) {
    // `security -i` may exit 0 after a failed command; it then says so on stderr.
    if (result.code === 0 && result.stderr.trim() === "") return;
    throw failed("keychain", "store", key, reason(result, false));
  },
  removeResult(key, result) {
    if (result.code === 0) return true;
    if (result.code === KEYCHAIN_NOT_FOUND) return false;
    throw failed("keychain", "remove", key, reason(result, true));
  },
};

/** The attributes that identify an item: `service voidmcp key <key>`. */
function attributes(key: string): string[] {
  return ["service", SERVICE, "key", key];
}

/** Secret Service (GNOME Keyring, KWallet) through libsecret's secret-tool; `store` reads stdin. */
export const secretServiceTool: OsTool = {
  backend: "secret-service",
  location: `Secret Service (attribute service=${SERVICE})`,
  lookup: (key) => ({ command: SECRET_TOOL, args: ["lookup", ...attributes(key)] }),
  store: (key, value) => ({
    command: SECRET_TOOL,
    args: ["store", `--label=${SERVICE} ${key}`, ...attributes(key)],
    stdin: encodeValue(value),
  }),
  remove: (key) => ({ command: SECRET_TOOL, args: ["clear", ...attributes(key)] }),
  lookupResult(key, result) {
    if (result.code === 0) return decodeValue(result.stdout);
    // No match: exit 1 and nothing said.
    if (result.code === 1 && result.stdout === "" && result.stderr.trim() === "") return undefined;
    throw failed("secret-service", "read", key, reason(result, true));
  },
  storeResult(key, result) {
    if (result.code === 0) return;
    throw failed("secret-service", "store", key, reason(result, false));
  },
  removeResult(key, result) {
    // secret-tool clear does not say whether something matched: the store looks first.
    if (result.code === 0) return true;
    throw failed("secret-service", "remove", key, reason(result, true));
  },
};

/** The harmless lookup that tells whether secret-tool reaches a Secret Service. */
export const SECRET_SERVICE_PROBE: ToolInvocation = secretServiceTool.lookup("voidmcp-probe");

/** Pure: the probe's result says a Secret Service answered (found or not found, without an error). */
export function secretServiceAnswered(result: ToolResult): boolean {
  if (result.failure !== undefined) return false;
  return result.code === 0 || (result.code === 1 && result.stderr.trim() === "");
}
