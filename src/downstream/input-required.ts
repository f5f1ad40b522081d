import { randomUUID } from "node:crypto";
import {
  type ClientCapabilities,
  type Implementation,
  type LoggingLevel,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import type { ClientChannel, RequestContext } from "./backend.js";
import {
  newStateKey,
  type StateExpectation,
  signState,
  stateRejectionMessage,
  verifyState,
} from "./request-state.js";

/**
 * Multi-round-trip requests toward a modern (2026-07-28) client, for calls that are relayed to
 * legacy upstreams. A modern client never gets a server→client request: when a call it made
 * needs the client (an upstream's elicitation/create, sampling/createMessage or roots/list, or
 * voidmcp's own confirmation), the call keeps running, its question is answered to the client
 * as `resultType: "input_required"` with `inputRequests` and a signed `requestState`, and the
 * client's retry (same method and params, plus `inputResponses` and that state) hands the
 * answers to the waiting questions and picks up the same call. Between rounds nothing of the
 * client is attached: log messages and progress of the call are dropped, and a continuation
 * the client does not come back to is cancelled when its state expires.
 */

/** One request of a modern client while it is attached to a continuation. */
export interface Round {
  /** Aborted when the client abandons this request (closed its HTTP stream, or cancelled it). */
  readonly signal: AbortSignal;
  /** What this request's `_meta` declared. */
  readonly capabilities: ClientCapabilities | undefined;
  /** Who the client said it is in this request's `_meta` (clientInfo). */
  readonly clientInfo: Implementation | undefined;
  /** This request's `_meta` log level; undefined: the client wants no log messages. */
  readonly logLevel: LoggingLevel | undefined;
  /** A notification that belongs to this request (log messages, progress). */
  readonly notify: (method: string, params?: Record<string, unknown>) => Promise<void>;
  /** Present when this request asked for progress. */
  readonly progress: ((progress: { progress: number; total?: number; message?: string }) => void) | undefined;
}

/** An embedded request, as it goes into `inputRequests`. */
export interface InputRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

export type RoundOutcome =
  | { readonly kind: "done"; readonly value: unknown }
  | {
      readonly kind: "input";
      readonly inputRequests: Record<string, InputRequest>;
      readonly requestState: string;
    };

/** What a call's continuation tells the rest of the gateway about its client. */
export interface ContinuationHooks {
  opened(channel: ClientChannel): void;
  closed(channel: ClientChannel): void;
}

export interface ContinuationOptions {
  /** How long a continuation waits for the client's retry. */
  readonly ttlMs?: number;
  /** Questions asked within this window go out together in one input_required result. */
  readonly batchMs?: number;
  /** Continuations kept at most; one more is refused. */
  readonly maxWaiting?: number;
  readonly now?: () => number;
}

/** How long a person has to answer before the call they were asked about is cancelled. */
export const DEFAULT_STATE_TTL_MS = 10 * 60_000;
const DEFAULT_BATCH_MS = 20;
const DEFAULT_MAX_WAITING = 1_000;

interface Ask {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly resolve: (value: Record<string, unknown>) => void;
  readonly reject: (error: unknown) => void;
}

const KEY_PREFIX: Record<string, string> = {
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
  "roots/list": "roots",
};

/**
 * Whether `value` is a usable answer to an embedded request of `method` (pure). An answer that
 * is not is treated as missing, so the question is asked again rather than passed on broken.
 */
export function isInputResponse(method: string, value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  switch (method) {
    case "elicitation/create":
      return v.action === "accept" || v.action === "decline" || v.action === "cancel";
    case "sampling/createMessage":
      return typeof v.role === "string" && typeof v.content === "object" && v.content !== null;
    case "roots/list":
      return Array.isArray(v.roots);
    default:
      return false;
  }
}

class Continuation {
  readonly id = randomUUID();
  /** The number of input_required results given so far; the state of the last one is the only good one. */
  round = 0;
  attached: Round | undefined;
  capabilities: ClientCapabilities | undefined;
  clientInfo: Implementation | undefined;
  readonly controller = new AbortController();
  /** Asked by the call, not yet shown to the client. */
  readonly waiting = new Map<string, Ask>();
  /** Shown in the last input_required result, not yet answered. */
  readonly shown = new Map<string, Ask>();
  settled: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  private wake: (() => void) | undefined;
  expiry: NodeJS.Timeout | undefined;
  nextKey = 0;
  readonly channel: ClientChannel;
  readonly expectation: StateExpectation;

  constructor(
    expectation: StateExpectation,
    round: Round,
    ask: (
      method: string,
      params: Record<string, unknown> | undefined,
      signal?: AbortSignal,
    ) => Promise<Record<string, unknown>>,
  ) {
    this.expectation = expectation;
    this.capabilities = round.capabilities;
    this.clientInfo = round.clientInfo;
    this.channel = {
      id: `modern-${this.id}`,
      capabilities: () => this.attached?.capabilities ?? this.capabilities,
      info: () => this.attached?.clientInfo ?? this.clientInfo,
      // Between rounds there is no request to carry a log message: none is sent.
      logLevel: () => this.attached?.logLevel,
      request: ask,
      notify: (method, params) => this.attached?.notify(method, params) ?? Promise.resolve(),
    };
  }

  poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  sleep(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }
}

/**
 * The continuations of one front (the HTTP endpoint, or one stdio connection): calls of modern
 * clients that wait for the client's input, by id. `close()` cancels them all.
 */
export class Continuations {
  private readonly key = newStateKey();
  private readonly live = new Map<string, Continuation>();
  private readonly ttlMs: number;
  private readonly batchMs: number;
  private readonly maxWaiting: number;
  private readonly now: () => number;
  private closed = false;

  constructor(options: ContinuationOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_STATE_TTL_MS;
    this.batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    this.maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
    this.now = options.now ?? Date.now;
  }

  /** Continuations alive (running or waiting for a retry). */
  get size(): number {
    return this.live.size;
  }

  /**
   * Starts `call` for a first request (one without requestState) and runs it until it ends or
   * needs the client. `call` gets a context whose client turns every request into a question
   * for the next input_required result.
   */
  async start(
    expectation: StateExpectation,
    round: Round,
    call: (context: RequestContext) => Promise<unknown>,
    hooks: ContinuationHooks,
  ): Promise<RoundOutcome> {
    if (this.closed) throw new ProtocolError(ProtocolErrorCode.InternalError, "voidmcp is shutting down");
    if (this.live.size >= this.maxWaiting) {
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `${this.maxWaiting} calls are already waiting for a client's input; answer or cancel some first`,
      );
    }
    const c: Continuation = new Continuation(expectation, round, (method, params, signal) =>
      this.ask(c, method, params, signal),
    );
    this.live.set(c.id, c);
    hooks.opened(c.channel);
    c.controller.signal.addEventListener("abort", () => hooks.closed(c.channel), { once: true });
    const context: RequestContext = {
      signal: c.controller.signal,
      onprogress: round.progress === undefined ? undefined : (progress) => c.attached?.progress?.(progress),
      client: c.channel,
    };
    // Attached before the call starts: what it sends at once belongs to this request.
    c.attached = round;
    call(context).then(
      (value) => this.settle(c, { ok: true, value }),
      (error: unknown) => this.settle(c, { ok: false, error }),
    );
    return this.drive(c, round);
  }

  /**
   * Resumes the continuation `state` names, for a retry: checks the state (signature, deadline,
   * request, client, round), hands `responses` to the questions they answer, and runs on.
   * A refused state is a JSON-RPC invalid-params error saying why.
   */
  async resume(
    state: string,
    responses: Readonly<Record<string, unknown>> | undefined,
    expectation: StateExpectation,
    round: Round,
  ): Promise<RoundOutcome> {
    const check = verifyState(state, this.key, expectation, this.now());
    if (!check.ok) throw refused(stateRejectionMessage(check.reason), check.reason);
    const c = this.live.get(check.claims.continuation);
    if (!c) throw refused(stateRejectionMessage("unknown"), "unknown");
    if (check.claims.round !== c.round || c.attached !== undefined) {
      throw refused(stateRejectionMessage("replayed"), "replayed");
    }
    for (const [key, ask] of [...c.shown]) {
      const answer = responses?.[key];
      if (!isInputResponse(ask.method, answer)) continue;
      c.shown.delete(key);
      ask.resolve(answer);
    }
    return this.drive(c, round);
  }

  /** Cancels every continuation (the front is closing). */
  close(): void {
    this.closed = true;
    for (const c of [...this.live.values()]) this.cancel(c, "voidmcp is shutting down");
  }

  private ask(
    c: Continuation,
    method: string,
    params: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    if (c.settled || c.controller.signal.aborted) {
      return Promise.reject(new Error("the call this question belongs to has ended"));
    }
    return new Promise((resolve, reject) => {
      c.nextKey += 1;
      const key = `${KEY_PREFIX[method] ?? "input"}-${c.nextKey}`;
      const entry: Ask = { method, params: params ?? {}, resolve, reject };
      c.waiting.set(key, entry);
      signal?.addEventListener(
        "abort",
        () => {
          // The asker gave up (its own timeout or cancellation): the question is void.
          if (c.waiting.delete(key) || c.shown.delete(key)) reject(signal.reason);
        },
        { once: true },
      );
      c.poke();
    });
  }

  private settle(c: Continuation, outcome: NonNullable<Continuation["settled"]>): void {
    if (c.settled) return;
    c.settled = outcome;
    c.poke();
    // Nobody attached: the result waits for the retry (or the expiry) to pick it up.
  }

  private async drive(c: Continuation, round: Round): Promise<RoundOutcome> {
    clearTimeout(c.expiry);
    c.expiry = undefined;
    c.attached = round;
    c.capabilities = round.capabilities;
    const onAbort = () => {
      this.cancel(c, "the client abandoned the request");
      c.poke();
    };
    if (round.signal.aborted) onAbort();
    else round.signal.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        if (round.signal.aborted)
          throw new ProtocolError(ProtocolErrorCode.InternalError, "request cancelled");
        if (c.settled) {
          this.forget(c);
          if (c.settled.ok) return { kind: "done", value: c.settled.value };
          throw c.settled.error;
        }
        if (c.waiting.size > 0 || c.shown.size > 0) {
          // Questions asked together (parallel calls of a script) go out together.
          if (c.waiting.size > 0 && this.batchMs > 0) await delay(this.batchMs);
          if (round.signal.aborted || c.settled) continue;
          return this.askClient(c);
        }
        await c.sleep();
      }
    } finally {
      round.signal.removeEventListener("abort", onAbort);
      if (c.attached === round) c.attached = undefined;
    }
  }

  private askClient(c: Continuation): RoundOutcome {
    for (const [key, ask] of c.waiting) c.shown.set(key, ask);
    c.waiting.clear();
    c.round += 1;
    const inputRequests: Record<string, InputRequest> = {};
    for (const [key, ask] of c.shown) inputRequests[key] = { method: ask.method, params: ask.params };
    const requestState = signState(
      { continuation: c.id, round: c.round, ...c.expectation, expiresAt: this.now() + this.ttlMs },
      this.key,
    );
    c.expiry = setTimeout(() => this.cancel(c, "the client did not answer in time"), this.ttlMs);
    c.expiry.unref();
    return { kind: "input", inputRequests, requestState };
  }

  private cancel(c: Continuation, reason: string): void {
    if (!this.live.has(c.id)) return;
    this.forget(c);
    const error = new Error(`cancelled: ${reason}`);
    for (const ask of [...c.waiting.values(), ...c.shown.values()]) ask.reject(error);
    c.waiting.clear();
    c.shown.clear();
    // Aborting the call's signal cancels its upstream requests (notifications/cancelled).
    c.controller.abort(error);
  }

  private forget(c: Continuation): void {
    clearTimeout(c.expiry);
    c.expiry = undefined;
    if (!this.live.delete(c.id)) return;
    if (!c.controller.signal.aborted) c.controller.abort(new Error("the call ended"));
  }
}

function refused(message: string, reason: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, message, { reason: `request_state_${reason}` });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
