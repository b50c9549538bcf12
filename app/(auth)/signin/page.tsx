// Sign-in page: username + password (not in SSO-only mode), plus a button per configured OAuth/OIDC provider.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { oauthProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { signInErrorKey, signInReasonKey } from "./sign-in-errors";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("signIn.title") };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const errorKey = signInErrorKey(sp.error) ?? signInReasonKey(sp.reason);
  const t = await getTranslations("errors");
  return (
    <SignInForm
      callbackUrl={callbackUrl}
      providers={oauthProviders()}
      initialError={errorKey ? t(errorKey) : undefined}
      passwordSignIn={passwordSignInEnabled()}
    />
  );
}
