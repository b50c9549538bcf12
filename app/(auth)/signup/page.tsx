// Sign-up page.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { currentUser } from "@/lib/auth/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  if (!passwordSignInEnabled())
    return (
      <div>
        <h1 className="mb-4 text-lg font-semibold">Sign up</h1>
        <p role="alert" className="text-sm text-zinc-700 dark:text-zinc-300">
          Accounts on this server come from your organization's sign-in: there is no sign-up with a password.
        </p>
        <p className="mt-4 text-sm">
          <Link href="/signin" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Go to sign in
          </Link>
        </p>
      </div>
    );
  return <SignUpForm callbackUrl={callbackUrl} />;
}
