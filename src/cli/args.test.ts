import { describe, expect, it } from "vitest";
import { describeError, VoidError } from "../core/index.js";
import { type ParseSpec, parseArgs, parsePairs, parseToolArguments } from "./args.js";

const addSpec: ParseSpec = {
  options: [
    { name: "env", type: "list", description: "" },
    { name: "cwd", type: "string", description: "" },
    { name: "json", type: "boolean", description: "" },
    { name: "help", short: "h", type: "boolean", description: "" },
  ],
  passThroughAfter: 2,
};

/** The one-line message a user would see for what `run` throws. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VoidError);
    return describeError(error);
  }
  throw new Error("expected a failure");
}

describe("parseArgs", () => {
  const cases: Array<{ argv: string[]; positionals: string[]; options: Record<string, unknown> }> = [
    { argv: ["a", "b"], positionals: ["a", "b"], options: {} },
    { argv: ["--json", "a"], positionals: ["a"], options: { json: true } },
    { argv: ["a", "--json"], positionals: ["a"], options: { json: true } },
    { argv: ["--env", "A=1", "x", "--env=B=2"], positionals: ["x"], options: { env: ["A=1", "B=2"] } },
    { argv: ["--cwd", "/tmp", "n"], positionals: ["n"], options: { cwd: "/tmp" } },
    { argv: ["n", "--", "npx", "--json", "-y"], positionals: ["n", "npx", "--json", "-y"], options: {} },
    {
      argv: ["n", "npx", "-y", "pkg", "--json"],
      positionals: ["n", "npx", "-y", "pkg"],
      options: { json: true },
    },
    { argv: ["-h"], positionals: [], options: { help: true } },
    { argv: ["n", "-"], positionals: ["n", "-"], options: {} },
  ];
  it.each(cases)("$argv", ({ argv, positionals, options }) => {
    const parsed = parseArgs(argv, addSpec);
    expect(parsed.positionals).toEqual(positionals);
    expect(parsed.options).toEqual(options);
  });

  const errors: Array<{ argv: string[]; message: RegExp }> = [
    { argv: ["--nope"], message: /unknown option --nope/ },
    { argv: ["n", "-y"], message: /unknown option -y/ },
    { argv: ["--cwd"], message: /--cwd needs a value/ },
    { argv: ["--json=1"], message: /takes no value/ },
  ];
  it.each(errors)("rejects $argv", ({ argv, message }) => {
    expect(failure(() => parseArgs(argv, addSpec))).toMatch(message);
  });
});

describe("parsePairs", () => {
  it("splits on the first separator", () => {
    expect(parsePairs(["A=1", "B=x=y", "C="], "=", "--env")).toEqual({ A: "1", B: "x=y", C: "" });
    expect(parsePairs(["Authorization: Bearer a:b"], ":", "--header")).toEqual({
      Authorization: "Bearer a:b",
    });
  });
  it.each(["A", "=1", ""])("rejects %j", (value) => {
    expect(failure(() => parsePairs([value], "=", "--env"))).toMatch(
      /invalid --env .*write it as NAME=VALUE/,
    );
  });
});

describe("parseToolArguments", () => {
  const schema = { type: "object", properties: { text: { type: "string" }, n: { type: "number" } } };
  const cases: Array<{ inputs: string[]; expected: Record<string, unknown> }> = [
    { inputs: [], expected: {} },
    { inputs: ['{"text":"hi","n":2}'], expected: { text: "hi", n: 2 } },
    { inputs: ["text=42", "n=42"], expected: { text: "42", n: 42 } },
    { inputs: ["text=a=b"], expected: { text: "a=b" } },
    {
      inputs: ["other=true", "list=[1,2]", "word=hello"],
      expected: { other: true, list: [1, 2], word: "hello" },
    },
  ];
  it.each(cases)("$inputs", ({ inputs, expected }) => {
    expect(parseToolArguments(inputs, schema)).toEqual(expected);
  });
  it.each([
    [["{nope"], /not valid JSON/],
    [["[1]"], /invalid argument/],
    [["novalue"], /key=value/],
    [["=x"], /key=value/],
  ])("rejects %j", (inputs, message) => {
    expect(failure(() => parseToolArguments(inputs as string[], schema))).toMatch(message as RegExp);
  });
  it("reads several inputs as key=value even when the first looks like JSON", () => {
    expect(failure(() => parseToolArguments(["{", "x=1"], schema))).toMatch(/invalid argument "\{"/);
  });
});
