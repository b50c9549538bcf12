// Sign-in page: username + password (not in SSO-only mode), plus a button per configured OAuth/OIDC provider.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { signInErrorMessage, signInReasonMessage } from "@/app/_lib/sign-in-errors";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
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
  const tChat = await getTranslations("chat");
  const error = signInErrorMessage(sp.error, tChat) ?? signInReasonMessage(sp.reason, tChat);
  return (
    <SignInForm
      callbackUrl={callbackUrl}
      providers={oauthProviders()}
      initialError={error}
      passwordSignIn={passwordSignInEnabled()}
    />
  );
}
