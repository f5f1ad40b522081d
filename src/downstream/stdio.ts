import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { GatewayBackend } from "./backend.js";
import { createDownstreamServer } from "./server.js";

export interface StdioSession {
  /** Resolves when the client goes away (stdin closes) or `close()` is called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Serves the backend over this process's stdin/stdout. stdout carries only the protocol. */
export async function serveStdio(backend: GatewayBackend): Promise<StdioSession> {
  const { server, dispose } = createDownstreamServer(backend);
  const transport = new StdioServerTransport();
  let finish: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    finish = resolve;
  });
  server.onclose = () => {
    dispose();
    finish();
  };
  // The SDK transport does not notice every way stdin can end; make sure it does.
  process.stdin.once("end", () => void server.close());
  await server.connect(transport);
  return {
    closed,
    close: async () => {
      await server.close();
      finish();
    },
  };
}
