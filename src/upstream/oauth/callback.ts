/**
 * Pure: what the authorization server's redirect to the loopback listener says. The `state`
 * must be the one sent (else it is not the answer to this sign-in: ignored, the wait goes on);
 * an `error` ends the sign-in; `iss` (RFC 9207) must be the issuer when it is present, and must
 * be present when the server promised it.
 */
export type CallbackVerdict =
  | { readonly kind: "code"; readonly code: string }
  | { readonly kind: "ignore"; readonly why: string }
  | { readonly kind: "fail"; readonly why: string };

export function judgeCallback(
  params: URLSearchParams,
  expected: { readonly state: string; readonly issuer: string; readonly issRequired: boolean },
): CallbackVerdict {
  if (params.get("state") !== expected.state) {
    return { kind: "ignore", why: "its state does not match this sign-in" };
  }
  const iss = params.get("iss");
  if (iss !== null && stripSlash(iss) !== stripSlash(expected.issuer)) {
    // RFC 9207 §2.4: a mix-up; what the response says must not be shown.
    return {
      kind: "fail",
      why: "the answer came from another authorization server than the one asked (iss mismatch)",
    };
  }
  if (iss === null && expected.issRequired) {
    return { kind: "fail", why: "the authorization server promised an iss parameter and sent none" };
  }
  const error = params.get("error");
  if (error !== null) {
    const code = /^[A-Za-z0-9_.-]{1,64}$/.test(error) ? error : "an error";
    return { kind: "fail", why: `the authorization server answered ${code}` };
  }
  const code = params.get("code");
  if (code === null || code === "")
    return { kind: "fail", why: "the redirect carried no authorization code" };
  return { kind: "code", code };
}

function stripSlash(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}
