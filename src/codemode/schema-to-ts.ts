/**
 * JSON Schema → TypeScript type expression, for showing tool signatures to a model.
 *
 * Contract:
 * - Pure and total: any input (garbage, cycles, non-objects) gives a string, never a throw.
 * - The result is always a syntactically valid TypeScript type (`type T = <result>;` parses), and
 *   for the shapes MCP servers emit it also type-checks.
 * - It is documentation, not validation: keywords that are not types (`format`, `default`,
 *   `minimum`, `pattern`, …) appear only as JSDoc tags in multiline mode; keywords that cannot be
 *   expressed (`not`, `if`/`then`/`else`, `propertyNames`, `dependentRequired`, …) are ignored,
 *   which makes the type wider, never narrower.
 * - Understands draft-07 and 2020-12 as zod and pydantic emit them, plus OpenAPI's `nullable`.
 *   `$ref`s are local JSON pointers into the root schema (`#`, `#/$defs/X`, `#/definitions/X`,
 *   `#/properties/a/items`, …) and are expanded inline; a ref that is already being expanded
 *   (recursion) becomes `unknown /* recursive: X *\/`, and one that cannot be resolved
 *   `unknown /* unresolved: X *\/`.
 */

export interface SchemaToTsOptions {
  /**
   * How many levels of nested subschemas (object properties, array items, map values, members
   * of `anyOf`/`oneOf`/`allOf`) are rendered; deeper ones become `unknown`. Following a `$ref`
   * is not nesting. Default 8, at most 64.
   */
  readonly maxDepth?: number;
  /** One indentation step in multiline mode; only spaces and tabs are honoured. Default two spaces. */
  readonly indent?: string;
  /**
   * One property per line, each preceded by a JSDoc comment built from its `description` and
   * annotations (`format`, `default`, bounds, `pattern`, `deprecated`). The first line carries no
   * indentation; nested lines are indented relative to column 0. Default false: one line, no comments.
   */
  readonly multiline?: boolean;
}

export const DEFAULT_MAX_DEPTH = 8;
const DEFAULT_INDENT = "  ";
/** Upper bound for `maxDepth`; with MAX_REF_NESTING it bounds recursion far below stack size. */
export const MAX_DEPTH_LIMIT = 64;
/** `$ref`s expanded inside one another (a chain A → B → C → …) before giving up with `unknown`. */
const MAX_REF_NESTING = 32;
/** Schema nodes rendered per call; guards against exponential `$ref` fan-out. */
const NODE_BUDGET = 5_000;
/** Pattern tags longer than this are dropped: they cost tokens and say little to a model. */
const MAX_TAG_VALUE_LENGTH = 80;

/** Operator precedence of a rendered type, to know where parentheses are needed. */
type Precedence = "union" | "intersection" | "primary";

interface Rendered {
  readonly text: string;
  readonly precedence: Precedence;
  /** For unions: the flattened member texts, so nested unions dedupe. */
  readonly members?: readonly string[];
  /** `unknown`, possibly with an explanatory comment; absorbs unions and vanishes in intersections. */
  readonly isUnknown?: boolean;
  readonly isNever?: boolean;
  /** `Record<string, unknown>` from a bare `type: "object"`: says nothing beside another part. */
  readonly isLoose?: boolean;
}

const UNKNOWN: Rendered = { text: "unknown", precedence: "primary", isUnknown: true };
const NEVER: Rendered = { text: "never", precedence: "primary", isNever: true };

function keyword(text: string): Rendered {
  return { text, precedence: "primary" };
}

interface Context {
  readonly root: unknown;
  readonly maxDepth: number;
  readonly indent: string;
  readonly multiline: boolean;
  /** `$ref`s being expanded, innermost last. */
  readonly refStack: string[];
  /** Resolution of each `$ref` seen so far in this call. */
  readonly resolved: Map<string, RefTarget>;
  budget: number;
}

/**
 * Schema keywords are read as plain properties: none of their names exists on Object.prototype.
 * Names that come from the schema itself (property names, pointer segments) are only looked up
 * with Object.hasOwn, so `constructor` or `__proto__` never reach the prototype.
 */
