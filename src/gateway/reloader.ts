import { describeError, type Logger } from "../core/index.js";
import {
  diffServers,
  type Registry,
  type RegistryWatcher,
  type ServerDiff,
  watchRegistry,
} from "../registry/index.js";
import type { Upstreams } from "./upstreams.js";

/**
 * Hot reload: owns the live registry and takes each new version of the file through parse →
 * diff → apply. The watcher parses; a file that cannot be used (broken, a bad setting, deleted)
 * stops there, keeps the last good registry live and is reported (log and `list_servers`); a
 * good one is diffed against the live one and only the difference is applied to the upstreams.
 * Settings (Code Mode limits, restart policy, waits) are read from the live registry at use, so
 * an edit takes effect whether or not any server has started yet.
 */
export class Reloader {
  private live: Registry;
  private problem: string | undefined;
  private watcher: RegistryWatcher | undefined;
  private readonly upstreams: Upstreams;
  private readonly log: Logger;

  constructor(registry: Registry, upstreams: Upstreams, log: Logger, problem?: string) {
    this.live = registry;
    this.upstreams = upstreams;
    this.log = log;
    this.problem = problem;
  }

  /** The registry in use: the last good version of the file. */
  get registry(): Registry {
    return this.live;
  }

  /** Why the file on disk is not the registry in use, if it is not. */
  get error(): string | undefined {
    return this.problem;
  }

  /** Watches the file; `initialText` is what the live registry was read from. Idempotent. */
  watch(initialText: string | undefined): void {
    if (this.watcher) return;
    this.watcher = watchRegistry(
      this.live.path,
      {
        onRegistry: (next) => this.apply(next),
        onProblem: (error) => this.report(error ? describeError(error) : undefined),
      },
      { initialText },
    );
  }

  /** Makes `next` the live registry, touching only the servers that changed. */
  apply(next: Registry): ServerDiff {
    const diff = diffServers(this.live.servers, next.servers);
    // Beyond the catalogue, denied tools and the exposure mode decide which tools clients are
    // listed, and profiles which tools, resources and prompts.
    const same = (pick: (r: Registry) => unknown) =>
      JSON.stringify(pick(this.live)) === JSON.stringify(pick(next));
    const profilesChanged = !same((r) => r.settings.profiles);
    const toolsChanged = profilesChanged || !same((r) => [r.settings.policy, r.settings.expose]);
    this.live = next;
    this.problem = undefined;
    this.upstreams.apply(next.servers, diff, next.settings);
    if (profilesChanged) this.upstreams.listChanged(["tools", "resources", "prompts"]);
    else if (toolsChanged) this.upstreams.listChanged(["tools"]);
    const parts = [
      diff.added.length > 0 ? `started ${diff.added.map((s) => s.name).join(", ")}` : "",
      diff.removed.length > 0 ? `stopped ${diff.removed.map((s) => s.name).join(", ")}` : "",
      diff.changed.length > 0 ? `restarted ${diff.changed.map((s) => s.name).join(", ")}` : "",
    ].filter((p) => p !== "");
    const what = this.upstreams.isStarted
      ? parts.length > 0
        ? parts.join("; ")
        : "no server changed"
      : "servers start with the first client";
    this.log.info(`registry reloaded: ${what}`);
    return diff;
  }

  /** An edit that cannot be used: the live registry stays; the problem is shown until it goes away. */
  report(message: string | undefined): void {
    if (message !== undefined && message !== this.problem) this.log.error(message);
    this.problem = message;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
