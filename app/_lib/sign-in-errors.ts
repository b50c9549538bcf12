// The sign-in page's message for next-auth's ?error= codes, as keys of the "chat" catalog
// (chat.signInErrors.*): the page translates them with its own `t` (getTranslations("chat") or
// useTranslations("chat")). Only the table's own keys count: "constructor" or "__proto__" would
// otherwise read Object.prototype and hand a function or an object to a client component (the page
// crashed).
const ERRORS = {
  Deactivated: "signInErrors.deactivated",
  CredentialsSignin: "signInErrors.credentials",
  OAuthSignin: "signInErrors.oauthSignin",
  OAuthCallback: "signInErrors.oauthCallback",
  AccessDenied: "signInErrors.accessDenied",
  // OAuth/OIDC (lib/auth/auth-request.ts, lib/auth/oauth-sign-in.ts)
  OAuthState: "signInErrors.oauthState",
  OAuthIssuer: "signInErrors.oauthIssuer",
  NotInAllowedGroup: "signInErrors.notInAllowedGroup",
  AccountDeactivated: "signInErrors.accountDeactivated",
  PendingExpired: "signInErrors.pendingExpired",
  SessionRequired: "signInErrors.sessionRequired",
  RegistrationInvite: "signInErrors.registrationInvite",
  RegistrationClosed: "signInErrors.registrationClosed",
} as const;

export const SIGN_IN_FAILED_KEY = "signInErrors.failed";
export const DEACTIVATED_KEY = "signInErrors.deactivated";

export type SignInErrorKey = (typeof ERRORS)[keyof typeof ERRORS] | typeof SIGN_IN_FAILED_KEY;
/** A translator of the "chat" namespace: `await getTranslations("chat")` or `useTranslations("chat")`. */
export type ChatTranslator = (key: SignInErrorKey) => string;

/** The catalog key for `?error=`: its own sentence, the generic one for anything unknown, none without one. */
export function signInErrorKey(raw: string | string[] | undefined): SignInErrorKey | undefined {
  const code = typeof raw === "string" ? raw : undefined;
  if (!code) return undefined;
  return Object.hasOwn(ERRORS, code) ? ERRORS[code as keyof typeof ERRORS] : SIGN_IN_FAILED_KEY;
}

/** The catalog key for `?reason=` (a tab sent to sign-in by the server, e.g. after a deactivation). */
export function signInReasonKey(raw: string | string[] | undefined): SignInErrorKey | undefined {
  return raw === "deactivated" ? DEACTIVATED_KEY : undefined;
}

/** The sentence for `?error=` in the page's language. */
export function signInErrorMessage(
  raw: string | string[] | undefined,
  t: ChatTranslator,
): string | undefined {
  const key = signInErrorKey(raw);
  return key && t(key);
}

/** The sentence for `?reason=` in the page's language. */
export function signInReasonMessage(
  raw: string | string[] | undefined,
  t: ChatTranslator,
): string | undefined {
  const key = signInReasonKey(raw);
  return key && t(key);
}
