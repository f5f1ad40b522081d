import { spawn } from "node:child_process";
import { isLoopbackHost } from "./metadata.js";

/**
 * Opening the system browser on an authorization URL. The URL comes from a server, so it is
 * checked (https, or http to this machine only) and handed to the platform's opener as ONE argv
 * element, with no shell in between: nothing in it can become a command (CVE-2025-6514).
 */

/** Whether `url` may be opened: https, or loopback http; no other scheme (file:, javascript:, …). */
export function openableUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== "" || parsed.password !== "") return false;
  if (parsed.protocol === "https:") return true;
  return parsed.protocol === "http:" && isLoopbackHost(parsed.hostname);
}

export interface OpenerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** The platform's opener with the URL as its last, single argument; undefined if there is none. */
export function openerCommand(platform: NodeJS.Platform, url: string): OpenerCommand | undefined {
  switch (platform) {
    case "darwin":
      return { command: "open", args: [url] };
    case "win32":
      return { command: "rundll32", args: ["url.dll,FileProtocolHandler", url] };
    case "linux":
    case "freebsd":
    case "openbsd":
    case "netbsd":
    case "sunos":
      return { command: "xdg-open", args: [url] };
    default:
      return undefined;
  }
}

/**
 * Opens `url` in the browser. Resolves false when it cannot (no opener, it failed to start);
 * the caller then prints the URL. Never throws for an opener problem; throws for a URL refused.
 */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (!openableUrl(url)) return Promise.resolve(false);
  const opener = openerCommand(platform, url);
  if (!opener) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args], { stdio: "ignore", detached: true, shell: false });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
