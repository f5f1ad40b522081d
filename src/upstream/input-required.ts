import type { ClientCapabilities } from "@modelcontextprotocol/client";
import type { RelayedRequest } from "./types.js";

/**
 * Multi-round-trip requests (2026-07-28): a modern server answers `tools/call`, `prompts/get`
 * or `resources/read` with `resultType: "input_required"`, a map of embedded requests
 * (`inputRequests`) and an opaque `requestState`; the client answers each embedded request and
 * sends the original request again with `inputResponses` and `requestState` echoed byte for
 * byte. voidmcp turns each embedded request into the same relayed request a legacy server's
 * pushed request becomes, so the gateway cannot tell the two eras apart.
 */

/** How many `input_required` answers one call may get before voidmcp gives up on it. */
export const MAX_INPUT_ROUNDS = 10;

/** The methods whose results may be `input_required`. */
export type MultiRoundMethod = "tools/call" | "prompts/get" | "resources/read";

/** An `input_required` result as the SDK hands it back in manual mode. */
export interface InputRequired {
  readonly resultType: "input_required";
  readonly inputRequests?: Readonly<Record<string, unknown>>;
  readonly requestState?: string;
}

/** One embedded request, ready to be relayed. */
export interface PlannedInput {
  readonly key: string;
  readonly method: RelayedRequest;
  readonly params: Record<string, unknown> | undefined;
}

export type InputPlan =
  | { readonly ok: true; readonly inputs: readonly PlannedInput[] }
  | { readonly ok: false; readonly reason: string };

/** Which declared client capability each embedded request needs. */
const NEEDS: Record<RelayedRequest, keyof ClientCapabilities> = {
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
  "roots/list": "roots",
};

export function isInputRequired(value: unknown): value is InputRequired {
  return isRecord(value) && value.resultType === "input_required";
}

/**
 * Pure: the embedded requests of an `input_required` result, checked against what this
 * connection declared. A request of a kind the specification does not allow, or one whose
 * capability the gateway did not declare (a server MUST NOT send those), makes the whole call
 * fail: answering part of it would leave the server waiting on the rest.
 */
export function planInputs(result: InputRequired, declared: ClientCapabilities): InputPlan {
  const inputs: PlannedInput[] = [];
  for (const [key, entry] of Object.entries(result.inputRequests ?? {})) {
    if (!isRecord(entry) || typeof entry.method !== "string") {
      return { ok: false, reason: `its input request "${key}" is not a request (it has no method)` };
    }
    const method = entry.method;
    if (!isRelayedRequest(method)) {
      return {
        ok: false,
        reason: `its input request "${key}" is ${method}, which is not one a server may ask for (elicitation/create, sampling/createMessage, roots/list)`,
      };
    }
    if (declared[NEEDS[method]] === undefined) {
      return {
        ok: false,
        reason: `it asked for ${method} (input request "${key}"), but voidmcp did not declare ${NEEDS[method]} to it: no client behind the gateway can answer that`,
      };
    }
    const params = isRecord(entry.params) ? entry.params : undefined;
    inputs.push({ key, method, params });
  }
  if (inputs.length === 0 && result.requestState === undefined) {
    return { ok: false, reason: "it answered input_required with neither inputRequests nor requestState" };
  }
  return { ok: true, inputs };
}

/**
 * Pure: the params of the retried request: the original params, the answers (if any) and the
 * server's `requestState` exactly as it sent it (and none when it sent none).
 */
export function retryParams(
  original: Readonly<Record<string, unknown>>,
  responses: Readonly<Record<string, unknown>>,
  requestState: string | undefined,
): Record<string, unknown> {
  const { inputResponses: _answers, requestState: _state, ...rest } = original;
  return {
    ...rest,
    ...(Object.keys(responses).length > 0 ? { inputResponses: { ...responses } } : {}),
    ...(requestState !== undefined ? { requestState } : {}),
  };
}

function isRelayedRequest(method: string): method is RelayedRequest {
  return Object.hasOwn(NEEDS, method);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
