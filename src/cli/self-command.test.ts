import { mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { selfLaunch } from "./self-command.js";

describe("selfLaunch", () => {
  it("a compiled executable starts itself", () => {
    expect(
      selfLaunch({ script: "/$bunfs/root/voidmcp", execPath: "/home/me/bin/voidmcp", bun: true }),
    ).toEqual({
      kind: "executable",
      command: "/home/me/bin/voidmcp",
      args: [],
      ephemeral: false,
    });
    expect(
      selfLaunch({ script: "B:\\~BUN\\root\\voidmcp.exe", execPath: "C:\\tools\\voidmcp.exe", bun: true })
        .kind,
    ).toBe("executable");
  });

  it("a script runs with this Node and the script's real path (links resolved)", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "voidmcp-self-")));
    try {
      const script = join(dir, "voidmcp.mjs");
      await writeFile(script, "");
      await symlink(script, join(dir, "voidmcp"));
      expect(selfLaunch({ script: join(dir, "voidmcp"), execPath: "/usr/bin/node", bun: false })).toEqual({
        kind: "script",
        command: "/usr/bin/node",
        args: [script],
        ephemeral: false,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("notices npx's cache", () => {
    const script = "/home/me/.npm/_npx/1a2b/node_modules/voidmcp/dist/bundle/voidmcp.mjs";
    expect(selfLaunch({ script, execPath: "/usr/bin/node", bun: false }).ephemeral).toBe(true);
  });
});