type JsonObject = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Converts a JSON Schema to a TypeScript type expression. See the module comment for the contract. */
export function schemaToTs(schema: unknown, options: SchemaToTsOptions = {}): string {
  const requested = options.maxDepth;
  const maxDepth =
    typeof requested === "number" && requested >= 0
      ? Math.min(requested, MAX_DEPTH_LIMIT)
      : DEFAULT_MAX_DEPTH;
  const indent =
    typeof options.indent === "string" && /^[ \t]*$/.test(options.indent) ? options.indent : DEFAULT_INDENT;
  const context: Context = {
    root: schema,
    maxDepth,
    indent,
    multiline: options.multiline === true,
    // The root is being expanded: a `$ref: "#"` inside it is recursion.
    refStack: ["#"],
    resolved: new Map(),
    budget: NODE_BUDGET,
  };
  try {
    return render(schema, 0, 0, context).text;
  } catch {
    // Only reachable through hostile objects (throwing getters, proxies); schemas from JSON cannot.
    return "unknown";
  }
}

function render(schema: unknown, depth: number, level: number, context: Context): Rendered {
  context.budget -= 1;
  if (context.budget < 0) return UNKNOWN;
  if (schema === false) return NEVER;
  if (!isRecord(schema) || depth > context.maxDepth) return UNKNOWN;

  const parts: Rendered[] = [];
  const ref = schema.$ref;
  if (typeof ref === "string") parts.push(renderRef(ref, depth, level, context));
  const base = renderBase(schema, depth, level, context);
  if (base !== undefined) parts.push(base);
  const { anyOf, oneOf, allOf } = schema;
  if (Array.isArray(anyOf)) {
    parts.push(union(anyOf.map((member) => render(member, depth + 1, level, context))));
  }
  if (Array.isArray(oneOf)) {
    parts.push(union(oneOf.map((member) => render(member, depth + 1, level, context))));
  }
  if (Array.isArray(allOf)) {
    for (const member of allOf) parts.push(render(member, depth + 1, level, context));
  }
  const result = parts.length === 1 && parts[0] !== undefined ? parts[0] : intersection(parts);
  return schema.nullable === true ? union([result, keyword("null")]) : result;
}

function renderRef(ref: string, depth: number, level: number, context: Context): Rendered {
  if (context.refStack.includes(ref)) return commentedUnknown(`recursive: ${refName(ref)}`);
  let target = context.resolved.get(ref);
  if (target === undefined) {
    target = resolveRef(ref, context.root);
    context.resolved.set(ref, target);
  }
  if (!target.found) return commentedUnknown(`unresolved: ${refName(ref)}`);
  if (context.refStack.length > MAX_REF_NESTING) return commentedUnknown(`too deep: ${refName(ref)}`);
  context.refStack.push(ref);
  try {
    return render(target.schema, depth, level, context);
  } finally {
    context.refStack.pop();
  }
}

function commentedUnknown(comment: string): Rendered {
  return { text: `unknown /* ${comment} */`, precedence: "primary", isUnknown: true };
}

/** A short, comment-safe name for a ref: its last pointer segment. */
function refName(ref: string): string {
  if (ref === "#") return "root";
  const last = ref.slice(ref.lastIndexOf("/") + 1) || ref;
  const safe = decodePointerSegment(last)
    .replace(/[^A-Za-z0-9_$.-]/g, "_")
    .slice(0, 60);
  return safe === "" ? "_" : safe;
}

function decodePointerSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded after all; use it as written.
  }
  return decoded.replaceAll("~1", "/").replaceAll("~0", "~");
}

export type RefTarget = { readonly found: true; readonly schema: unknown } | { readonly found: false };

/** Resolves a local JSON pointer (`#`, `#/a/b`) against the root; anything else is not found. */
export function resolveRef(ref: string, root: unknown): RefTarget {
  if (ref === "#") return { found: true, schema: root };
  if (!ref.startsWith("#/")) return { found: false };
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const segment = decodePointerSegment(raw);
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return { found: false };
      const index = Number(segment);
      if (index >= node.length) return { found: false };
      node = node[index];
    } else if (isRecord(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, schema: node };
}

