import { describe, expect, it } from "vitest";
import { isVoidError } from "../core/index.js";
import {
  escapeArgument,
  quoteArgument,
  resolveWindowsCommand,
  type WindowsEnv,
  windowsTreeKill,
} from "./windows-command.js";

const FILES = [
  "C:\\Program Files\\nodejs\\node.exe",
  "C:\\Program Files\\nodejs\\npx.cmd",
  // Node ships a POSIX shell script beside npx.cmd: it must never be picked.
  "C:\\Program Files\\nodejs\\npx",
  "C:\\Windows\\system32\\cmd.exe",
  "C:\\Users\\me\\AppData\\Roaming\\npm\\tsc.cmd",
  "C:\\quoted dir\\tsc.exe",
  "C:\\Users\\me\\AppData\\Roaming\\npm\\both.cmd",
  "C:\\Users\\me\\AppData\\Roaming\\npm\\both.exe",
  "C:\\proj\\node_modules\\.bin\\server.cmd",
  "C:\\tools\\my server.bat",
  "C:\\quoted dir\\uvx.exe",
  "C:\\100%\\run.cmd",
];
const lower = new Set(FILES.map((f) => f.toLowerCase()));
/** Windows file names are case-insensitive. */
const exists = (path: string) => lower.has(path.toLowerCase());

const ENV: WindowsEnv = {
  Path: 'C:\\Program Files\\nodejs;C:\\Windows\\system32;;C:\\Users\\me\\AppData\\Roaming\\npm;"C:\\quoted dir"',
  PATHEXT: ".COM;.EXE;.BAT;.CMD",
  ComSpec: "C:\\Windows\\system32\\cmd.exe",
};
const CMD = "C:\\Windows\\system32\\cmd.exe";
const NPX = "C:\\Program^ Files\\nodejs\\npx.cmd";

describe("resolveWindowsCommand", () => {
  it.each([
    {
      what: "a bare .exe name, found through PATH and PATHEXT, runs directly with its arguments as they are",
      command: "node",
      args: ["server.js", "a&b", "100%"],
      expected: {
        file: "C:\\Program Files\\nodejs\\node.exe",
        args: ["server.js", "a&b", "100%"],
        verbatim: false,
      },
    },
    {
      what: "an explicit .exe",
      command: "node.exe",
      args: [],
      expected: { file: "C:\\Program Files\\nodejs\\node.exe", args: [], verbatim: false },
    },
    {
      what: "an explicit .exe in a quoted PATH entry",
      command: "UVX.EXE",
      args: ["mcp-server-git"],
      expected: { file: "C:\\quoted dir\\UVX.EXE", args: ["mcp-server-git"], verbatim: false },
    },
    {
      what: "npx: the .cmd through cmd.exe /d /s /c, never the extensionless script beside it",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "C:\\Users\\me\\src"],
      expected: {
        file: CMD,
        args: [
          "/d",
          "/s",
          "/c",
          `"${NPX} ^"-y^" ^"@modelcontextprotocol/server-filesystem^" ^"C:\\Users\\me\\src^""`,
        ],
        verbatim: true,
      },
    },
    {
      what: "metacharacters, percent signs, carets and quotes are escaped, never interpreted",
      command: "npx",
      args: ["a&b|c", "100%", "%PATH%", "x^y", 'say "hi"', "(1;2),<3>", "", "!bang!"],
      expected: {
        file: CMD,
        args: [
          "/d",
          "/s",
          "/c",
          `"${NPX} ^"a^&b^|c^" ^"100^%^" ^"^%PATH^%^" ^"x^^y^" ^"say^ \\^"hi\\^"^" ^"^(1^;2^)^,^<3^>^" ^"^" ^"^!bang^!^""`,
        ],
        verbatim: true,
      },
    },
    {
      what: "a path with spaces and a trailing backslash keeps its backslashes before the closing quote",
      command: "npx",
      args: ["C:\\dir with space\\"],
      expected: {
        file: CMD,
        args: ["/d", "/s", "/c", `"${NPX} ^"C:\\dir^ with^ space\\\\^""`],
        verbatim: true,
      },
    },
    {
      what: "PATH order wins over PATHEXT order: an earlier directory's .cmd before a later one's .exe",
      command: "tsc",
      args: [],
      expected: {
        file: CMD,
        args: ["/d", "/s", "/c", '"C:\\Users\\me\\AppData\\Roaming\\npm\\tsc.cmd"'],
        verbatim: true,
      },
    },
    {
      what: "in one directory, PATHEXT order: .exe before .cmd",
      command: "both",
      args: [],
      expected: { file: "C:\\Users\\me\\AppData\\Roaming\\npm\\both.exe", args: [], verbatim: false },
    },
    {
      what: "a node_modules\\.bin shim, relative to cwd, gets its metacharacters escaped twice",
      command: "node_modules\\.bin\\server",
      args: ["a&b"],
      cwd: "C:\\proj",
      expected: {
        file: CMD,
        args: ["/d", "/s", "/c", '"C:\\proj\\node_modules\\.bin\\server.cmd ^^^"a^^^&b^^^""'],
        verbatim: true,
      },
    },
    {
      what: "an absolute .bat with a space in its path",
      command: "C:\\tools\\my server.bat",
      args: ["x"],
      expected: { file: CMD, args: ["/d", "/s", "/c", '"C:\\tools\\my^ server.bat ^"x^""'], verbatim: true },
    },
    {
      what: "a % in the program's own path",
      command: "C:/100%/run",
      args: [],
      expected: { file: CMD, args: ["/d", "/s", "/c", '"C:\\100^%\\run.cmd"'], verbatim: true },
    },
  ])("$what", ({ command, args, cwd, expected }) => {
    const spawn = resolveWindowsCommand(command, args, ENV, exists, cwd);
    expect(spawn).toEqual({
      file: expected.file,
      args: expected.args,
      shell: false,
      windowsVerbatimArguments: expected.verbatim,
    });
  });

  it("reads PATH, PATHEXT and COMSPEC in any case, with defaults for PATHEXT and COMSPEC", () => {
    const spawn = resolveWindowsCommand("npx", [], { PATH: "C:\\Program Files\\nodejs" }, exists);
    expect(spawn.file).toBe("cmd.exe");
    expect(spawn.args).toEqual(["/d", "/s", "/c", `"${NPX}"`]);
    const lowerCase = { path: "C:\\Program Files\\nodejs", pathext: ".CMD", comspec: "X:\\cmd.exe" };
    expect(resolveWindowsCommand("npx", [], lowerCase, exists).file).toBe("X:\\cmd.exe");
  });

  it.each([
    { command: "nope", env: ENV, hint: "nope.com, nope.exe, nope.bat, nope.cmd in any PATH directory" },
    {
      command: "npx",
      env: { PATH: "C:\\elsewhere" },
      hint: "npx.com, npx.exe, npx.bat, npx.cmd in any PATH directory",
    },
    {
      command: "npx",
      env: { PATH: "C:\\Program Files\\nodejs", PATHEXT: ".EXE" },
      hint: "npx.exe in any PATH directory",
    },
    { command: "C:\\tools\\missing.cmd", env: ENV, hint: "C:\\tools\\missing.cmd there" },
  ])("not found: $command → a clear error naming what was tried", ({ command, env, hint }) => {
    let thrown: unknown;
    try {
      resolveWindowsCommand(command, [], env, exists);
    } catch (error) {
      thrown = error;
    }
    expect(isVoidError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(`command not found: ${command}`);
    expect((thrown as { hint: string }).hint).toContain(`looked for ${hint}`);
  });

  it("refuses a line break in an argument that would go through cmd.exe, but not for an .exe", () => {
    expect(() => resolveWindowsCommand("npx", ["a\nb"], ENV, exists)).toThrow(/line break/);
    expect(resolveWindowsCommand("node", ["a\nb"], ENV, exists).args).toEqual(["a\nb"]);
  });
});

