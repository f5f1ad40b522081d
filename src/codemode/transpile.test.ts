import { describe, expect, it } from "vitest";
import {
  cachedSandboxScript,
  moduleStatementHint,
  SCRIPT_FILENAME,
  SCRIPT_LINE_OFFSET,
  type SyntaxProblem,
  toSandboxScript,
  toUserPositions,
} from "./transpile.js";

const UNCLOSED = "the code ended unexpectedly (an unclosed bracket, brace or string?)";

function scriptOf(code: string): string {
  const result = toSandboxScript(code);
  if (!result.ok) throw new Error(`expected a script, got ${JSON.stringify(result.problem)}`);
  return result.script;
}

describe("toSandboxScript", () => {
  it("wraps the code in an async function, on lines of its own", () => {
    expect(toSandboxScript("return 1")).toEqual({ ok: true, script: "(async () => {\nreturn 1\n})()" });
    expect(toSandboxScript("")).toEqual({ ok: true, script: "(async () => {\n\n})()" });
    expect(SCRIPT_FILENAME).toBe("script.ts");
    expect(SCRIPT_LINE_OFFSET).toBe(1);
  });

  const stripped: { name: string; code: string; script: string }[] = [
    {
      name: "annotations and as",
      code: "const x: number = 1;\nconsole.log(x as number);",
      script: "(async () => {\nconst x = 1;\nconsole.log(x );\n})()",
    },
    {
      name: "generics",
      code: "function f<T>(a: T): T { return a }",
      script: "(async () => {\nfunction f(a) { return a }\n})()",
    },
    {
      name: "an interface, leaving its lines empty",
      code: "interface I {\n  a: number;\n}\nreturn 1;",
      script: "(async () => {\n\n\n\nreturn 1;\n})()",
    },
    {
      name: "satisfies and non-null",
      code: "const c = { a: 1 } satisfies object;\nreturn c!.a;",
      script: "(async () => {\nconst c = { a: 1 } ;\nreturn c.a;\n})()",
    },
    {
      name: "modern syntax, left for the engine",
      code: "return a?.b ?? c;",
      script: "(async () => {\nreturn a?.b ?? c;\n})()",
    },
  ];

  it.each(stripped)("strips $name", ({ code, script }) => {
    expect(scriptOf(code)).toBe(script);
  });

  it("compiles an enum to plain JavaScript on the same line", () => {
    const script = scriptOf("enum E { A, B }\nreturn E.B;");
    const lines = script.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).not.toContain("enum");
    expect(lines[1]).toContain('E[E["B"] = B] = "B"');
    expect(lines[2]).toBe("return E.B;");
  });

  it("keeps every line of the user's code on line N + 1 of the script", () => {
    const code = [
      "type Id = string; // L1",
      "interface Row { // L2",
      "  id: Id; // L3",
      "} // L4",
      "enum Kind { A, B } // L5",
      "class P { constructor(public x: number) {} } // L6",
      "function pick<T extends object>(o: T, k: keyof T) { // L7",
      "  return o[k]; // L8",
      "} // L9",
      "const rows = [] as Row[]; // L10",
      "return pick({ a: 1 } satisfies object, 'a' as never)!; // L11",
    ].join("\n");
    const lines = scriptOf(code).split("\n");
    expect(lines).toHaveLength(11 + 2);
    // Declarations that are only types vanish with their comments, leaving their lines blank.
    for (const n of [1, 2, 3]) expect(lines[n - 1 + SCRIPT_LINE_OFFSET]?.trim()).toBe("");
    for (let n = 4; n <= 11; n++) expect(lines[n - 1 + SCRIPT_LINE_OFFSET]).toContain(`// L${n}`);
  });

  it("keeps import statements, even unused ones, for the engine to reject", () => {
    expect(scriptOf('import fs from "fs";\nreturn 1;')).toBe(
      '(async () => {\nimport fs from "fs";\nreturn 1;\n})()',
    );
    expect(scriptOf('import { T } from "t";\nconst x: T = 1;')).toContain('import { T } from "t";');
  });

  it("drops type-only imports and exports", () => {
    expect(scriptOf('import type { A } from "a";\nexport type B = 1;\nreturn 1;')).toBe(
      "(async () => {\n\n \nreturn 1;\n})()",
    );
  });

  const problems: { name: string; code: string; problem: SyntaxProblem }[] = [
    {
      name: "a bad token on line 1",
      code: "x y",
      problem: { message: 'Unexpected token, expected ";"', line: 1, column: 3 },
    },
    {
      name: "a bad token on a later line",
      code: "const a = 1;\nconst b = ;",
      problem: { message: "Unexpected token", line: 2, column: 11 },
    },
    {
      name: "a bad token at the start of a line",
      code: "const a = 1;\n\n)",
      problem: { message: "Unexpected token", line: 3, column: 1 },
    },
    {
      name: "an unclosed brace at the end",
      code: "const a = 1;\nif (a) {\n  return 2;",
      problem: { message: `Unexpected token: ${UNCLOSED}`, line: 3, column: 12 },
    },
    {
      name: "an unclosed brace before a final newline",
      code: "if (true) {\n",
      problem: { message: `Unexpected token: ${UNCLOSED}`, line: 2, column: 1 },
    },
    {
      name: "an unclosed call",
      code: "if (x) {\n  y(",
      problem: { message: `Unexpected token: ${UNCLOSED}`, line: 2, column: 5 },
    },
    {
      name: "an unclosed array",
      code: "const xs = [1, 2",
      problem: { message: `Unexpected token, expected ",": ${UNCLOSED}`, line: 1, column: 17 },
    },
    {
      name: "an unterminated string",
      code: 'const s = "abc',
      problem: { message: "Unterminated string constant", line: 1, column: 11 },
    },
    {
      name: "an unterminated template",
      code: "const s = `abc",
      problem: { message: "Unterminated template", line: 1, column: 12 },
    },
    {
      name: "an unclosed comment",
      code: "/* abc",
      problem: { message: `Unterminated comment: ${UNCLOSED}`, line: 1, column: 7 },
    },
    {
      name: "an incomplete import",
      code: "import x from",
      problem: { message: `Unexpected token: ${UNCLOSED}`, line: 1, column: 14 },
    },
  ];

  it.each(problems)("locates $name in the user's code", ({ code, problem }) => {
    expect(toSandboxScript(code)).toEqual({ ok: false, problem });
  });

  it("strips sucrase's own position from the message", () => {
    const result = toSandboxScript("let = ;");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.message).not.toMatch(/\(\d+:\d+\)/);
  });
});

