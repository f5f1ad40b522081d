import { describe, expect, it } from "vitest";
import {
  decodeValue,
  encodeValue,
  keychainTool,
  type OsTool,
  SECRET_SERVICE_PROBE,
  secretServiceAnswered,
  secretServiceTool,
} from "./os-tools.js";
import type { ToolResult } from "./run-tool.js";

const VALUE = "sk-live-Very$ecret \"quoted\" 'x' ✓\n";
const KEY = "oauth:https://as.example.com/:client";

function result(code: number | undefined, stdout = "", stderr = "", failure?: string): ToolResult {
  return { code, stdout, stderr, ...(failure === undefined ? {} : { failure }) };
}

describe("encodeValue / decodeValue", () => {
  it.each(["", "plain", VALUE, "b64:looks encoded", "trailing newline\n"])("round-trips %j", (value) => {
    const stored = encodeValue(value);
    expect(stored).toMatch(/^b64:[A-Za-z0-9+/=]*$/);
    expect(decodeValue(stored)).toBe(value);
    // The tools may add one newline when printing.
    expect(decodeValue(`${stored}\n`)).toBe(value);
  });

  it("takes an item written by something else as it is", () => {
    expect(decodeValue("hunter2\n")).toBe("hunter2");
  });
});

describe.each<[string, OsTool]>([
  ["keychain", keychainTool],
  ["secret-service", secretServiceTool],
])("%s: no value on any argv", (_, tool) => {
  it("puts the value only on stdin, encoded", () => {
    for (const invocation of [tool.lookup(KEY), tool.store(KEY, VALUE), tool.remove(KEY)]) {
      expect(invocation.args.join(" ")).not.toContain("sk-live");
      expect(invocation.args.join(" ")).not.toContain(encodeValue(VALUE));
      expect(invocation.args.join(" ")).not.toContain(Buffer.from(encodeValue(VALUE)).toString("hex"));
    }
    expect(tool.lookup(KEY).stdin).toBeUndefined();
    expect(tool.remove(KEY).stdin).toBeUndefined();
    expect(tool.store(KEY, VALUE).stdin).toBeDefined();
  });
});

describe("keychain invocations", () => {
  it.each([
    ["lookup", keychainTool.lookup(KEY), ["find-generic-password", "-s", "voidmcp", "-a", KEY, "-w"]],
    ["remove", keychainTool.remove(KEY), ["delete-generic-password", "-s", "voidmcp", "-a", KEY]],
    ["store", keychainTool.store(KEY, VALUE), ["-i"]],
  ])("%s runs /usr/bin/security %j", (_, invocation, args) => {
    expect(invocation.command).toBe("/usr/bin/security");
    expect(invocation.args).toEqual(args);
  });

  it("stores through `security -i` with the value as hex", () => {
    const hex = Buffer.from(encodeValue(VALUE), "utf8").toString("hex");
    expect(keychainTool.store(KEY, VALUE).stdin).toBe(
      `add-generic-password -U -s voidmcp -a "${KEY}" -l "voidmcp ${KEY}" -X ${hex}\n`,
    );
  });

  it.each<[string, ToolResult, string | undefined]>([
    ["found", result(0, `${encodeValue(VALUE)}\n`), VALUE],
    ["not found (44)", result(44, "", "security: SecKeychainSearchCopyNext: not found"), undefined],
  ])("lookup %s", (_, res, value) => {
    expect(keychainTool.lookupResult(KEY, res)).toBe(value);
  });

  it.each<[string, () => unknown, string]>([
    [
      "lookup fails",
      () => keychainTool.lookupResult(KEY, result(51, "", "User interaction is not allowed.")),
      `keychain: cannot read "${KEY}": exit code 51: User interaction is not allowed.`,
    ],
    [
      "store says so on stderr",
      () => keychainTool.storeResult(KEY, result(0, "", "add-generic-password: failed: secret echo")),
      `keychain: cannot store "${KEY}": exit code 0`,
    ],
    [
      "remove fails",
      () => keychainTool.removeResult(KEY, result(undefined, "", "", "timed out after 60000 ms")),
      `keychain: cannot remove "${KEY}": timed out after 60000 ms`,
    ],
  ])("%s: a credentials error that never quotes a store's stderr", (_, run, message) => {
    expect(run).toThrow(expect.objectContaining({ code: "credentials", message }));
  });

  it.each<[ToolResult, boolean]>([
    [result(0), true],
    [result(44), false],
  ])("remove %j → %s", (res, removed) => {
    expect(keychainTool.removeResult(KEY, res)).toBe(removed);
  });
});

describe("secret-service invocations", () => {
  it.each([
    ["lookup", secretServiceTool.lookup(KEY), ["lookup", "service", "voidmcp", "key", KEY]],
    [
      "store",
      secretServiceTool.store(KEY, VALUE),
      ["store", `--label=voidmcp ${KEY}`, "service", "voidmcp", "key", KEY],
    ],
    ["remove", secretServiceTool.remove(KEY), ["clear", "service", "voidmcp", "key", KEY]],
  ])("%s runs secret-tool %j", (_, invocation, args) => {
    expect(invocation.command).toBe("secret-tool");
    expect(invocation.args).toEqual(args);
  });

  it("stores the encoded value from stdin, without a newline", () => {
    expect(secretServiceTool.store(KEY, VALUE).stdin).toBe(encodeValue(VALUE));
  });

  it.each<[string, ToolResult, string | undefined]>([
    ["found", result(0, encodeValue(VALUE)), VALUE],
    ["not found", result(1), undefined],
  ])("lookup %s", (_, res, value) => {
    expect(secretServiceTool.lookupResult(KEY, res)).toBe(value);
  });

  it("a lookup that fails with a message is an error", () => {
    expect(() =>
      secretServiceTool.lookupResult(KEY, result(1, "", "Cannot autolaunch D-Bus without X11 $DISPLAY\n")),
    ).toThrow(
      expect.objectContaining({
        code: "credentials",
        message: `secret-service: cannot read "${KEY}": exit code 1: Cannot autolaunch D-Bus without X11 $DISPLAY`,
      }),
    );
  });

  it.each<[string, ToolResult, boolean]>([
    ["found", result(0, "x"), true],
    ["not found", result(1), true],
    ["no D-Bus", result(1, "", "Cannot autolaunch D-Bus without X11 $DISPLAY"), false],
    ["not installed", result(undefined, "", "", "secret-tool not found"), false],
    ["a locked keyring that waits", result(undefined, "", "", "timed out after 3000 ms"), false],
  ])("the probe decides %s → %s", (_, res, answered) => {
    expect(secretServiceAnswered(res)).toBe(answered);
  });

  it("probes with a harmless lookup", () => {
    expect(SECRET_SERVICE_PROBE).toEqual({
      command: "secret-tool",
      args: ["lookup", "service", "voidmcp", "key", "voidmcp-probe"],
    });
  });
});
