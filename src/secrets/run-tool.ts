import { spawn } from "node:child_process";

/** One run of an OS store's command-line tool: argv holds names only; a value goes on stdin. */
export interface ToolInvocation {
  readonly command: string;
  readonly args: readonly string[];
  /** Written to the tool's stdin, then stdin is closed. Undefined: stdin is closed at once. */
  readonly stdin?: string;
}

export interface ToolResult {
  /** The exit code; undefined when the tool could not be started or was stopped. */
  readonly code: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it did not run to its end: "not found", "timed out after 3000 ms", … */
  readonly failure?: string;
}

/**
 * Runs `invocation` without a shell and waits at most `timeoutMs` (then kills it). Never rejects.
 * stdout and stderr are returned for the caller to interpret; neither they nor stdin may be put
 * into a message, since they can hold a value.
 */
export function runTool(invocation: ToolInvocation, timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let failure: string | undefined;
    const child = spawn(invocation.command, [...invocation.args], {
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      failure = `timed out after ${timeoutMs} ms`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // A tool that exits before reading stdin makes the write fail with EPIPE: its exit code says why.
    child.stdin.on("error", () => {});
    child.stdin.end(invocation.stdin ?? "");
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({
        code: failure === undefined ? (code ?? undefined) : undefined,
        stdout,
        stderr,
        ...(failure === undefined ? {} : { failure }),
      });
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      failure ??= error.code === "ENOENT" ? `${invocation.command} not found` : error.message;
      // A child that never started emits no "close" on every Node version.
      if (child.pid === undefined) finish(null);
    });
    child.once("close", (code) => finish(code));
  });
}
