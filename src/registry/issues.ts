import type * as z from "zod";
import { formatJsonPath, type JsonPath, lineColumnAt, locateJsonPath } from "../formats/index.js";

/** One thing wrong with a registry document: where (a JSON path; its key or its value) and what. */
export interface RegistryIssue {
  readonly path: JsonPath;
  readonly at: "key" | "value";
  readonly message: string;
  /** Where in the text, when known better than by the path (a repeated key). */
  readonly offset?: number;
}

function toPath(path: readonly PropertyKey[]): JsonPath {
  return path.map((part) => (typeof part === "number" ? part : String(part)));
}

/** Flattens zod's issues into one issue per problem, each at the key or value to point at. */
export function issuesFromZod(error: z.ZodError): RegistryIssue[] {
  const out: RegistryIssue[] = [];
  for (const issue of error.issues) {
    const path = toPath(issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          out.push({ path: [...path, key], at: "key", message: `unknown key "${key}": ${issue.message}` });
        }
        break;
      case "invalid_key":
        out.push({ path, at: "key", message: issue.issues.map((inner) => inner.message).join("; ") });
        break;
      default: {
        const at = (issue as { params?: { at?: unknown } }).params?.at === "key" ? "key" : "value";
        out.push({ path, at, message: issue.message });
      }
    }
  }
  return out;
}

/** Issues of one entry checked on its own, on one line: `url: expected ...; timeoutMs: expected ...`. */
export function describeIssues(issues: readonly RegistryIssue[]): string {
  return issues
    .map((issue) => {
      const where = formatJsonPath(issue.path);
      return where === "" ? issue.message : `${where}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * One line per issue, in file order when `text` is given:
 * `file:line:col: mcpServers.foo.args: expected an array of strings, got number`.
 * Without `text` (a document that was never written out) the location is the file alone.
 */
export function formatIssues(issues: readonly RegistryIssue[], file: string, text?: string): string {
  const located = issues.map((issue) => {
    const jsonPath = formatJsonPath(issue.path);
    const what = jsonPath === "" ? issue.message : `${jsonPath}: ${issue.message}`;
    if (text === undefined) return { offset: 0, line: `${file}: ${what}` };
    const offset = issue.offset ?? locateJsonPath(text, issue.path, issue.at);
    const { line, column } = lineColumnAt(text, offset);
    return { offset, line: `${file}:${line}:${column}: ${what}` };
  });
  // Array.prototype.sort is stable, so issues at the same spot keep their order.
  located.sort((a, b) => a.offset - b.offset);
  return located.map((entry) => entry.line).join("\n");
}
