// The sign-in page's message for next-auth's ?error= codes. Only the table's own keys count:
// "constructor" or "__proto__" would otherwise read Object.prototype and hand a function or an
// object to a client component (the page crashed).
export const DEACTIVATED_MESSAGE = "Your account was deactivated by an admin.";

const ERRORS: Record<string, string> = {
  Deactivated: DEACTIVATED_MESSAGE,
  CredentialsSignin: "Wrong username or password.",
  OAuthSignin: "Could not start signing in with that provider. Try again.",
  OAuthCallback: "The provider did not complete the sign-in. Try again.",
  AccessDenied: "Access was denied.",
  SessionRequired: "Please sign in to continue.",
  RegistrationInvite:
    "There is no account for that sign-in yet, and sign-up on this server needs an invite link. Sign up through your invite link with a username and password, or ask an admin.",
  RegistrationClosed:
    "There is no account for that sign-in yet, and sign-up on this server is closed. Ask an admin for an account.",
};

export const SIGN_IN_FAILED = "Sign-in failed. Try again.";

export function signInErrorMessage(raw: string | string[] | undefined): string | undefined {
  const key = typeof raw === "string" ? raw : undefined;
  if (!key) return undefined;
  return Object.hasOwn(ERRORS, key) ? (ERRORS[key] as string) : SIGN_IN_FAILED;
}

/** The message for `?reason=` (a tab sent to sign-in by the server, e.g. after a deactivation). */
export function signInReasonMessage(raw: string | string[] | undefined): string | undefined {
  return raw === "deactivated" ? DEACTIVATED_MESSAGE : undefined;
}