/** The type from `const`, `enum` or `type` (or, without those, from structural keywords). */
function renderBase(
  schema: JsonObject,
  depth: number,
  level: number,
  context: Context,
): Rendered | undefined {
  if (Object.hasOwn(schema, "const")) return literal(schema.const);
  const values = schema.enum;
  if (Array.isArray(values)) return union(values.map(literal));
  const type = schema.type;
  if (typeof type === "string") return renderType(type, schema, depth, level, context);
  if (Array.isArray(type)) {
    return union(
      type.map((t) => (typeof t === "string" ? renderType(t, schema, depth, level, context) : UNKNOWN)),
    );
  }
  if (type !== undefined) return UNKNOWN;
  if (
    schema.properties !== undefined ||
    schema.additionalProperties !== undefined ||
    schema.patternProperties !== undefined
  ) {
    return renderObject(schema, depth, level, context);
  }
  if (schema.items !== undefined || schema.prefixItems !== undefined) {
    return renderArray(schema, depth, level, context);
  }
  return undefined;
}

function renderType(
  type: string,
  schema: JsonObject,
  depth: number,
  level: number,
  context: Context,
): Rendered {
  switch (type) {
    case "string":
    case "boolean":
    case "null":
      return keyword(type);
    case "number":
    case "integer":
      return keyword("number");
    case "array":
      return renderArray(schema, depth, level, context);
    case "object":
      return renderObject(schema, depth, level, context);
    default:
      return UNKNOWN;
  }
}

/** A JSON value as a literal type; objects and arrays (rare in `enum`) widen to their kind. */
function literal(value: unknown): Rendered {
  switch (typeof value) {
    case "string":
      return keyword(quote(value));
    case "number":
      if (!Number.isFinite(value)) return keyword("number");
      return keyword(Object.is(value, -0) ? "0" : String(value));
    case "boolean":
      return keyword(String(value));
    case "object":
      if (value === null) return keyword("null");
      return keyword(Array.isArray(value) ? "unknown[]" : "Record<string, unknown>");
    default:
      return UNKNOWN;
  }
}

function renderArray(schema: JsonObject, depth: number, level: number, context: Context): Rendered {
  const prefixItems = schema.prefixItems;
  const items = schema.items;
  // 2020-12 `prefixItems` + `items` as the rest; draft-07 array-form `items` + `additionalItems`.
  const prefix = Array.isArray(prefixItems) ? prefixItems : Array.isArray(items) ? items : undefined;
  if (prefix === undefined) return arrayOf(render(items ?? true, depth + 1, level, context));

  const rest = Array.isArray(prefixItems) ? items : schema.additionalItems;
  const minItems = schema.minItems;
  const maxItems = schema.maxItems;
  const required = typeof minItems === "number" ? minItems : 0;
  const elements = prefix.map((element, index) => {
    const type = render(element, depth + 1, level, context);
    return index < required ? type.text : `${parenthesise(type, "primary")}?`;
  });
  const closed = rest === false || (typeof maxItems === "number" && maxItems <= prefix.length);
  if (!closed) {
    const restType = render(Array.isArray(rest) ? true : (rest ?? true), depth + 1, level, context);
    if (!restType.isNever) elements.push(`...${arrayOf(restType).text}`);
  }
  const [only] = elements;
  if (elements.length === 1 && only?.startsWith("...")) return keyword(only.slice(3));
  return keyword(`[${elements.join(", ")}]`);
}

function arrayOf(element: Rendered): Rendered {
  return keyword(`${parenthesise(element, "primary")}[]`);
}

