// /reset/<token>: set a new password with a one-time link from an admin (valid 1 hour).
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { type ResetLinkState, resetLinkState } from "@/lib/users/password-reset.service";
import { ResetForm } from "./reset-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("reset.title"), referrer: "no-referrer" };
}

/** Why a link does not work, as an "errors" key (the sentences of RESET_LINK_MESSAGES). */
const LINK_PROBLEM: Record<Exclude<ResetLinkState, "valid">, string> = {
  unknown: "api.resetUnknown",
  used: "api.resetUsed",
  expired: "api.resetExpired",
};

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [link, t, te] = await Promise.all([
    resetLinkState(token),
    getTranslations("auth"),
    getTranslations("errors"),
  ]);
  return (
    <div>
      <h1 className="mb-4 text-lg font-semibold">{t("reset.title")}</h1>
      {link.state === "valid" ? (
        <ResetForm token={token} username={link.username ?? ""} />
      ) : (
        <>
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
          >
            {te(LINK_PROBLEM[link.state])}
          </p>
          <p className="mt-4 text-sm">
            <Link href="/signin" className="text-indigo-600 hover:underline dark:text-indigo-400">
              {t("reset.goToSignIn")}
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