describe("toUserPositions", () => {
  const cases: { name: string; text: string; expected: string }[] = [
    {
      name: "a frame with line and column",
      text: "at f (script.ts:3:5)",
      expected: "at f (line 2:5)",
    },
    { name: "a line without a column", text: "at script.ts:10", expected: "at line 9" },
    { name: "the wrapper's first line stays at line 1", text: "script.ts:1:1", expected: "line 1:1" },
    {
      name: "every position in a stack",
      text: "    at g (script.ts:4:12)\n    at <anonymous> (script.ts:7:3)\n    at <eval> (script.ts:9:3)",
      expected: "    at g (line 3:12)\n    at <anonymous> (line 6:3)\n    at <eval> (line 8:3)",
    },
    {
      name: "other files untouched",
      text: "at get (voidmcp-prelude.js:137:28)",
      expected: "at get (voidmcp-prelude.js:137:28)",
    },
    { name: "text without positions untouched", text: "no positions here", expected: "no positions here" },
  ];

  it.each(cases)("rewrites $name", ({ text, expected }) => {
    expect(toUserPositions(text)).toBe(expected);
  });
});

describe("moduleStatementHint", () => {
  const IMPORT =
    "`import` statements are not supported (scripts cannot import or export: use the global `tools` object)";
  const EXPORT =
    "`export` statements are not supported (scripts cannot import or export: use the global `tools` object)";
  const cases: { name: string; code: string; line: number; expected: string }[] = [
    { name: "an import statement", code: 'import fs from "fs";', line: 1, expected: IMPORT },
    { name: "a braced import", code: 'const a = 1;\nimport { b } from "b";', line: 2, expected: IMPORT },
    { name: "an indented export", code: "{\n    export const a = 1;\n}", line: 2, expected: EXPORT },
    { name: "export default", code: "export default 1;", line: 1, expected: EXPORT },
    { name: "a dynamic import", code: "import('fs');", line: 1, expected: "engine message" },
    { name: "a spaced dynamic import", code: "import ('fs');", line: 1, expected: "engine message" },
    { name: "import.meta", code: "import.meta.url;", line: 1, expected: "engine message" },
    { name: "a word that starts with import", code: "important();", line: 1, expected: "engine message" },
    {
      name: "an import on another line",
      code: 'x(;\nimport a from "a";',
      line: 1,
      expected: "engine message",
    },
    { name: "a line past the end", code: "import a from 'a';", line: 5, expected: "engine message" },
  ];

  it.each(cases)("$name", ({ code, line, expected }) => {
    expect(moduleStatementHint(code, line, "engine message")).toBe(expected);
  });
});

describe("cachedSandboxScript", () => {
  it.each([
    ["plain JavaScript", "return 1"],
    ["TypeScript", "const n: number = 2;\nreturn n as number;"],
    ["a syntax error", "return (1"],
  ])("answers %s as toSandboxScript does, the first time and again", (_name, code) => {
    const fresh = toSandboxScript(code);
    expect(cachedSandboxScript(code)).toEqual(fresh);
    expect(cachedSandboxScript(code)).toEqual(fresh);
  });

  it("keeps the latest scripts and forgets the oldest", () => {
    const first = cachedSandboxScript("return 'first'");
    expect(cachedSandboxScript("return 'first'")).toBe(first);
    for (let i = 0; i < 40; i++) cachedSandboxScript(`return ${i}`);
    const again = cachedSandboxScript("return 'first'");
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