function renderObject(schema: JsonObject, depth: number, level: number, context: Context): Rendered {
  const properties = schema.properties;
  const names = isRecord(properties) ? Object.keys(properties) : [];
  const requiredList = schema.required;
  const required = new Set(
    Array.isArray(requiredList) ? requiredList.filter((r) => typeof r === "string") : [],
  );

  // Extra keys: `additionalProperties` and every `patternProperties` value widen the index type.
  const extras: Rendered[] = [];
  const additional = schema.additionalProperties;
  if (additional !== undefined && additional !== false) {
    extras.push(render(additional, depth + 1, level + 1, context));
  }
  const patterns = schema.patternProperties;
  if (isRecord(patterns)) {
    for (const key of Object.keys(patterns)) {
      extras.push(render(patterns[key], depth + 1, level + 1, context));
    }
  }
  const index = extras.length === 0 ? undefined : union(extras);

  if (names.length === 0 || !isRecord(properties)) {
    // No listed properties: a map. Absent `additionalProperties` means any keys (JSON Schema default).
    const value = index ?? (additional === false ? NEVER : UNKNOWN);
    return { ...keyword(`Record<string, ${value.text}>`), isLoose: value.text === "unknown" };
  }

  const pad = context.indent.repeat(level + 1);
  const members = names.map((name) => {
    const propertySchema = properties[name];
    const type = render(propertySchema, depth + 1, level + 1, context);
    const member = `${propertyKey(name)}${required.has(name) ? "" : "?"}: ${type.text};`;
    if (!context.multiline) return member;
    return `${formatJsDoc(propertyDocLines(propertySchema, context.root), pad)}${pad}${member}`;
  });
  // An index signature must admit every property's type; only `unknown` surely does, so a
  // narrower one is written as an intersection with a Record instead.
  if (index?.isUnknown) {
    const signature = "[key: string]: unknown;";
    members.push(context.multiline ? `${pad}${signature}` : signature);
  }
  const body = context.multiline
    ? `{\n${members.join("\n")}\n${context.indent.repeat(level)}}`
    : `{ ${members.join(" ").slice(0, -1)} }`;
  const object = keyword(body);
  if (index === undefined || index.isUnknown) return object;
  return intersection([object, keyword(`Record<string, ${index.text}>`)]);
}

/** Bare when a plain ASCII identifier name (reserved words are fine as property names), else quoted. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}

/**
 * A double-quoted string literal. JSON.stringify escapes quotes, backslashes, control characters
 * and lone surrogates; U+2028/U+2029 are legal in literals but would break lines when shown.
 */
export function quote(text: string): string {
  return JSON.stringify(text).replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
}

function parenthesise(type: Rendered, needed: Precedence): string {
  const rank = { union: 0, intersection: 1, primary: 2 } as const;
  return rank[type.precedence] < rank[needed] ? `(${type.text})` : type.text;
}

/** `unknown` absorbs, `never` vanishes, duplicates collapse, nested unions flatten. */
function union(types: readonly Rendered[]): Rendered {
  const members: string[] = [];
  for (const type of types) {
    if (type.isUnknown) return type;
    if (type.isNever) continue;
    for (const text of type.members ?? [type.text]) {
      if (!members.includes(text)) members.push(text);
    }
  }
  if (members.length === 0) return NEVER;
  if (members.length === 1) return types.find((t) => t.text === members[0]) ?? keyword(members[0] ?? "never");
  return { text: members.join(" | "), precedence: "union", members };
}

/**
 * `unknown` vanishes (all-unknown keeps the first, with its comment), `never` absorbs, duplicates
 * collapse, and a loose `Record<string, unknown>` vanishes beside anything else (so
 * `{ type: "object", anyOf: [A, B] }` is `A | B`, not `Record<string, unknown> & (A | B)`).
 */
function intersection(types: readonly Rendered[]): Rendered {
  const kept: Rendered[] = [];
  for (const type of types) {
    if (type.isNever) return NEVER;
    if (type.isUnknown) continue;
    if (!kept.some((k) => k.text === type.text)) kept.push(type);
  }
  const strict = kept.filter((k) => !k.isLoose);
  const parts = strict.length > 0 ? strict : kept;
  const [first] = parts;
  if (first === undefined) return types[0] ?? UNKNOWN;
  if (parts.length === 1) return first;
  return { text: parts.map((t) => parenthesise(t, "intersection")).join(" & "), precedence: "intersection" };
}

/**
 * The JSDoc lines for a property: its description (or, for a bare `$ref`, the target's), then
 * annotation tags. For `X | null` written as `anyOf`/`oneOf`, X's annotations count too (the
 * property's own keywords win).
 */
