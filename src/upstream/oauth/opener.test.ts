import { describe, expect, it } from "vitest";
import { openableUrl, openerCommand } from "./opener.js";

describe("openableUrl: only https, or http to this machine", () => {
  it.each([
    { url: "https://auth.example.com/authorize?x=1", ok: true },
    { url: "http://127.0.0.1:8080/authorize", ok: true },
    { url: "http://localhost/authorize", ok: true },
    { url: "http://[::1]:9/authorize", ok: true },
    { url: "http://auth.example.com/authorize", ok: false },
    { url: "file:///etc/passwd", ok: false },
    { url: "javascript:alert(1)", ok: false },
    { url: "https://user:pw@auth.example.com/", ok: false },
    { url: "calc.exe", ok: false },
    { url: "a$(touch /tmp/pwned)", ok: false },
  ])("$url → $ok", ({ url, ok }) => {
    expect(openableUrl(url)).toBe(ok);
  });
});

describe("openerCommand: the URL is one argv element, never a shell", () => {
  const url = "https://auth.example.com/authorize?a=1&b=$(whoami)`id`;x|y";
  it.each([
    { platform: "darwin" as const, command: "open", args: [url] },
    { platform: "linux" as const, command: "xdg-open", args: [url] },
    { platform: "win32" as const, command: "rundll32", args: ["url.dll,FileProtocolHandler", url] },
  ])("$platform", ({ platform, command, args }) => {
    expect(openerCommand(platform, url)).toEqual({ command, args });
  });
  it("an unknown platform has none (the URL is printed instead)", () => {
    expect(openerCommand("aix", url)).toBeUndefined();
  });
});
