import { describe, expect, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import { type RawServerEntry, registryFileSchema, type serverEntrySchema } from "./schema.js";

describe("schema types", () => {
  it("RawServerEntry and the entry schema describe the same fields", () => {
    // Checked by tsc: what the schema accepts is a RawServerEntry, and a RawServerEntry is what
    // it accepts (so the CLI cannot build an entry the file would reject for its shape).
    expectTypeOf<z.output<typeof serverEntrySchema>>().toExtend<RawServerEntry>();
    expectTypeOf<RawServerEntry>().toExtend<z.input<typeof serverEntrySchema>>();
  });

  it("keeps unknown keys of the file and of entries", () => {
    const doc = { $schema: "s", mcpServers: { a: { command: "x", autoApprove: ["t"] } }, extra: 1 };
    expect(registryFileSchema.parse(doc)).toEqual(doc);
  });
});