export function propertyDocLines(schema: unknown, root: unknown): string[] {
  if (!isRecord(schema)) return [];
  const lines = descriptionLines(descriptionOf(schema, root));
  addAnnotationTags(schema, lines, undefined);
  const inner = nonNullMember(schema);
  if (inner !== undefined) addAnnotationTags(inner, lines, schema);
  return lines;
}

/** A schema's own description, else that of the schema its `$ref` points to. */
export function descriptionOf(schema: JsonObject, root: unknown): string | undefined {
  const own = schema.description;
  if (typeof own === "string" && own.trim() !== "") return own;
  const ref = schema.$ref;
  if (typeof ref !== "string") return undefined;
  const target = resolveRef(ref, root);
  if (!target.found || !isRecord(target.schema)) return undefined;
  const description = target.schema.description;
  return typeof description === "string" && description.trim() !== "" ? description : undefined;
}

/** The single non-null member of an `anyOf`/`oneOf`, when that is the schema's shape. */
function nonNullMember(schema: JsonObject): JsonObject | undefined {
  for (const members of [schema.anyOf, schema.oneOf]) {
    if (!Array.isArray(members)) continue;
    const nonNull = members.filter((m) => !(isRecord(m) && m.type === "null"));
    const [only] = nonNull;
    if (nonNull.length === 1 && isRecord(only)) return only;
  }
  return undefined;
}

const BOUNDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength"];
const ARRAY_BOUNDS = [...BOUNDS, "minItems", "maxItems"];

/** Appends a tag per annotation keyword of `schema` that `outer` (when given) does not have. */
function addAnnotationTags(schema: JsonObject, out: string[], outer: JsonObject | undefined): void {
  const mine = (key: string): boolean => schema[key] !== undefined && outer?.[key] === undefined;
  if (mine("deprecated") && schema.deprecated === true) out.push("@deprecated");
  const format = schema.format;
  if (mine("format") && typeof format === "string" && format !== "") out.push(`@format ${oneLine(format)}`);
  if (mine("default")) {
    const text = jsonText(schema.default);
    if (text !== undefined && text.length <= MAX_TAG_VALUE_LENGTH) out.push(`@default ${text}`);
  }
  // A tuple's length is already in its type.
  const isTuple = Array.isArray(schema.prefixItems) || Array.isArray(schema.items);
  for (const key of isTuple ? BOUNDS : ARRAY_BOUNDS) {
    const value = schema[key];
    if (mine(key) && typeof value === "number" && Number.isFinite(value)) out.push(`@${key} ${value}`);
  }
  // A `format` says more than the regex a validator library generated for it.
  const pattern = schema.pattern;
  if (
    mine("pattern") &&
    typeof pattern === "string" &&
    format === undefined &&
    outer?.format === undefined &&
    pattern.length <= MAX_TAG_VALUE_LENGTH
  ) {
    out.push(`@pattern ${oneLine(pattern)}`);
  }
}

function jsonText(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value);
    return typeof text === "string" ? text : undefined;
  } catch {
    return undefined;
  }
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;
const HAS_LINE_BREAK = /[\r\n\u2028\u2029]/;

function oneLine(text: string): string {
  return text.split(LINE_BREAK).join(" ");
}

/** Splits a description into lines, trimming trailing spaces and blank lines at either end. */
export function descriptionLines(description: string | undefined): string[] {
  if (description === undefined) return [];
  if (!HAS_LINE_BREAK.test(description)) {
    const line = description.trimEnd();
    return line === "" ? [] : [line];
  }
  const lines = description.split(LINE_BREAK).map((line) => line.trimEnd());
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * A JSDoc comment, each line starting with `pad`, ending in a newline; "" for no lines. One line
 * gives `/** text *\/`. `*\/` inside the text is escaped so the comment cannot end early.
 */
export function formatJsDoc(lines: readonly string[], pad: string): string {
  if (lines.length === 0) return "";
  const safe = lines.map((line) => (line.includes("*/") ? line.replaceAll("*/", "*\\/") : line));
  if (safe.length === 1) return `${pad}/** ${safe[0]} */\n`;
  return `${pad}/**\n${safe.map((line) => (line === "" ? `${pad} *` : `${pad} * ${line}`)).join("\n")}\n${pad} */\n`;
}
