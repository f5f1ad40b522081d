/**
 * TypeScript declarations of upstream tools, as the `search` meta-tool shows them to a model.
 * Pure functions over plain JSON Schema; nothing here knows MCP.
 *
 * The format is "how you call it", written as TypeScript: the access expression a script uses
 * (`tools.github.create_issue`, or `tools["my-server"]["get-sum"]` when a name is not an
 * identifier) followed by a parameter list and return type, as in a method signature:
 *
 *   names:       tools.fixture.add
 *   signatures:  tools.fixture.add(args: { a: number; b: number }): Promise<{ sum: number }> // Adds two numbers
 *   full:        /**
 *                 * Adds two numbers.
 *                 *
 *                 * @param args.a First addend
 *                 *\/
 *                tools.fixture.add(args: {
 *                  /** First addend *\/
 *                  a: number;
 *                  b: number;
 *                }): Promise<{
 *                  sum: number;
 *                }>
 *
 * Replacing the leading access expression with `declare function f` turns any of the
 * "signatures" or "full" forms into a valid TypeScript declaration (the tests check exactly that).
 * `args` is optional (`args?:`) when the input schema requires no property. The promise resolves
 * with the unwrapped result (see the Code Mode contract), typed from `outputSchema` when the tool
 * has one, else `unknown`.
 */

import {
  descriptionLines,
  descriptionOf,
  formatJsDoc,
  isRecord,
  propertyKey,
  quote,
  resolveRef,
  type SchemaToTsOptions,
  schemaToTs,
} from "./schema-to-ts.js";

export { type SchemaToTsOptions, schemaToTs } from "./schema-to-ts.js";

/** What a declaration is built from: the tool as its server lists it, plus the server's name. */
export interface ToolTypingInput {
  readonly server: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: unknown;
  readonly outputSchema?: unknown;
}

export type DeclarationDetail = "names" | "signatures" | "full";

/** Comments after a "signatures" line are cut to about this many characters. */
export const SUMMARY_MAX_LENGTH = 80;

// ECMAScript reserved words (including strict-mode ones) and the literals null/true/false.
const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "let",
  "new",
  "null",
  "package",
  "private",
  "protected",
  "public",
  "return",
  "static",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
]);

/**
 * True when `name` can follow a dot in `tools.<server>.<tool>` in the form we print: an ASCII
 * identifier (letters, digits, `_`, `$`; not starting with a digit) that is not a reserved word.
 * Non-ASCII identifiers are valid JavaScript but get the bracket form, which always works.
 */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED_WORDS.has(name);
}

/** How a script reaches a tool: `tools.a.b`, `tools.a["b-c"]`, `tools["a-b"].c`. */
export function accessExpression(server: string, tool: string): string {
  return `tools${member(server)}${member(tool)}`;
}

function member(name: string): string {
  return isIdentifier(name) ? `.${name}` : `[${quote(name)}]`;
}

/**
 * One tool's declaration at the requested detail (see the module comment for the format).
 * `options.maxDepth` bounds nesting in the argument and result types; other options are fixed
 * by the detail ("signatures" is one line, "full" is multiline with JSDoc).
 */
export function toolDeclaration(
  tool: ToolTypingInput,
  detail: DeclarationDetail,
  options: Pick<SchemaToTsOptions, "maxDepth" | "indent"> = {},
): string {
  const access = accessExpression(tool.server, tool.name);
  switch (detail) {
    case "names":
      return access;
    case "signatures": {
      const schemaOptions = { maxDepth: options.maxDepth, multiline: false };
      const signature = `${access}(${parameter(tool.inputSchema, schemaOptions)}): ${returnType(tool.outputSchema, schemaOptions)}`;
      const summary = summarize(tool.description);
      return summary === "" ? signature : `${signature} // ${summary}`;
    }
    case "full": {
      const schemaOptions = { maxDepth: options.maxDepth, indent: options.indent, multiline: true };
      const doc = formatJsDoc(docLines(tool), "");
      return `${doc}${access}(${parameter(tool.inputSchema, schemaOptions)}): ${returnType(tool.outputSchema, schemaOptions)}`;
    }
    default: {
      // Unreachable for typed callers; an unknown detail from elsewhere degrades to "names".
      const unreachable: never = detail;
      void unreachable;
      return access;
    }
  }
}

function parameter(inputSchema: unknown, options: SchemaToTsOptions): string {
  return `args${argsOptional(inputSchema) ? "?" : ""}: ${schemaToTs(inputSchema, options)}`;
}

function returnType(outputSchema: unknown, options: SchemaToTsOptions): string {
  return `Promise<${outputSchema === undefined ? "unknown" : schemaToTs(outputSchema, options)}>`;
}

/** The input schema's top level, following one `$ref` (some generators put the model in `$defs`). */
function topLevel(inputSchema: unknown): unknown {
  if (!isRecord(inputSchema)) return inputSchema;
  const ref = inputSchema.$ref;
  if (typeof ref !== "string") return inputSchema;
  const target = resolveRef(ref, inputSchema);
  return target.found ? target.schema : inputSchema;
}

/**
 * `args` may be left out when nothing is required: no non-empty `required` list and no
 * combinator (`anyOf`/`oneOf`/`allOf`, whose branches may require things). A schema that is not
 * an object (missing, `true`, garbage) requires nothing either.
 */
function argsOptional(inputSchema: unknown): boolean {
  const schema = topLevel(inputSchema);
  if (schema === false) return false;
  if (!isRecord(schema)) return true;
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf) || Array.isArray(schema.allOf)) return false;
  const type = schema.type;
  if (typeof type === "string" && type !== "object") return false;
  const required = schema.required;
  return !(Array.isArray(required) && required.some((name) => typeof name === "string"));
}

/** The whole description, then `@param args.<name>` for each top-level property that has one. */
function docLines(tool: ToolTypingInput): string[] {
  const lines = descriptionLines(tool.description);
  const root = tool.inputSchema;
  const schema = topLevel(root);
  const properties = isRecord(schema) ? schema.properties : undefined;
  if (!isRecord(properties)) return lines;
  const params: string[] = [];
  for (const name of Object.keys(properties)) {
    const property = properties[name];
    if (!isRecord(property)) continue;
    const text = descriptionLines(descriptionOf(property, root)).join(" ").trim();
    if (text === "") continue;
    const key = propertyKey(name);
    const path = key === name ? `args.${name}` : `args[${key}]`;
    params.push(`@param ${path} ${text}`);
  }
  if (params.length === 0) return lines;
  return lines.length === 0 ? params : [...lines, "", ...params];
}

/** The first non-blank line of a description, cut at a word boundary to about 80 characters. */
export function summarize(description: string | undefined, maxLength: number = SUMMARY_MAX_LENGTH): string {
  const first = descriptionLines(description).find((line) => line.trim() !== "");
  if (first === undefined) return "";
  const line = first.trim().replace(/\s+/g, " ");
  if (line.length <= maxLength) return line;
  const cut = line.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
