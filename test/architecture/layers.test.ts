import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { layerViolations, type SourceFile, specifiers } from "./layers.js";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    if (!entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) return [];
    return [{ path: relative(SRC, path).split("\\").join("/"), text: readFileSync(path, "utf8") }];
  });
}

describe("the layering of src/", () => {
  it("holds for every source file", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(layerViolations(files)).toEqual([]);
  });
});

describe("layerViolations", () => {
  const cases: Array<{ path: string; text: string; reason: string | undefined }> = [
    {
      path: "core/x.ts",
      text: 'import { a } from "../registry/index.js";',
      reason: "core/ may not import registry/",
    },
    {
      path: "registry/x.ts",
      text: 'import type { A } from "../clients/index.js";',
      reason: "registry/ may not import clients/",
    },
    {
      path: "codemode/x.ts",
      text: 'export { a } from "../registry/index.js";',
      reason: "codemode/ may not import registry/",
    },
    {
      path: "downstream/x.ts",
      text: 'import { a } from "../upstream/index.js";',
      reason: "downstream/ may not import upstream/",
    },
    {
      path: "cli/commands/x.ts",
      text: 'import { a } from "../../upstream/index.js";',
      reason: "cli/ may not import upstream/",
    },
    {
      path: "cli/x.ts",
      text: 'const m = await import("../codemode/index.js");',
      reason: "cli/ may not import codemode/",
    },
    {
      path: "gateway/x.ts",
      text: 'import { a } from "../upstream/pool.js";',
      reason: "import upstream/ through its index.ts",
    },
    {
      path: "gateway/x.ts",
      text: 'import { Client } from "@modelcontextprotocol/client";',
      reason: "only upstream/ may import @modelcontextprotocol/client",
    },
    {
      path: "upstream/x.ts",
      text: 'import { Server } from "@modelcontextprotocol/server/stdio";',
      reason: "only downstream/ may import @modelcontextprotocol/server",
    },
    {
      path: "gateway/x.ts",
      text: 'import { a } from "../../test/fixtures/x.js";',
      reason: "imports from outside src/",
    },
    {
      path: "gateway/x.ts",
      text: 'import { a } from "../upstream/index.js";\nimport { b } from "./router.js";',
      reason: undefined,
    },
    {
      path: "cli/commands/x.ts",
      text: 'import { a } from "../../gateway/index.js";\nimport { b } from "../io.js";',
      reason: undefined,
    },
    {
      path: "upstream/x.ts",
      text: 'import { Client } from "@modelcontextprotocol/client";\nimport { z } from "zod";',
      reason: undefined,
    },
  ];

  it.each(cases)("$path: $text → $reason", ({ path, text, reason }) => {
    const found = layerViolations([{ path, text }]);
    expect(found.map((v) => v.reason)).toEqual(reason === undefined ? [] : [reason]);
  });

  it("finds multi-line and type-only imports", () => {
    const text =
      'import {\n  type A,\n  b,\n} from "../x/index.js";\nimport "./side-effect.js";\nexport * from "./y.js";';
    expect(specifiers(text)).toEqual(["../x/index.js", "./y.js", "./side-effect.js"]);
  });
});