/** CommandLineToArgvW's rules for one quoted argument, to check quoteArgument round-trips. */
function parseMsvcrt(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") {
      let n = 0;
      while (text[i] === "\\") {
        n += 1;
        i += 1;
      }
      if (text[i] === '"') {
        current += "\\".repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else {
          inQuotes = !inQuotes;
          started = true;
        }
      } else {
        current += "\\".repeat(n);
        i -= 1;
      }
    } else if (char === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if (char === " " && !inQuotes) {
      if (started || current !== "") out.push(current);
      current = "";
      started = false;
    } else current += char;
  }
  if (started || current !== "") out.push(current);
  return out;
}

/** cmd.exe's caret pass over a line with no operators left: `^x` becomes `x`; an unescaped operator fails. */
function unescapeCmd(line: string): string {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (char === "^") {
      i += 1;
      out += line[i] ?? "";
    } else if ('&|<>()%!"'.includes(char)) {
      throw new Error(`unescaped ${char} at ${i} in ${line}`);
    } else out += char;
  }
  return out;
}

const TRICKY = [
  "",
  "plain",
  "with space",
  'a"b',
  'a\\"b',
  "trailing\\",
  "C:\\dir with space\\",
  "a\\\\b",
  "&|<>()",
  "%PATH%",
  "^",
  "!x!",
  "\\\\server\\share",
  '""',
  "é ü 日本",
];

describe("argument escaping", () => {
  it.each(TRICKY)("%j comes back unchanged through MSVCRT parsing", (arg) => {
    expect(parseMsvcrt(quoteArgument(arg))).toEqual([arg]);
  });

  it.each(TRICKY)("%j comes back unchanged through cmd.exe's caret pass and MSVCRT parsing", (arg) => {
    expect(parseMsvcrt(unescapeCmd(escapeArgument(arg, false)))).toEqual([arg]);
  });

  it.each(TRICKY)("%j survives two cmd.exe passes when escaped twice (a node_modules\\.bin shim)", (arg) => {
    expect(parseMsvcrt(unescapeCmd(unescapeCmd(escapeArgument(arg, true))))).toEqual([arg]);
  });
});

describe("windowsTreeKill", () => {
  it.each([
    { force: false, args: ["/pid", "42", "/T"] },
    { force: true, args: ["/pid", "42", "/T", "/F"] },
  ])("force=$force → taskkill $args from System32", ({ force, args }) => {
    expect(windowsTreeKill(42, force, { SystemRoot: "D:\\Win" })).toEqual({
      file: "D:\\Win\\System32\\taskkill.exe",
      args,
    });
    expect(windowsTreeKill(42, force, {}).file).toBe("C:\\Windows\\System32\\taskkill.exe");
  });
});
