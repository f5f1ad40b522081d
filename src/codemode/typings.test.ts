import ts from "typescript";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { schemaToTs } from "./schema-to-ts.js";
import {
  accessExpression,
  isIdentifier,
  summarize,
  type ToolTypingInput,
  toolDeclaration,
} from "./typings.js";

// ---------------------------------------------------------------------------------------------
// Helpers: the TypeScript compiler as the judge of validity, a seeded generator, fixtures.
// ---------------------------------------------------------------------------------------------

function syntaxErrors(source: string): string[] {
  const output = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/**
 * Throws unless each text is exactly one TypeScript type: `type T<i> = <text>;` for all texts
 * must parse without diagnostics into exactly those aliases (so no text can end its statement
 * early, open a comment that swallows the next, or smuggle in another declaration).
 */
function assertParsesAsTypes(types: readonly string[]): void {
  const source = types.map((text, i) => `type T${i} = ${text};`).join("\n");
  assertDeclarations(source, types.length, ts.SyntaxKind.TypeAliasDeclaration, types);
}

/** Same for declarations: `count` statements of `kind`, named `T0`…, no diagnostics. */
function assertDeclarations(
  source: string,
  count: number,
  kind: ts.SyntaxKind,
  inputs: readonly string[],
): void {
  const errors = syntaxErrors(source);
  if (errors.length > 0)
    throw new Error(`syntax errors: ${errors.slice(0, 5).join("; ")}\n${source.slice(0, 2000)}`);
  const file = ts.createSourceFile("check.ts", source, ts.ScriptTarget.ES2022, true);
  // The parser accepts JSDoc-only types such as `number?` and leaves the error to the checker.
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) {
      throw new Error(`JSDoc-only syntax in a type: ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const statements = file.statements;
  statements.forEach((statement, i) => {
    const name =
      ts.isTypeAliasDeclaration(statement) || ts.isFunctionDeclaration(statement)
        ? statement.name?.text
        : undefined;
    if (statement.kind !== kind || name !== `T${i}`) {
      throw new Error(`statement ${i} is not the expected declaration: ${inputs[i] ?? statement.getText()}`);
    }
  });
  if (statements.length !== count) throw new Error(`expected ${count} statements, got ${statements.length}`);
}

const libFiles = new Map<string, ts.SourceFile | undefined>();

/** Full type-check of a module (with the ES2022 lib, for Promise and Record). */
function semanticErrors(source: string): string[] {
  const fileName = "/virtual/check.ts";
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ["lib.es2022.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readLib = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion) => {
    if (name === fileName) return ts.createSourceFile(name, source, languageVersion, true);
    if (!libFiles.has(name)) libFiles.set(name, readLib(name, languageVersion));
    return libFiles.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.start ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

/** A small seeded generator (mulberry32), so the property tests are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error("pick from an empty list");
  return value;
}

// Strings chosen to break naive printers: quotes, comment terminators, line terminators, unicode.
const NASTY = [
  "a",
  "",
  "with space",
  "kebab-case",
  "default",
  "class",
  "__proto__",
  "constructor",
  "0",
  "1e3",
  "$ref",
  'q"uote',
  "back\\slash",
  "*/",
  "/*",
  "// not a comment",
  "line\nbreak",
  "cr\rlf",
  "ls\u2028ps\u2029",
  "tab\t",
  "ümlaut",
  "😀",
  "\ud800",
  "}",
  "]; type X = 1",
  "@param",
];

const REFS = [
  "#",
  "#/$defs/A",
  "#/$defs/B",
  "#/$defs/a~1b",
  "#/definitions/C",
  "#/definitions/missing",
  "#/properties/a",
  "#/$defs/A/properties/x",
  "#/$defs/*/",
  "https://example.com/x.json",
  "",
  "#/",
  "#/$defs/%zz",
];

/** A random schema, mostly well-formed, often not: the printer must cope with all of it. */
function randomSchema(random: () => number, depth = 0): unknown {
  const root = randomNode(random, depth);
  if (depth === 0 && typeof root === "object" && root !== null && !Array.isArray(root) && random() < 0.5) {
    return {
      ...root,
      $defs: { A: randomNode(random, 2), B: randomNode(random, 2), "a/b": randomNode(random, 3) },
      definitions: { C: randomNode(random, 2) },
    };
  }
  return root;
}

function randomNode(random: () => number, depth: number): unknown {
  const leaf = depth >= 4;
  const roll = random();
  if (roll < 0.06) return pick(random, [true, false, null, 3, "string", [], [{ type: "string" }], {}]);
  const schema: Record<string, unknown> = {};
  const kind = leaf
    ? pick(random, ["string", "number", "integer", "boolean", "null", "enum", "const", "ref"])
    : pick(random, [
        "string",
        "object",
        "object",
        "array",
        "tuple",
        "anyOf",
        "oneOf",
        "allOf",
        "enum",
        "ref",
        "types",
        "garbage",
        "none",
      ]);
  switch (kind) {
    case "object": {
      const properties: Record<string, unknown> = {};
      const count = Math.floor(random() * 5);
      for (let i = 0; i < count; i++) properties[pick(random, NASTY)] = randomNode(random, depth + 1);
      if (random() < 0.9) schema.type = "object";
      if (random() < 0.9) schema.properties = random() < 0.05 ? "garbage" : properties;
      if (random() < 0.6)
        schema.required = Object.keys(properties)
          .filter(() => random() < 0.5)
          .concat(random() < 0.1 ? ["ghost", "7"] : []);
      if (random() < 0.4)
        schema.additionalProperties = pick(random, [
          true,
          false,
          { type: "string" },
          randomNode(random, depth + 1),
          5,
        ]);
      if (random() < 0.1) schema.patternProperties = { "^x": randomNode(random, depth + 1) };
      break;
    }
    case "array":
      schema.type = "array";
      if (random() < 0.8) schema.items = randomNode(random, depth + 1);
      break;
    case "tuple": {
      if (random() < 0.7) schema.type = "array";
      const elements = Array.from({ length: Math.floor(random() * 4) }, () => randomNode(random, depth + 1));
      if (random() < 0.5) {
        schema.prefixItems = elements;
        if (random() < 0.5) schema.items = pick(random, [false, true, { type: "number" }, [1]]);
      } else {
        schema.items = elements;
        if (random() < 0.5) schema.additionalItems = pick(random, [false, { type: "null" }, true]);
      }
      if (random() < 0.5) schema.minItems = Math.floor(random() * 5);
      if (random() < 0.3) schema.maxItems = Math.floor(random() * 5);
      break;
    }
    case "anyOf":
    case "oneOf":
    case "allOf":
      schema[kind] = Array.from({ length: Math.floor(random() * 4) }, () => randomNode(random, depth + 1));
      break;
    case "enum":
      schema.enum = Array.from({ length: Math.floor(random() * 5) }, () =>
        pick(random, [pick(random, NASTY), -1.5, 0, 1e21, -0, true, false, null, { a: 1 }, [1]]),
      );
      break;
    case "const":
      schema.const = pick(random, [pick(random, NASTY), 42, null, false, { a: 1 }]);
      break;
    case "ref":
      schema.$ref = pick(random, REFS);
      break;
    case "types":
      schema.type = Array.from({ length: Math.floor(random() * 4) }, () =>
        pick(random, ["string", "null", "object", "array", "integer", "bogus", 5]),
      );
      break;
    case "garbage":
      schema.type = pick(random, [{}, 5, null, "String", "any"]);
      schema.properties = pick(random, [[], "x", null]);
      schema.items = pick(random, ["x", 3, null]);
      schema.anyOf = pick(random, ["x", {}, null]);
      break;
    case "none":
      break;
    default:
      schema.type = kind;
  }
  if (random() < 0.3) schema.description = pick(random, NASTY);
  if (random() < 0.1) schema.nullable = pick(random, [true, false, "yes"]);
  if (random() < 0.1) schema.format = pick(random, NASTY);
  if (random() < 0.1) schema.default = pick(random, [pick(random, NASTY), 1, null, { a: [1] }]);
  if (random() < 0.1) schema.pattern = pick(random, NASTY);
  if (random() < 0.05) schema.minimum = pick(random, [0, -1, 1.5, "x"]);
  if (random() < 0.05) schema.deprecated = true;
  return schema;
}

// Real-world input schemas, pinned as their servers emit them.

/** A zod (v3 + zod-to-json-schema) schema as the MCP TypeScript SDK used to emit it. */
const zodSchemaPinned = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    query: { type: "string", minLength: 1, description: "Search terms" },
    limit: { type: "integer", exclusiveMinimum: 0, maximum: 50, default: 10 },
    sort: { type: "string", enum: ["relevance", "date"], default: "relevance" },
    filters: {
      type: "object",
      properties: {
        language: { type: "string" },
        since: { type: "string", format: "date" },
      },
      additionalProperties: false,
    },
  },
  required: ["query"],
  additionalProperties: false,
};

/** pydantic v2 `model_json_schema()` of a FastMCP tool's arguments, with a recursive model. */
const pydanticSchema = {
  $defs: {
    Address: {
      description: "A postal address.",
      properties: {
        street: { title: "Street", type: "string" },
        city: { title: "City", type: "string" },
        zip: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Zip" },
      },
      required: ["street", "city"],
      title: "Address",
      type: "object",
    },
    Person: {
      properties: {
        name: { description: "Full name", title: "Name", type: "string" },
        age: { anyOf: [{ minimum: 0, type: "integer" }, { type: "null" }], default: null, title: "Age" },
        address: {
          anyOf: [{ $ref: "#/$defs/Address" }, { type: "null" }],
          default: null,
          description: "Where they live",
        },
        tags: { items: { type: "string" }, title: "Tags", type: "array" },
        kind: { default: "person", enum: ["person", "robot"], title: "Kind", type: "string" },
        friends: { items: { $ref: "#/$defs/Person" }, title: "Friends", type: "array" },
      },
      required: ["name"],
      title: "Person",
      type: "object",
    },
  },
  $ref: "#/$defs/Person",
};

/** github-mcp-server's create_issue (plus `state`, from update_issue, for an enum). */
const createIssueSchema = {
  type: "object",
  properties: {
    owner: { type: "string", description: "Repository owner" },
    repo: { type: "string", description: "Repository name" },
    title: { type: "string", description: "Issue title" },
    body: { type: "string", description: "Issue body content" },
    assignees: { type: "array", description: "Usernames to assign to this issue", items: { type: "string" } },
    labels: { type: "array", description: "Labels to apply to this issue", items: { type: "string" } },
    milestone: { type: "number", description: "Milestone number" },
    type: { type: "string", description: "Type of this issue" },
    state: { type: "string", description: "New state", enum: ["open", "closed"] },
  },
  required: ["owner", "repo", "title"],
};

/** github-mcp-server's create_pull_request_review, trimmed: an array of nested objects. */
const reviewSchema = {
  type: "object",
  properties: {
    owner: { type: "string", description: "Repository owner" },
    repo: { type: "string", description: "Repository name" },
    pullNumber: { type: "number", description: "Pull request number" },
    event: { type: "string", description: "Review action", enum: ["APPROVE", "REQUEST_CHANGES", "COMMENT"] },
    comments: {
      type: "array",
      description: "Line-specific comments",
      items: {
        type: "object",
        properties: {
          path: { type: "string", description: "Path to the file" },
          line: { type: "number", description: "Line number in the file" },
          side: { type: "string", enum: ["LEFT", "RIGHT"] },
          body: { type: "string", description: "Comment text" },
        },
        required: ["path", "body"],
        additionalProperties: false,
      },
    },
  },
  required: ["owner", "repo", "pullNumber", "event"],
};

// ---------------------------------------------------------------------------------------------
// schemaToTs
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly name: string;
  readonly schema: unknown;
  readonly expected: string;
}

// Single-line rendering of one shape per row. Exact strings: a change in output must be seen.
const singleLine: Case[] = [
  // Not a schema, or a schema that says nothing.
  { name: "missing", schema: undefined, expected: "unknown" },
  { name: "empty object", schema: {}, expected: "unknown" },
  { name: "true", schema: true, expected: "unknown" },
  { name: "false", schema: false, expected: "never" },
  { name: "null", schema: null, expected: "unknown" },
  { name: "number", schema: 42, expected: "unknown" },
  { name: "string", schema: "string", expected: "unknown" },
  { name: "array", schema: [{ type: "string" }], expected: "unknown" },
  { name: "annotations only", schema: { description: "x", title: "T", default: 1 }, expected: "unknown" },
  // Primitive types.
  { name: "string type", schema: { type: "string" }, expected: "string" },
  { name: "number type", schema: { type: "number" }, expected: "number" },
  { name: "integer is number", schema: { type: "integer" }, expected: "number" },
  { name: "boolean type", schema: { type: "boolean" }, expected: "boolean" },
  { name: "null type", schema: { type: "null" }, expected: "null" },
  { name: "unknown type name", schema: { type: "date" }, expected: "unknown" },
  { name: "non-string type", schema: { type: 7 }, expected: "unknown" },
  { name: "format is not a type", schema: { type: "string", format: "uri" }, expected: "string" },
  // Type arrays.
  { name: "nullable string", schema: { type: ["string", "null"] }, expected: "string | null" },
  { name: "integer and number merge", schema: { type: ["integer", "number"] }, expected: "number" },
  { name: "type array with garbage", schema: { type: ["string", 3] }, expected: "unknown" },
  { name: "empty type array", schema: { type: [] }, expected: "never" },
  {
    name: "type array shares object keywords",
    schema: { type: ["object", "null"], properties: { a: { type: "string" } }, required: ["a"] },
    expected: "{ a: string } | null",
  },
  {
    name: "type array shares items",
    schema: { type: ["array", "null"], items: { type: "number" } },
    expected: "number[] | null",
  },
  // Literals.
  {
    name: "string enum",
    schema: { type: "string", enum: ["open", "closed"] },
    expected: '"open" | "closed"',
  },
  {
    name: "mixed enum",
    schema: { enum: ["a", 1, -2.5, true, null] },
    expected: '"a" | 1 | -2.5 | true | null',
  },
  {
    name: "enum strings are JSON-escaped",
    schema: { enum: ['say "hi"', "back\\slash", "line\nbreak", "*/"] },
    expected: '"say \\"hi\\"" | "back\\\\slash" | "line\\nbreak" | "*/"',
  },
  { name: "enum duplicates collapse", schema: { enum: ["a", "a", "b"] }, expected: '"a" | "b"' },
  { name: "empty enum", schema: { enum: [] }, expected: "never" },
  {
    name: "enum with object and array members",
    schema: { enum: [{ a: 1 }, [1]] },
    expected: "Record<string, unknown> | unknown[]",
  },
  { name: "negative zero", schema: { const: -0 }, expected: "0" },
  { name: "const string", schema: { const: "fixed" }, expected: '"fixed"' },
  { name: "const null", schema: { const: null }, expected: "null" },
  { name: "const wins over type", schema: { type: "string", const: "x" }, expected: '"x"' },
  // Unions and intersections.
  {
    name: "anyOf",
    schema: { anyOf: [{ type: "string" }, { type: "number" }] },
    expected: "string | number",
  },
  {
    name: "oneOf of objects",
    schema: {
      oneOf: [
        { type: "object", properties: { kind: { const: "a" } }, required: ["kind"] },
        {
          type: "object",
          properties: { kind: { const: "b" }, n: { type: "integer" } },
          required: ["kind", "n"],
        },
      ],
    },
    expected: '{ kind: "a" } | { kind: "b"; n: number }',
  },
  {
    name: "anyOf with an unknown member is unknown",
    schema: { anyOf: [{ type: "string" }, {}] },
    expected: "unknown",
  },
  { name: "anyOf with false member", schema: { anyOf: [false, { type: "string" }] }, expected: "string" },
  { name: "empty anyOf", schema: { anyOf: [] }, expected: "never" },
  { name: "anyOf not an array", schema: { anyOf: { type: "string" } }, expected: "unknown" },
  {
    name: "nested unions flatten and dedupe",
    schema: {
      anyOf: [{ anyOf: [{ type: "string" }, { type: "null" }] }, { type: "null" }, { type: "number" }],
    },
    expected: "string | null | number",
  },
  {
    name: "allOf is an intersection",
    schema: {
      allOf: [
        { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
        { type: "object", properties: { b: { type: "number" } } },
      ],
    },
    expected: "{ a: string } & { b?: number }",
  },
  { name: "allOf of one", schema: { allOf: [{ type: "string" }] }, expected: "string" },
  { name: "allOf with false", schema: { allOf: [{ type: "string" }, false] }, expected: "never" },
  {
    name: "union inside intersection is parenthesised",
    schema: {
      allOf: [
        { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
        { anyOf: [{ type: "object", properties: { b: { type: "string" } } }, { type: "null" }] },
      ],
    },
    expected: "{ a: string } & ({ b?: string } | null)",
  },
  {
    name: "type object plus anyOf keeps only the branches",
    schema: {
      type: "object",
      anyOf: [
        { properties: { id: { type: "string" } }, required: ["id"] },
        { properties: { name: { type: "string" } }, required: ["name"] },
      ],
    },
    expected: "{ id: string } | { name: string }",
  },
  {
    name: "anyOf of required-only branches adds nothing",
    schema: {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "string" } },
      anyOf: [{ required: ["a"] }, { required: ["b"] }],
    },
    expected: "{ a?: string; b?: string }",
  },
  { name: "OpenAPI nullable", schema: { type: "integer", nullable: true }, expected: "number | null" },
  { name: "nullable enum", schema: { enum: ["a"], nullable: true }, expected: '"a" | null' },
  { name: "nullable false", schema: { type: "integer", nullable: false }, expected: "number" },
  // Arrays and tuples.
  { name: "array of strings", schema: { type: "array", items: { type: "string" } }, expected: "string[]" },
  { name: "array without items", schema: { type: "array" }, expected: "unknown[]" },
  {
    name: "array of union is parenthesised",
    schema: { type: "array", items: { type: ["string", "number"] } },
    expected: "(string | number)[]",
  },
  {
    name: "array of arrays",
    schema: { type: "array", items: { type: "array", items: { type: "boolean" } } },
    expected: "boolean[][]",
  },
  { name: "items implies array", schema: { items: { type: "string" } }, expected: "string[]" },
  { name: "array of negative literal", schema: { type: "array", items: { const: -1 } }, expected: "-1[]" },
  {
    name: "2020-12 closed tuple",
    schema: {
      type: "array",
      prefixItems: [{ type: "string" }, { type: "number" }],
      items: false,
      minItems: 2,
    },
    expected: "[string, number]",
  },
  {
    name: "2020-12 tuple closed by maxItems (pydantic)",
    schema: {
      type: "array",
      prefixItems: [{ type: "string" }, { type: "integer" }],
      minItems: 2,
      maxItems: 2,
    },
    expected: "[string, number]",
  },
  {
    name: "2020-12 tuple with rest",
    schema: { type: "array", prefixItems: [{ type: "string" }], items: { type: "number" }, minItems: 1 },
    expected: "[string, ...number[]]",
  },
  {
    name: "open tuple with optional elements",
    schema: { type: "array", prefixItems: [{ type: "string" }, { type: ["number", "null"] }], minItems: 1 },
    expected: "[string, (number | null)?, ...unknown[]]",
  },
  {
    name: "draft-07 array-form items",
    schema: {
      type: "array",
      items: [{ type: "string" }, { type: "boolean" }],
      additionalItems: false,
      minItems: 2,
    },
    expected: "[string, boolean]",
  },
  {
    name: "draft-07 array-form items with additionalItems schema",
    schema: { type: "array", items: [{ type: "string" }], additionalItems: { type: "null" }, minItems: 1 },
    expected: "[string, ...null[]]",
  },
  { name: "empty closed tuple", schema: { type: "array", prefixItems: [], items: false }, expected: "[]" },
  // Objects.
  {
    name: "object with required and optional properties",
    schema: {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "string" } },
      required: ["a"],
    },
    expected: "{ a: number; b?: string }",
  },
  {
    name: "properties imply object",
    schema: { properties: { a: { type: "number" } }, required: ["a"] },
    expected: "{ a: number }",
  },
  {
    name: "property names that are not identifiers are quoted",
    schema: {
      type: "object",
      properties: {
        "kebab-case": { type: "string" },
        "with space": { type: "string" },
        "0": { type: "string" },
        default: { type: "string" },
        $ref: { type: "string" },
        "": { type: "string" },
        'q"uote': { type: "string" },
        é: { type: "string" },
      },
    },
    expected:
      '{ "0"?: string; "kebab-case"?: string; "with space"?: string; default?: string; $ref?: string; ""?: string; "q\\"uote"?: string; "é"?: string }',
  },
  { name: "bare object", schema: { type: "object" }, expected: "Record<string, unknown>" },
  {
    name: "empty closed object (zod z.object({}))",
    schema: { type: "object", properties: {}, additionalProperties: false },
    expected: "Record<string, never>",
  },
  {
    name: "map (additionalProperties schema)",
    schema: { type: "object", additionalProperties: { type: "integer" } },
    expected: "Record<string, number>",
  },
  {
    name: "additionalProperties true without properties",
    schema: { type: "object", additionalProperties: true },
    expected: "Record<string, unknown>",
  },
  {
    name: "additionalProperties true beside properties",
    schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true },
    expected: "{ a?: string; [key: string]: unknown }",
  },
  {
    name: "additionalProperties schema beside properties",
    schema: {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: { type: "number" },
    },
    expected: "{ a: string } & Record<string, number>",
  },
  {
    name: "additionalProperties false beside properties",
    schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    expected: "{ a?: string }",
  },
  {
    name: "patternProperties widen the index type",
    schema: {
      type: "object",
      patternProperties: { "^x-": { type: "string" }, "^n-": { type: "number" } },
      additionalProperties: false,
    },
    expected: "Record<string, string | number>",
  },
  {
    name: "map of union values",
    schema: { type: "object", additionalProperties: { type: ["string", "null"] } },
    expected: "Record<string, string | null>",
  },
  {
    name: "required names without properties are ignored",
    schema: { type: "object", properties: { a: { type: "string" } }, required: ["a", "ghost", 3] },
    expected: "{ a: string }",
  },
  {
    name: "false property",
    schema: { type: "object", properties: { gone: false } },
    expected: "{ gone?: never }",
  },
  {
    name: "own properties only (no prototype lookups)",
    schema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{}}}'),
    expected: "{ __proto__?: string; constructor?: unknown }",
  },
  // References.
  {
    name: "$ref into $defs",
    schema: {
      type: "object",
      properties: { home: { $ref: "#/$defs/Address" } },
      required: ["home"],
      $defs: { Address: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
    },
    expected: "{ home: { city: string } }",
  },
  {
    name: "$ref into definitions",
    schema: {
      type: "array",
      items: { $ref: "#/definitions/Id" },
      definitions: { Id: { type: "string", format: "uuid" } },
    },
    expected: "string[]",
  },
  {
    name: "$ref to a sibling path (zod-to-json-schema style)",
    schema: {
      type: "object",
      properties: {
        from: { type: "object", properties: { x: { type: "number" } }, required: ["x"] },
        to: { $ref: "#/properties/from" },
      },
      required: ["from", "to"],
    },
    expected: "{ from: { x: number }; to: { x: number } }",
  },
  {
    name: "$ref with escaped pointer segments",
    schema: { $ref: "#/$defs/a~1b~0c", $defs: { "a/b~c": { type: "boolean" } } },
    expected: "boolean",
  },
  {
    name: "$ref with percent-encoding",
    schema: { $ref: "#/$defs/My%20Type", $defs: { "My Type": { type: "null" } } },
    expected: "null",
  },
  {
    name: "$ref into an array index",
    schema: { $ref: "#/$defs/list/1", $defs: { list: [{ type: "string" }, { type: "number" }] } },
    expected: "number",
  },
  {
    name: "unresolved $ref",
    schema: { type: "object", properties: { a: { $ref: "#/$defs/Missing" } } },
    expected: "{ a?: unknown /* unresolved: Missing */ }",
  },
  {
    name: "remote $ref is not followed",
    schema: { $ref: "https://example.com/schema.json#/x" },
    expected: "unknown /* unresolved: x */",
  },
  {
    name: "$ref to constructor does not reach the prototype",
    schema: { $ref: "#/$defs/constructor", $defs: {} },
    expected: "unknown /* unresolved: constructor */",
  },
  {
    name: "self-recursive $ref",
    schema: {
      $ref: "#/$defs/Node",
      $defs: {
        Node: {
          type: "object",
          properties: {
            value: { type: "number" },
            children: { type: "array", items: { $ref: "#/$defs/Node" } },
          },
          required: ["value"],
        },
      },
    },
    expected: "{ value: number; children?: unknown /* recursive: Node */[] }",
  },
  {
    name: "recursion through the root",
    schema: { type: "object", properties: { next: { anyOf: [{ $ref: "#" }, { type: "null" }] } } },
    expected: "{ next?: unknown /* recursive: root */ }",
  },
  {
    name: "mutual recursion",
    schema: {
      $ref: "#/definitions/A",
      definitions: {
        A: { type: "object", properties: { b: { $ref: "#/definitions/B" } } },
        B: { type: "object", properties: { a: { $ref: "#/definitions/A" } } },
      },
    },
    expected: "{ b?: { a?: unknown /* recursive: A */ } }",
  },
  {
    name: "ref names are made comment-safe",
    schema: { $ref: "#/$defs/evil*/name" },
    expected: "unknown /* unresolved: name */",
  },
  {
    name: "ref names with comment terminators are sanitised",
    schema: { $ref: "#/$defs/a*%2Fb" },
    expected: "unknown /* unresolved: a__b */",
  },
  {
    name: "$ref siblings intersect (2020-12)",
    schema: {
      $ref: "#/$defs/Base",
      properties: { extra: { type: "string" } },
      $defs: { Base: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } },
    },
    expected: "{ id: string } & { extra?: string }",
  },
  {
    name: "$ref with only a description beside it",
    schema: { $ref: "#/$defs/Id", description: "The id", $defs: { Id: { type: "string" } } },
    expected: "string",
  },
];

describe("schemaToTs, one line", () => {
  it.each(singleLine)("$name", ({ schema, expected }) => {
    expect(schemaToTs(schema)).toBe(expected);
  });

  it("renders every row as a valid TypeScript type", () => {
    assertParsesAsTypes(singleLine.map((row) => schemaToTs(row.schema)));
  });
});

describe("schemaToTs, multiline", () => {
  it("puts each property on its own line with JSDoc from description and annotations", () => {
    const schema = {
      type: "object",
      properties: {
        path: { type: "string", description: "File path, relative to the root" },
        limit: { type: "integer", minimum: 1, maximum: 100, default: 10 },
        note: { type: "string", description: "Line one\n\nLine three */ tricky" },
        when: {
          anyOf: [{ type: "string", format: "date-time", pattern: "^\\d{4}-" }, { type: "null" }],
          description: "When it happened",
        },
        code: { type: "string", pattern: "^[A-Z]{3}$", minLength: 3, maxLength: 3 },
        old: { type: "boolean", deprecated: true },
        nested: {
          type: "object",
          properties: {
            inner: { type: "array", items: { type: "string" }, minItems: 1, description: "Inner" },
          },
          required: ["inner"],
        },
        plain: { type: "number" },
      },
      required: ["path"],
    };
    expect(schemaToTs(schema, { multiline: true })).toBe(
      [
        "{",
        "  /** File path, relative to the root */",
        "  path: string;",
        "  /**",
        "   * @default 10",
        "   * @minimum 1",
        "   * @maximum 100",
        "   */",
        "  limit?: number;",
        "  /**",
        "   * Line one",
        "   *",
        "   * Line three *\\/ tricky",
        "   */",
        "  note?: string;",
        "  /**",
        "   * When it happened",
        "   * @format date-time",
        "   */",
        "  when?: string | null;",
        "  /**",
        "   * @minLength 3",
        "   * @maxLength 3",
        "   * @pattern ^[A-Z]{3}$",
        "   */",
        "  code?: string;",
        "  /** @deprecated */",
        "  old?: boolean;",
        "  nested?: {",
        "    /**",
        "     * Inner",
        "     * @minItems 1",
        "     */",
        "    inner: string[];",
        "  };",
        "  plain?: number;",
        "}",
      ].join("\n"),
    );
  });

  it("indents objects inside arrays, unions and index signatures", () => {
    const schema = {
      type: "object",
      properties: {
        list: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } },
        either: {
          oneOf: [
            { type: "object", properties: { b: { type: "number" } }, required: ["b"] },
            { type: "null" },
          ],
        },
      },
      additionalProperties: true,
    };
    expect(schemaToTs(schema, { multiline: true, indent: "    " })).toBe(
      [
        "{",
        "    list?: {",
        "        a?: string;",
        "    }[];",
        "    either?: {",
        "        b: number;",
        "    } | null;",
        "    [key: string]: unknown;",
        "}",
      ].join("\n"),
    );
  });

  it("takes a property's description from the $ref target when it has none", () => {
    const schema = {
      type: "object",
      properties: { addr: { $ref: "#/$defs/Address" } },
      $defs: {
        Address: {
          type: "object",
          description: "A postal address.",
          properties: { city: { type: "string" } },
        },
      },
    };
    expect(schemaToTs(schema, { multiline: true })).toBe(
      ["{", "  /** A postal address. */", "  addr?: {", "    city?: string;", "  };", "}"].join("\n"),
    );
  });

  it("drops long generated patterns and long defaults", () => {
    const schema = {
      type: "object",
      properties: {
        id: { type: "string", pattern: `^${"[0-9a-f]".repeat(20)}$` },
        opts: { type: "object", default: { a: "x".repeat(100) } },
      },
    };
    expect(schemaToTs(schema, { multiline: true })).toBe(
      ["{", "  id?: string;", "  opts?: Record<string, unknown>;", "}"].join("\n"),
    );
  });

  it("ignores an indent that is not whitespace", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    expect(schemaToTs(schema, { multiline: true, indent: "x;" })).toBe("{\n  a?: string;\n}");
  });
});

describe("schemaToTs, limits and hostile input", () => {
  function nested(levels: number): unknown {
    let schema: unknown = { type: "string" };
    for (let i = 0; i < levels; i++) schema = { type: "object", properties: { n: schema }, required: ["n"] };
    return schema;
  }

  it("renders up to maxDepth levels and unknown below", () => {
    expect(schemaToTs(nested(2), { maxDepth: 2 })).toBe("{ n: { n: string } }");
    expect(schemaToTs(nested(3), { maxDepth: 2 })).toBe("{ n: { n: { n: unknown } } }");
    expect(schemaToTs(nested(8))).toBe(`${"{ n: ".repeat(8)}string${" }".repeat(8)}`);
    expect(schemaToTs(nested(9))).toBe(`${"{ n: ".repeat(9)}unknown${" }".repeat(9)}`);
    expect(schemaToTs(nested(3), { maxDepth: 0 })).toBe("{ n: unknown }");
  });

  it("caps maxDepth at 64, so nesting far deeper than the stack still renders", () => {
    expect(schemaToTs(nested(50_000), { maxDepth: 1_000_000 })).toBe(
      `${"{ n: ".repeat(65)}unknown${" }".repeat(65)}`,
    );
    let union: unknown = { type: "string" };
    for (let i = 0; i < 50_000; i++) union = { anyOf: [union, { type: "null" }] };
    expect(schemaToTs(union, { maxDepth: Number.POSITIVE_INFINITY })).toBe("unknown");
    union = { type: "string" };
    for (let i = 0; i < 3; i++) union = { anyOf: [union, { type: "null" }] };
    expect(schemaToTs(union)).toBe("string | null");
  });

  it("stops following a long chain of distinct references", () => {
    const $defs: Record<string, unknown> = { R10000: { type: "string" } };
    for (let i = 0; i < 10_000; i++) $defs[`R${i}`] = { $ref: `#/$defs/R${i + 1}` };
    expect(schemaToTs({ $ref: "#/$defs/R0", $defs })).toBe("unknown /* too deep: R32 */");
    expect(schemaToTs({ $ref: "#/$defs/R9990", $defs })).toBe("string");
  });

  it("stays small when references fan out exponentially", () => {
    const $defs: Record<string, unknown> = { D0: { type: "string" } };
    for (let i = 1; i <= 30; i++) {
      $defs[`D${i}`] = {
        type: "object",
        properties: { a: { $ref: `#/$defs/D${i - 1}` }, b: { $ref: `#/$defs/D${i - 1}` } },
      };
    }
    const started = performance.now();
    const text = schemaToTs({ $ref: "#/$defs/D30", $defs }, { maxDepth: 100 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(text.length).toBeLessThan(200_000);
    assertParsesAsTypes([text]);
  });

  it("degrades to unknown on a throwing getter", () => {
    const hostile = {
      get type(): string {
        throw new Error("boom");
      },
    };
    expect(schemaToTs(hostile)).toBe("unknown");
  });

  it("never throws and always parses, for seeded random schemas", () => {
    const random = seeded(20_240_917);
    const outputs: string[] = [];
    for (let i = 0; i < 1_500; i++) {
      const schema = randomSchema(random);
      const maxDepth = Math.floor(random() * 10);
      outputs.push(schemaToTs(schema, { maxDepth }));
      outputs.push(schemaToTs(schema, { maxDepth, multiline: true }));
    }
    assertParsesAsTypes(outputs);
  });
});

describe("schemaToTs on real-world schemas", () => {
  it("reads a zod 4 schema, generated live by z.toJSONSchema", () => {
    const schema = z.toJSONSchema(
      z.object({
        path: z.string().describe("File path"),
        limit: z.number().int().min(1).max(100).optional(),
        mode: z.enum(["text", "binary"]).default("text"),
        tags: z.array(z.string()).optional(),
        meta: z.record(z.string(), z.number()),
        when: z.iso.datetime().nullable(),
        id: z.union([z.string(), z.number()]),
        pair: z.tuple([z.string(), z.boolean()]),
      }),
    );
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schemaToTs(schema)).toBe(
      '{ path: string; limit?: number; mode: "text" | "binary"; tags?: string[]; meta: Record<string, number>; when: string | null; id: string | number; pair: [string, boolean] }',
    );
  });

  it("reads a pinned zod schema with $schema and additionalProperties: false", () => {
    expect(schemaToTs(zodSchemaPinned)).toBe(
      '{ query: string; limit?: number; sort?: "relevance" | "date"; filters?: { language?: string; since?: string } }',
    );
  });

  it("reads a pydantic schema with $defs, $ref and anyOf [X, null]", () => {
    expect(schemaToTs(pydanticSchema)).toBe(
      '{ name: string; age?: number | null; address?: { street: string; city: string; zip?: string | null } | null; tags?: string[]; kind?: "person" | "robot"; friends?: unknown /* recursive: Person */[] }',
    );
    expect(schemaToTs(pydanticSchema, { multiline: true })).toBe(
      [
        "{",
        "  /** Full name */",
        "  name: string;",
        "  /**",
        "   * @default null",
        "   * @minimum 0",
        "   */",
        "  age?: number | null;",
        "  /**",
        "   * Where they live",
        "   * @default null",
        "   */",
        "  address?: {",
        "    street: string;",
        "    city: string;",
        "    /** @default null */",
        "    zip?: string | null;",
        "  } | null;",
        "  tags?: string[];",
        '  /** @default "person" */',
        '  kind?: "person" | "robot";',
        "  friends?: unknown /* recursive: Person */[];",
        "}",
      ].join("\n"),
    );
  });

  it("reads GitHub's create_issue", () => {
    expect(schemaToTs(createIssueSchema)).toBe(
      '{ owner: string; repo: string; title: string; body?: string; assignees?: string[]; labels?: string[]; milestone?: number; type?: string; state?: "open" | "closed" }',
    );
  });

  it("reads a review with an array of nested objects", () => {
    expect(schemaToTs(reviewSchema)).toBe(
      '{ owner: string; repo: string; pullNumber: number; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; comments?: { path: string; line?: number; side?: "LEFT" | "RIGHT"; body: string }[] }',
    );
  });

  it("type-checks (not only parses) what it generates for the corpus", () => {
    const corpus = [
      ...singleLine.map((row) => row.schema),
      zodSchemaPinned,
      pydanticSchema,
      createIssueSchema,
      reviewSchema,
    ];
    const random = seeded(7);
    for (let i = 0; i < 300; i++) corpus.push(randomSchema(random));
    const source = corpus
      .flatMap((schema, i) => [
        `export type S${i} = ${schemaToTs(schema)};`,
        `export type M${i} = ${schemaToTs(schema, { multiline: true })};`,
      ])
      .join("\n");
    expect(semanticErrors(source)).toEqual([]);
  });
});

