import { describe, expect, it } from "vitest";
import { credentialFilePath, openCredentialStore } from "./open.js";

describe("openCredentialStore", () => {
  it("uses the file in the state directory when asked for the file", async () => {
    const env = { XDG_STATE_HOME: "/tmp/st", VOIDMCP_CREDENTIAL_STORE: "file" };
    const store = await openCredentialStore({ env, platform: "linux" });
    expect(store.backend).toBe("file");
    expect(store.location).toBe("/tmp/st/voidmcp/credentials.json");
    expect(credentialFilePath({ HOME: "/home/me" })).toBe("/home/me/.local/state/voidmcp/credentials.json");
  });

  it("uses the file on Windows under auto, without probing", async () => {
    const store = await openCredentialStore({ env: { XDG_STATE_HOME: "/tmp/st" }, platform: "win32" });
    expect(store.backend).toBe("file");
  });

  it.each([
    ["nonsense", "usage"],
    ["windows", "credentials"],
    ["keychain", "credentials"],
  ])("VOIDMCP_CREDENTIAL_STORE=%s on Linux is a %s error", async (setting, code) => {
    const env = { XDG_STATE_HOME: "/tmp/st", VOIDMCP_CREDENTIAL_STORE: setting };
    await expect(openCredentialStore({ env, platform: "linux" })).rejects.toThrow(
      expect.objectContaining({ code }),
    );
  });
});
