// The sign-in page's sentence for next-auth's ?error= codes and the server's ?reason=, as a key of the
// "errors" namespace (signIn.*). Only the table's own keys count: "constructor" or "__proto__" would
// otherwise read Object.prototype. Any other code is "failed".
const KEYS: Record<string, string> = {
  Deactivated: "deactivated",
  CredentialsSignin: "wrongPassword",
  OAuthSignin: "oauthSignin",
  OAuthCallback: "oauthCallback",
  AccessDenied: "accessDenied",
  // OAuth/OIDC (lib/auth/auth-request.ts, lib/auth/oauth-sign-in.ts)
  OAuthState: "oauthState",
  OAuthIssuer: "oauthIssuer",
  NotInAllowedGroup: "notInAllowedGroup",
  AccountDeactivated: "accountDeactivated",
  PendingExpired: "pendingExpired",
  SessionRequired: "sessionRequired",
  RegistrationInvite: "registrationInvite",
  RegistrationClosed: "registrationClosed",
};

/** `signIn.<key>` for an ?error= code; undefined without one. */
export function signInErrorKey(raw: string | string[] | undefined): string | undefined {
  const code = typeof raw === "string" ? raw : undefined;
  if (!code) return undefined;
  return `signIn.${Object.hasOwn(KEYS, code) ? KEYS[code] : "failed"}`;
}

/** `signIn.<key>` for `?reason=` (a tab sent to sign-in by the server, e.g. after a deactivation). */
export function signInReasonKey(raw: string | string[] | undefined): string | undefined {
  return raw === "deactivated" ? "signIn.deactivated" : undefined;
}
