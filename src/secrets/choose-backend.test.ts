import { describe, expect, it } from "vitest";
import {
  chooseBackend,
  parseStoreSetting,
  probesFor,
  type StoreFacts,
  type StoreSetting,
} from "./choose-backend.js";

function facts(platform: NodeJS.Platform, keychainTool = false, secretService = false): StoreFacts {
  return { platform, keychainTool, secretService };
}

describe("parseStoreSetting", () => {
  it.each([
    [undefined, "auto"],
    ["", "auto"],
    ["  ", "auto"],
    ["auto", "auto"],
    ["file", "file"],
    ["FILE", "file"],
    [" keychain ", "keychain"],
    ["secret-service", "secret-service"],
    ["windows", "windows"],
  ])("%j is %j", (raw, setting) => {
    expect(parseStoreSetting(raw)).toBe(setting);
  });

  it.each(["files", "libsecret", "os"])("%j is a usage error listing the choices", (raw) => {
    expect(() => parseStoreSetting(raw)).toThrow(
      expect.objectContaining({
        code: "usage",
        message: `VOIDMCP_CREDENTIAL_STORE=${JSON.stringify(raw)} is not a credential store`,
        hint: "use one of auto, file, keychain, secret-service, windows",
      }),
    );
  });
});

describe("chooseBackend", () => {
  // [setting, facts, backend]
  it.each<[StoreSetting, StoreFacts, string]>([
    ["auto", facts("darwin", true), "keychain"],
    ["auto", facts("darwin", false), "file"],
    ["auto", facts("linux", false, true), "secret-service"],
    ["auto", facts("linux", false, false), "file"],
    ["auto", facts("freebsd", false, true), "secret-service"],
    ["auto", facts("win32"), "file"],
    // A Secret Service is not looked for on macOS, the Keychain not on Linux.
    ["auto", facts("darwin", false, true), "file"],
    ["auto", facts("linux", true, false), "file"],
    ["file", facts("darwin", true, true), "file"],
    ["file", facts("linux", false, true), "file"],
    ["keychain", facts("darwin", true), "keychain"],
    ["secret-service", facts("linux", false, true), "secret-service"],
    ["secret-service", facts("darwin", false, true), "secret-service"],
  ])("%s with %j → %s", (setting, found, backend) => {
    expect(chooseBackend(setting, found)).toBe(backend);
  });

  it.each<[StoreSetting, StoreFacts, string]>([
    ["keychain", facts("linux", true), "the macOS Keychain needs macOS and /usr/bin/security"],
    ["keychain", facts("darwin", false), "the macOS Keychain needs macOS and /usr/bin/security"],
    ["secret-service", facts("linux", false, false), "secret-tool (libsecret-tools) is missing"],
    ["windows", facts("win32"), "the Windows Credential Manager is not supported yet"],
  ])("an explicit %s that cannot work is an error, not a fallback", (setting, found, why) => {
    expect(() => chooseBackend(setting, found)).toThrow(
      expect.objectContaining({
        code: "credentials",
        message: expect.stringContaining(`VOIDMCP_CREDENTIAL_STORE=${setting} cannot be used here: ${why}`),
        hint: "unset VOIDMCP_CREDENTIAL_STORE (auto) or set it to file",
      }),
    );
  });
});

describe("probesFor", () => {
  it.each<[StoreSetting, NodeJS.Platform, string[]]>([
    ["auto", "darwin", ["keychainTool"]],
    ["auto", "linux", ["secretService"]],
    ["auto", "win32", []],
    ["file", "linux", []],
    ["windows", "win32", []],
    ["keychain", "linux", ["keychainTool"]],
    ["secret-service", "darwin", ["secretService"]],
  ])("%s on %s probes %j", (setting, platform, probes) => {
    expect(probesFor(setting, platform)).toEqual(probes);
  });
});
