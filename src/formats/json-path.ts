/** A path into a JSON document: object keys are strings, array indices are numbers. */
export type JsonPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/**
 * A path as a human reads it: `mcpServers.my-server.args[2]`, `mcpServers["my server"]`.
 * The root (empty path) formats as "".
 */
export function formatJsonPath(path: JsonPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
