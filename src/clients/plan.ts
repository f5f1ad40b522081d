import { VoidError } from "../core/index.js";
import {
  deepEqual,
  isSectionTable,
  JsonEditError,
  lineColumnAt,
  parseJsonText,
  removeMember,
  removeTable,
  renderTable,
  setMember,
  setTable,
  TomlEditError,
  type TomlWritable,
} from "../formats/index.js";
import { CLIENTS, type ClientEntry, type ClientName, ENTRY_NAME } from "./clients.js";
import { parseTomlFile } from "./codex-import.js";
import type { ServerOrigin } from "./import.js";

export interface SetupRequest {
  readonly client: ClientName;
  /** The client's file, for messages. */
  readonly path: string;
  /** Its text; undefined when it does not exist. */
  readonly text: string | undefined;
  /** voidmcp's entry (gatewayEntry). */
  readonly entry: ClientEntry;
  /** Servers to take out of the file (those `--replace` moved into the registry). */
  readonly remove: readonly ServerOrigin[];
}

export interface SetupPlan {
  /** The file's new text (the old one when nothing changes). */
  readonly text: string;
  readonly changed: boolean;
  /** voidmcp's entry before: absent, equal to the new one, or different. */
  readonly before: "absent" | "same" | "different";
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const part of path) {
    if (!isObject(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** What the edits must produce: a deep copy of `root` with the entry set and `remove` gone. */
function expectedValue(root: Json, request: SetupRequest): Json {
  const copy = structuredClone(root);
  let node = copy;
  for (const part of CLIENTS[request.client].serversPath) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Json;
  }
  node[ENTRY_NAME] = structuredClone(request.entry);
  for (const origin of request.remove) {
    const servers = at(copy, origin.path);
    if (isObject(servers)) delete servers[origin.key];
  }
  return copy;
}

const NOTHING_CHANGED = "nothing was changed";

/** Clients' JSON files may hold comments and trailing commas (VS Code's do). */
const JSONC = { comments: true, trailingCommas: true } as const;

/**
 * Pure: the client's file with voidmcp's entry set (and `remove` taken out), every other byte
 * kept: comments, formatting, unknown keys, other servers. The result is parsed again and must
 * equal exactly the intended value, or nothing is planned. Idempotent: an equal entry (however it
 * is formatted) and nothing to remove give the text unchanged.
 *
 * Throws VoidError("registry_invalid") for a file that is not JSON (JSON with comments) / TOML,
 * whose servers are not an object / table, or that cannot be edited without rewriting other
 * parts (a Codex table written inline or with dotted keys); VoidError("internal") when the
 * result would not be what was meant.
 */
export function planSetup(request: SetupRequest): SetupPlan {
  const info = CLIENTS[request.client];
  const text = request.text ?? "";
  const json = info.format === "json";
  const blank = text.trim() === "" || (text.charCodeAt(0) === 0xfeff && text.slice(1).trim() === "");
  const source = blank && json ? "{}\n" : text;
  const root = json ? parseJsonText(source, request.path, JSONC) : parseTomlFile(source, request.path).value;
  if (!isObject(root)) {
    throw new VoidError("registry_invalid", `${request.path}:1:1: expected a JSON object at the top level`, {
      hint: `fix the file or move it aside; ${NOTHING_CHANGED}`,
    });
  }
  const previous = at(root, [...info.serversPath, ENTRY_NAME]);
  const before =
    previous === undefined ? "absent" : deepEqual(previous, request.entry) ? "same" : "different";
  if (before === "same" && request.remove.length === 0) return { text, changed: false, before };

  let edited: string;
  try {
    edited = json ? editJson(source, request) : editToml(source, request, previous !== undefined);
  } catch (error) {
    throw editFailure(error, source, request.path);
  }
  const after = json ? parseJsonText(edited, request.path, JSONC) : parseAfterTomlEdit(edited, request.path);
  if (!deepEqual(after, expectedValue(root, request))) {
    throw new VoidError(
      "internal",
      `could not edit ${request.path} without changing other parts of it; ${NOTHING_CHANGED}`,
      {
        hint: `add the entry by hand: voidmcp init ${request.client} --print`,
      },
    );
  }
  return { text: edited, changed: edited !== text, before };
}

function editJson(text: string, request: SetupRequest): string {
  let out = setMember(text, CLIENTS[request.client].serversPath, ENTRY_NAME, request.entry);
  for (const origin of request.remove) out = removeMember(out, origin.path, origin.key);
  return out;
}

function editToml(text: string, request: SetupRequest, exists: boolean): string {
  const base = CLIENTS[request.client].serversPath;
  const table = [...base, ENTRY_NAME];
  if (exists && !isSectionTable(text, table)) {
    throw new TomlEditError(
      `${table.join(".")} is written as an inline table or with dotted keys, which init does not rewrite; make it a [${table.join(".")}] table or remove it`,
    );
  }
  for (const origin of request.remove) {
    if (!isSectionTable(text, [...origin.path, origin.key])) {
      throw new TomlEditError(
        `the server "${origin.key}" is written as an inline table or with dotted keys, which --replace does not remove; make it a [${[...origin.path, origin.key].join(".")}] table or remove it by hand`,
      );
    }
  }
  let out = setTable(
    text,
    table,
    renderTable(table, request.entry as { readonly [key: string]: TomlWritable }),
  );
  for (const origin of request.remove) out = removeTable(out, [...origin.path, origin.key]);
  return out;
}

function parseAfterTomlEdit(text: string, path: string): unknown {
  try {
    return parseTomlFile(text, path).value;
  } catch {
    // Appending a table is invalid where the file defines mcp_servers inline.
    throw new VoidError(
      "registry_invalid",
      `${path}: mcp_servers is written as an inline table, so a [mcp_servers.voidmcp] table cannot be added`,
      {
        hint: `write mcp_servers as [mcp_servers.<name>] tables, or add voidmcp to it by hand; ${NOTHING_CHANGED}`,
      },
    );
  }
}

function editFailure(error: unknown, text: string, path: string): VoidError {
  if (error instanceof JsonEditError) {
    const { line, column } = lineColumnAt(text, error.offset);
    return new VoidError("registry_invalid", `${path}:${line}:${column}: ${error.message}`, {
      hint: `fix that value by hand; ${NOTHING_CHANGED}`,
    });
  }
  if (error instanceof TomlEditError) {
    return new VoidError("registry_invalid", `${path}: ${error.message}`, { hint: NOTHING_CHANGED });
  }
  return error instanceof VoidError ? error : new VoidError("internal", String(error), { cause: error });
}
