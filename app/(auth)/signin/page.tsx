// Sign-in page: username + password, plus a button per configured OAuth/OIDC provider.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { oauthProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong username or password.",
  OAuthSignin: "Could not start signing in with that provider. Try again.",
  OAuthCallback: "The provider did not complete the sign-in. Try again.",
  AccessDenied: "Access was denied.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const errorKey = typeof sp.error === "string" ? sp.error : undefined;
  const error = errorKey ? (ERRORS[errorKey] ?? "Sign-in failed. Try again.") : undefined;
  return <SignInForm callbackUrl={callbackUrl} providers={oauthProviders()} initialError={error} />;
}
