/**
 * OAuth 2.1 for remote upstreams: `voidmcp auth` (sign-in, sign-out, status) and the token
 * source a remote connection uses while serving. Credentials live in the credential store
 * (keys: credentials.ts), opened in one place (context.ts).
 */
export { type SignInStatus, signInStatus, signOut } from "./account.js";
export { type OAuthContext, oauthContext } from "./context.js";
export { clientKey, type RegistrationKind, tokensKey } from "./credentials.js";
export { findNeedsAuth, needsAuthError, signInCommand } from "./needs-auth.js";
export { openableUrl, openBrowser } from "./opener.js";
export { DEFAULT_SIGN_IN_TIMEOUT_MS, type SignInOptions, type SignInResult, signIn } from "./sign-in.js";
export { TokenSource } from "./token-source.js";
