import { VoidError } from "../core/index.js";
import type { RequestContext } from "../downstream/index.js";
import type { Confirmation } from "./audit-log.js";

/**
 * A script's run (one `execute_code` call) as the policy sees it: the position of each call, the
 * tools the person allowed "for the rest of this run", and one question at a time (calls made in
 * parallel wait for the answer to the first, so a loop is asked once, not once per call).
 */
export class RunScope {
  private readonly allowedTools = new Set<string>();
  private calls = 0;
  private questions: Promise<unknown> = Promise.resolve();

  nextPosition(): number {
    this.calls += 1;
    return this.calls;
  }

  allows(key: string): boolean {
    return this.allowedTools.has(key);
  }

  allow(key: string): void {
    this.allowedTools.add(key);
  }

  /** Runs `ask` after every earlier question of this run has been answered. */
  oneAtATime<T>(ask: () => Promise<T>): Promise<T> {
    const next = this.questions.then(ask, ask);
    this.questions = next.catch(() => undefined);
    return next;
  }
}

export interface ConfirmRequest {
  readonly server: string;
  readonly tool: string;
  readonly args: unknown;
  readonly because: string;
  /** The call's position in the run, for a script's call. */
  readonly position: number | undefined;
  readonly timeoutMs: number;
  readonly registryPath: string;
}

const ARGUMENTS_SHOWN = 1_000;

/** Whether the client declared form elicitation (an empty `elicitation: {}` means form). */
export function canElicit(context: RequestContext): boolean {
  const elicitation = context.client.capabilities()?.elicitation as Record<string, unknown> | undefined;
  if (elicitation === undefined) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

/** What the person reads: which tool, why they are asked, the arguments (cut), where in the run. */
export function confirmMessage(request: ConfirmRequest): string {
  let shown = JSON.stringify(request.args ?? {}) ?? "{}";
  if (shown.length > ARGUMENTS_SHOWN)
    shown = `${shown.slice(0, ARGUMENTS_SHOWN)}… (${shown.length} characters)`;
  const where =
    request.position !== undefined ? ` It is call ${request.position} of an execute_code script.` : "";
  return `Allow ${request.server}.${request.tool}? voidmcp's policy asks before this tool runs (${request.because}).${where}\nArguments: ${shown}`;
}

/**
 * Asks the person, through the client that made the call, whether one call may run. Resolves
 * with how it was allowed; rejects with a VoidError("denied") for every other outcome: no
 * elicitation declared, decline, cancel, the client's error, or no answer within `timeoutMs`.
 * Only the client's elicitation answer can allow a call: nothing in the call's arguments counts.
 */
export async function askPerson(
  context: RequestContext,
  request: ConfirmRequest,
  offerRun: boolean,
): Promise<Confirmation> {
  const name = `${request.server}.${request.tool}`;
  const hint = `to allow it without asking, add "policy": { "rules": { "${name}": "allow" } } to ${request.registryPath}`;
  if (!canElicit(context)) {
    throw refusal(
      "unsupported",
      `${name} needs the person's confirmation (${request.because}), but this client cannot ask: it did not declare elicitation`,
      hint,
    );
  }
  const properties: Record<string, unknown> = offerRun
    ? {
        allowRestOfRun: {
          type: "boolean",
          title: "Allow the rest of this run",
          description: `Also allow every further call of ${name} in this execute_code run without asking`,
          default: false,
        },
      }
    : {};
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(request.timeoutMs)]);
  let answer: Record<string, unknown>;
  try {
    answer = await context.client.request(
      "elicitation/create",
      { message: confirmMessage(request), requestedSchema: { type: "object", properties } },
      signal,
    );
  } catch (error) {
    if (context.signal.aborted) throw refusal("cancelled", `${name} was not run: the call was cancelled`);
    if (signal.aborted) {
      throw refusal(
        "timeout",
        `${name} was refused: nobody answered the confirmation within ${request.timeoutMs} ms`,
        hint,
      );
    }
    throw refusal(
      "cancelled",
      `${name} was refused: the client could not ask (${(error as Error).message})`,
      hint,
    );
  }
  switch (answer.action) {
    case "accept": {
      const content = answer.content as Record<string, unknown> | undefined;
      return offerRun && content?.allowRestOfRun === true ? "accepted_for_run" : "accepted";
    }
    case "decline":
      throw refusal("declined", `${name} was refused: the person declined it`);
    default:
      throw refusal("cancelled", `${name} was refused: the person cancelled the confirmation`);
  }
}

function refusal(confirmation: Confirmation, message: string, hint?: string): VoidError {
  return new VoidError("denied", message, { details: { confirmation }, ...(hint ? { hint } : {}) });
}
