// Sign-in page: username + password, plus a button per configured OAuth/OIDC provider.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { signInErrorMessage, signInReasonMessage } from "@/app/_lib/sign-in-errors";
import { oauthProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const error = signInErrorMessage(sp.error) ?? signInReasonMessage(sp.reason);
  return <SignInForm callbackUrl={callbackUrl} providers={oauthProviders()} initialError={error} />;
}