describe("test helpers", () => {
  it("the syntax check rejects what is not a type", () => {
    expect(() => assertParsesAsTypes(["{ a: string"])).toThrow();
    expect(() => assertParsesAsTypes(["string; type X = number"])).toThrow();
    expect(() => assertParsesAsTypes(["unknown /* open"])).toThrow();
    expect(() => assertParsesAsTypes(["string | number?"])).toThrow();
  });

  it("the type check rejects what does not type-check", () => {
    expect(semanticErrors("export type T = { a?: string; [key: string]: number };")).not.toEqual([]);
    expect(semanticErrors("export type T = Missing;")).not.toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Tool declarations
// ---------------------------------------------------------------------------------------------

describe("isIdentifier", () => {
  const rows: Array<[string, boolean]> = [
    ["add", true],
    ["create_issue", true],
    ["_private", true],
    ["$", true],
    ["camelCase9", true],
    ["undefined", true],
    ["get-sum", false],
    ["", false],
    ["9lives", false],
    ["with space", false],
    ["é", false],
    ["delete", false],
    ["class", false],
    ["await", false],
    ["yield", false],
    ["let", false],
    ["null", false],
    ["true", false],
  ];
  it.each(rows)("%j → %s", (name, expected) => {
    expect(isIdentifier(name)).toBe(expected);
  });
});

describe("accessExpression", () => {
  const rows: Array<[string, string, string]> = [
    ["fixture", "add", "tools.fixture.add"],
    ["fixture", "get-sum", 'tools.fixture["get-sum"]'],
    ["my-server", "echo", 'tools["my-server"].echo'],
    ["my-server", "get.sum", 'tools["my-server"]["get.sum"]'],
    ["fs", "delete", 'tools.fs["delete"]'],
    ['we"ird', "x", 'tools["we\\"ird"].x'],
    ["s", "a\u2028b", 'tools.s["a\\u2028b"]'],
  ];
  it.each(rows)("%s / %s → %s", (server, tool, expected) => {
    expect(accessExpression(server, tool)).toBe(expected);
  });

  it("evaluates to the right property at run time", () => {
    const tools: Record<string, Record<string, string>> = {
      fixture: { add: "A", "get-sum": "B", delete: "C" },
      "my-server": { echo: "D", "a\u2028b": "E" },
    };
    const read = (expression: string): unknown => new Function("tools", `return ${expression};`)(tools);
    expect(read(accessExpression("fixture", "add"))).toBe("A");
    expect(read(accessExpression("fixture", "get-sum"))).toBe("B");
    expect(read(accessExpression("fixture", "delete"))).toBe("C");
    expect(read(accessExpression("my-server", "echo"))).toBe("D");
    expect(read(accessExpression("my-server", "a\u2028b"))).toBe("E");
  });
});

describe("summarize", () => {
  const rows: Array<[string | undefined, string]> = [
    [undefined, ""],
    ["", ""],
    ["   \n  ", ""],
    ["Adds two numbers.", "Adds two numbers."],
    ["\n\n  Lists   files.  \nSecond line", "Lists files."],
    ["First\u2028second", "First"],
    [
      "Search for repositories on GitHub by name, topic, language or owner, and sort the results by stars.",
      "Search for repositories on GitHub by name, topic, language or owner, and sort…",
    ],
    ["x".repeat(100), `${"x".repeat(79)}…`],
  ];
  it.each(rows)("%j → %j", (description, expected) => {
    const summary = summarize(description);
    expect(summary).toBe(expected);
    expect(summary.length).toBeLessThanOrEqual(80);
  });
});

const addTool: ToolTypingInput = {
  server: "fixture",
  name: "add",
  description: "Adds two numbers.\nReturns their sum.",
  inputSchema: {
    type: "object",
    properties: {
      a: { type: "number", description: "First addend" },
      b: { type: "number", description: "Second addend" },
    },
    required: ["a", "b"],
  },
  outputSchema: { type: "object", properties: { sum: { type: "number" } }, required: ["sum"] },
};

const createIssueTool: ToolTypingInput = {
  server: "github",
  name: "create_issue",
  description: "Create a new issue in a GitHub repository.",
  inputSchema: createIssueSchema,
  outputSchema: {
    type: "object",
    properties: {
      number: { type: "integer", description: "Issue number" },
      url: { type: "string", format: "uri" },
    },
    required: ["number", "url"],
  },
};

describe("toolDeclaration", () => {
  it("names: the access expression", () => {
    expect(toolDeclaration(addTool, "names")).toBe("tools.fixture.add");
    expect(toolDeclaration({ ...addTool, server: "my-server", name: "get-sum" }, "names")).toBe(
      'tools["my-server"]["get-sum"]',
    );
  });

  it("signatures: one line with the first line of the description", () => {
    expect(toolDeclaration(addTool, "signatures")).toBe(
      "tools.fixture.add(args: { a: number; b: number }): Promise<{ sum: number }> // Adds two numbers.",
    );
    expect(toolDeclaration(createIssueTool, "signatures")).toBe(
      'tools.github.create_issue(args: { owner: string; repo: string; title: string; body?: string; assignees?: string[]; labels?: string[]; milestone?: number; type?: string; state?: "open" | "closed" }): Promise<{ number: number; url: string }> // Create a new issue in a GitHub repository.',
    );
  });

  it("full: JSDoc with the whole description and @param lines, then a multiline signature", () => {
    expect(toolDeclaration(addTool, "full")).toBe(
      [
        "/**",
        " * Adds two numbers.",
        " * Returns their sum.",
        " *",
        " * @param args.a First addend",
        " * @param args.b Second addend",
        " */",
        "tools.fixture.add(args: {",
        "  /** First addend */",
        "  a: number;",
        "  /** Second addend */",
        "  b: number;",
        "}): Promise<{",
        "  sum: number;",
        "}>",
      ].join("\n"),
    );
    expect(toolDeclaration(createIssueTool, "full")).toBe(
      [
        "/**",
        " * Create a new issue in a GitHub repository.",
        " *",
        " * @param args.owner Repository owner",
        " * @param args.repo Repository name",
        " * @param args.title Issue title",
        " * @param args.body Issue body content",
        " * @param args.assignees Usernames to assign to this issue",
        " * @param args.labels Labels to apply to this issue",
        " * @param args.milestone Milestone number",
        " * @param args.type Type of this issue",
        " * @param args.state New state",
        " */",
        "tools.github.create_issue(args: {",
        "  /** Repository owner */",
        "  owner: string;",
        "  /** Repository name */",
        "  repo: string;",
        "  /** Issue title */",
        "  title: string;",
        "  /** Issue body content */",
        "  body?: string;",
        "  /** Usernames to assign to this issue */",
        "  assignees?: string[];",
        "  /** Labels to apply to this issue */",
        "  labels?: string[];",
        "  /** Milestone number */",
        "  milestone?: number;",
        "  /** Type of this issue */",
        "  type?: string;",
        "  /** New state */",
        '  state?: "open" | "closed";',
        "}): Promise<{",
        "  /** Issue number */",
        "  number: number;",
        "  /** @format uri */",
        "  url: string;",
        "}>",
      ].join("\n"),
    );
  });

  const optionality: Array<{ name: string; inputSchema: unknown; expected: string }> = [
    {
      name: "no required property",
      inputSchema: { type: "object", properties: { tz: { type: "string" } } },
      expected: "tools.time.now(args?: { tz?: string }): Promise<unknown>",
    },
    {
      name: "empty required list",
      inputSchema: { type: "object", properties: { tz: { type: "string" } }, required: [] },
      expected: "tools.time.now(args?: { tz?: string }): Promise<unknown>",
    },
    {
      name: "zod's empty object",
      inputSchema: { type: "object", properties: {}, additionalProperties: false },
      expected: "tools.time.now(args?: Record<string, never>): Promise<unknown>",
    },
    {
      name: "bare object",
      inputSchema: { type: "object" },
      expected: "tools.time.now(args?: Record<string, unknown>): Promise<unknown>",
    },
    {
      name: "missing schema",
      inputSchema: undefined,
      expected: "tools.time.now(args?: unknown): Promise<unknown>",
    },
    { name: "garbage schema", inputSchema: 42, expected: "tools.time.now(args?: unknown): Promise<unknown>" },
    {
      name: "a required property",
      inputSchema: { type: "object", properties: { tz: { type: "string" } }, required: ["tz"] },
      expected: "tools.time.now(args: { tz: string }): Promise<unknown>",
    },
    {
      name: "branches that may require something",
      inputSchema: {
        type: "object",
        oneOf: [
          { properties: { id: { type: "number" } }, required: ["id"] },
          { properties: { slug: { type: "string" } }, required: ["slug"] },
        ],
      },
      expected: "tools.time.now(args: { id: number } | { slug: string }): Promise<unknown>",
    },
    {
      name: "required behind a top-level $ref (pydantic)",
      inputSchema: {
        $ref: "#/$defs/Args",
        $defs: { Args: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } },
      },
      expected: "tools.time.now(args: { q: string }): Promise<unknown>",
    },
  ];
  it.each(optionality)("args optionality: $name", ({ inputSchema, expected }) => {
    expect(toolDeclaration({ server: "time", name: "now", inputSchema }, "signatures")).toBe(expected);
  });

  it("omits the comment and the JSDoc block when there is nothing to say", () => {
    const tool = {
      server: "time",
      name: "now",
      inputSchema: { type: "object", properties: { tz: { type: "string" } } },
    };
    expect(toolDeclaration(tool, "signatures")).toBe(
      "tools.time.now(args?: { tz?: string }): Promise<unknown>",
    );
    expect(toolDeclaration({ ...tool, description: "  \n " }, "full")).toBe(
      "tools.time.now(args?: {\n  tz?: string;\n}): Promise<unknown>",
    );
  });

  it("full: params only, quoted param paths, escaped comment ends, and $ref descriptions", () => {
    const tool: ToolTypingInput = {
      server: "fs",
      name: "read-file",
      inputSchema: {
        type: "object",
        properties: {
          "file-path": { type: "string", description: "Path\nto read */ carefully" },
          opts: { $ref: "#/$defs/Opts" },
        },
        required: ["file-path"],
        $defs: {
          Opts: { type: "object", description: "Read options.", properties: { raw: { type: "boolean" } } },
        },
      },
    };
    expect(toolDeclaration(tool, "full")).toBe(
      [
        "/**",
        ' * @param args["file-path"] Path to read *\\/ carefully',
        " * @param args.opts Read options.",
        " */",
        'tools.fs["read-file"](args: {',
        "  /**",
        "   * Path",
        "   * to read *\\/ carefully",
        "   */",
        '  "file-path": string;',
        "  /** Read options. */",
        "  opts?: {",
        "    raw?: boolean;",
        "  };",
        "}): Promise<unknown>",
      ].join("\n"),
    );
  });

  it("honours maxDepth and indent", () => {
    const tool: ToolTypingInput = {
      server: "s",
      name: "t",
      inputSchema: {
        type: "object",
        properties: { a: { type: "object", properties: { b: { type: "string" } } } },
      },
    };
    expect(toolDeclaration(tool, "signatures", { maxDepth: 1 })).toBe(
      "tools.s.t(args?: { a?: { b?: unknown } }): Promise<unknown>",
    );
    expect(toolDeclaration(tool, "full", { indent: "\t" })).toBe(
      "tools.s.t(args?: {\n\ta?: {\n\t\tb?: string;\n\t};\n}): Promise<unknown>",
    );
  });
});

/**
 * Turns a declaration into `declare function T<i>…` (the access expression replaced), so the
 * compiler can judge it. The access expression must start the first line after the JSDoc.
 */
function asFunctionDeclaration(declaration: string, access: string, index: number): string {
  const at = declaration.startsWith(access) ? 0 : declaration.indexOf(`\n${access}(`) + 1;
  if (at === 0 && !declaration.startsWith(access)) throw new Error(`no access expression in ${declaration}`);
  return `${declaration.slice(0, at)}declare function T${index}${declaration.slice(at + access.length)}`;
}

function assertValidDeclarations(tools: readonly ToolTypingInput[], detail: "signatures" | "full"): string {
  const declarations = tools.map((tool, i) =>
    asFunctionDeclaration(toolDeclaration(tool, detail), accessExpression(tool.server, tool.name), i),
  );
  const source = declarations.join("\n");
  assertDeclarations(source, tools.length, ts.SyntaxKind.FunctionDeclaration, declarations);
  return source;
}

describe("toolDeclaration output is valid TypeScript", () => {
  const realistic: ToolTypingInput[] = [
    addTool,
    createIssueTool,
    {
      server: "github",
      name: "create_pull_request_review",
      description: "Review a PR.",
      inputSchema: reviewSchema,
    },
    {
      server: "search-server",
      name: "web-search",
      description: "Search */ the web",
      inputSchema: zodSchemaPinned,
    },
    {
      server: "people",
      name: "add_person",
      description: "Adds a person.\n\nArgs:\n  person",
      inputSchema: pydanticSchema,
    },
    { server: "x", name: "class", inputSchema: undefined, outputSchema: false },
  ];

  it.each(["signatures", "full"] as const)("%s parse and type-check for realistic tools", (detail) => {
    const source = assertValidDeclarations(realistic, detail);
    expect(semanticErrors(`${source}\nexport {};`)).toEqual([]);
  });

  it("signatures and full parse for seeded random tools", () => {
    const random = seeded(99);
    const tools: ToolTypingInput[] = [];
    for (let i = 0; i < 800; i++) {
      const description =
        random() < 0.8 ? NASTY.filter(() => random() < 0.3).join(random() < 0.5 ? "\n" : " ") : undefined;
      tools.push({
        server: pick(random, NASTY),
        name: pick(random, NASTY),
        description,
        inputSchema: randomSchema(random),
        outputSchema: random() < 0.5 ? randomSchema(random) : undefined,
      });
    }
    assertValidDeclarations(tools, "signatures");
    assertValidDeclarations(tools, "full");
    expect(semanticErrors(`${assertValidDeclarations(tools.slice(0, 200), "full")}\nexport {};`)).toEqual([]);
  });
});

/** A catalogue the size of a big installation: 2,500 tools with typical schemas. */
function bigCatalogue(): ToolTypingInput[] {
  const shapes = [createIssueSchema, reviewSchema, zodSchemaPinned, pydanticSchema, addTool.inputSchema];
  const tools: ToolTypingInput[] = [];
  for (let i = 0; i < 2_500; i++) {
    tools.push({
      server: `server${i % 25}`,
      name: i % 7 === 0 ? `get-thing-${i}` : `tool_${i}`,
      description: `Tool number ${i}.\nIt does thing ${i} with care.`,
      inputSchema: shapes[i % shapes.length],
      outputSchema: i % 2 === 0 ? addTool.outputSchema : undefined,
    });
  }
  return tools;
}

describe("a catalogue of 2,500 tools", () => {
  it("declares every tool, at every detail, correctly", () => {
    const tools = bigCatalogue();
    const names = tools.map((tool) => toolDeclaration(tool, "names"));
    const signatures = tools.map((tool) => toolDeclaration(tool, "signatures"));
    const full = tools.map((tool) => toolDeclaration(tool, "full"));
    expect(names[1_004]).toBe("tools.server4.tool_1004");
    expect(names[1_001]).toBe('tools.server1["get-thing-1001"]');
    expect(signatures[1_004]).toBe(
      "tools.server4.tool_1004(args: { a: number; b: number }): Promise<{ sum: number }> // Tool number 1004.",
    );
    expect(signatures[1_001]).toBe(
      'tools.server1["get-thing-1001"](args: { owner: string; repo: string; pullNumber: number; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; comments?: { path: string; line?: number; side?: "LEFT" | "RIGHT"; body: string }[] }): Promise<unknown> // Tool number 1001.',
    );
    expect(full[2_499]).toBe(
      [
        "/**",
        " * Tool number 2499.",
        " * It does thing 2499 with care.",
        " *",
        " * @param args.a First addend",
        " * @param args.b Second addend",
        " */",
        'tools.server24["get-thing-2499"](args: {',
        "  /** First addend */",
        "  a: number;",
        "  /** Second addend */",
        "  b: number;",
        "}): Promise<unknown>",
      ].join("\n"),
    );
    // Tools sharing a schema object get the same text: no state leaks between calls.
    const bodies = new Set(
      signatures.map((line) => line.slice(line.indexOf("(args"), line.lastIndexOf(" // "))),
    );
    expect(bodies.size).toBe(5 * 2);
    expect(signatures.filter((line) => line.includes("recursive: Person")).length).toBe(500);
    assertValidDeclarations(tools, "signatures");
    assertValidDeclarations(tools, "full");
  });
});
