import { FileCredentialStore } from "./file-store.js";
import { assertStoreKey } from "./names.js";
import type { OsTool } from "./os-tools.js";
import { runTool, type ToolInvocation, type ToolResult } from "./run-tool.js";
import type { CredentialBackend, CredentialStore } from "./types.js";

/** The OS tools may wait on a person (an unlock dialog): generous, but not forever. */
export const TOOL_TIMEOUT_MS = 60_000;

export type ToolRunner = (invocation: ToolInvocation, timeoutMs: number) => Promise<ToolResult>;

/**
 * Credentials in the OS store, through its command-line tool. Neither tool lists items by a
 * prefix cheaply (security cannot at all without dumping the keychain), so the keys are also kept
 * in an index: a credential file in the state directory whose "values" are the time each key was
 * last set, never the secret. The index is written after the OS store succeeded and is only used
 * for keys(); get() always asks the OS store. Its modification marks every change, which is what
 * a running gateway watches. An item removed by hand from the OS store stays listed until
 * `voidmcp secret remove`.
 */
export class ToolCredentialStore implements CredentialStore {
  readonly backend: CredentialBackend;
  readonly location: string;
  private readonly tool: OsTool;
  private readonly index: FileCredentialStore;
  private readonly run: ToolRunner;

  constructor(tool: OsTool, indexPath: string, run: ToolRunner = runTool) {
    this.tool = tool;
    this.backend = tool.backend;
    this.location = tool.location;
    this.index = new FileCredentialStore(indexPath);
    this.run = run;
  }

  get changeMarker(): string {
    return this.index.path;
  }

  async get(key: string): Promise<string | undefined> {
    assertStoreKey(key);
    return this.tool.lookupResult(key, await this.run(this.tool.lookup(key), TOOL_TIMEOUT_MS));
  }

  async set(key: string, value: string): Promise<void> {
    assertStoreKey(key);
    this.tool.storeResult(key, await this.run(this.tool.store(key, value), TOOL_TIMEOUT_MS));
    await this.index.set(key, new Date().toISOString());
  }

  async delete(key: string): Promise<boolean> {
    assertStoreKey(key);
    const existed = (await this.get(key)) !== undefined;
    if (existed) this.tool.removeResult(key, await this.run(this.tool.remove(key), TOOL_TIMEOUT_MS));
    const indexed = await this.index.delete(key);
    return existed || indexed;
  }

  keys(prefix: string): Promise<string[]> {
    return this.index.keys(prefix);
  }
}
