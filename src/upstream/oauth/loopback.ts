import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { VoidError } from "../../core/index.js";
import type { CallbackVerdict } from "./callback.js";

export const CALLBACK_PATH = "/callback";

/**
 * The loopback listener the authorization server redirects the browser to: 127.0.0.1 only,
 * one path. `listen` throws a VoidError with `details.portBusy` when the port is taken.
 * close() is idempotent.
 */
export class LoopbackListener {
  private readonly server: Server;
  private waiter: ((params: URLSearchParams) => CallbackVerdict) | undefined;
  private settle: ((result: { code: string } | { error: string }) => void) | undefined;

  constructor() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method !== "GET" || url.pathname !== CALLBACK_PATH || !this.waiter) {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
        return;
      }
      const verdict = this.waiter(url.searchParams);
      const page = (status: number, text: string) =>
        res
          .writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" })
          .end(`${text}\n`);
      switch (verdict.kind) {
        case "code":
          page(200, "voidmcp: signed in. You can close this tab.");
          this.settle?.({ code: verdict.code });
          return;
        case "ignore":
          page(400, `voidmcp: this is not the answer to the sign-in in progress (${verdict.why}).`);
          return;
        case "fail":
          page(400, `voidmcp: sign-in failed: ${verdict.why}.`);
          this.settle?.({ error: verdict.why });
          return;
        default: {
          const exhaustive: never = verdict;
          return exhaustive;
        }
      }
    });
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and returns the port. */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        this.server.off("listening", onListening);
        if (error.code === "EADDRINUSE" || error.code === "EACCES") {
          reject(
            new VoidError("conflict", `port ${port} on 127.0.0.1 is taken by another program`, {
              details: { portBusy: true, port },
            }),
          );
        } else reject(error);
      };
      const onListening = () => {
        this.server.off("error", onError);
        resolve((this.server.address() as AddressInfo).port);
      };
      this.server.once("error", onError);
      this.server.once("listening", onListening);
      this.server.listen(port, "127.0.0.1");
    });
  }

  /**
   * Waits for the redirect `judge` accepts (or fails on). Rejects after `timeoutMs`, or when
   * `signal` aborts, with a VoidError that says what to do.
   */
  wait(
    judge: (params: URLSearchParams) => CallbackVerdict,
    timeoutMs: number,
    server: string,
    signal?: AbortSignal,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          finish({
            error: `no answer from the browser within ${Math.round(timeoutMs / 1000)} s`,
          }),
        timeoutMs,
      );
      const onAbort = () => finish({ error: "cancelled" });
      const finish = (result: { code: string } | { error: string }) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.waiter = undefined;
        this.settle = undefined;
        if ("code" in result) resolve(result.code);
        else
          reject(
            new VoidError(
              "upstream_error",
              `sign-in to "${server}" failed: ${result.error}; nothing was stored`,
              {
                hint: `run \`voidmcp auth ${server}\` again`,
              },
            ),
          );
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiter = judge;
      this.settle = finish;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
