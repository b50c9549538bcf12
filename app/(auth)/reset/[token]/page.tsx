// /reset/<token>: set a new password with a one-time link from an admin (valid 1 hour).
import type { Metadata } from "next";
import Link from "next/link";
import { RESET_LINK_MESSAGES, resetLinkState } from "@/lib/users/password-reset.service";
import { ResetForm } from "./reset-form";

export const metadata: Metadata = { title: "Reset password", referrer: "no-referrer" };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await resetLinkState(token);
  return (
    <div>
      <h1 className="mb-4 text-lg font-semibold">Reset password</h1>
      {link.state === "valid" ? (
        <ResetForm token={token} username={link.username ?? ""} />
      ) : (
        <>
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
          >
            {RESET_LINK_MESSAGES[link.state]}
          </p>
          <p className="mt-4 text-sm">
            <Link href="/signin" className="text-indigo-600 hover:underline dark:text-indigo-400">
              Go to sign in
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
