// Sign-up page. The workspace's registration policy decides what it shows: the form (open), the
// form only with an invite link (?invite=<token>) or a message saying to ask for one (invite-only),
// or only a message (closed).
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { currentUser } from "@/lib/auth/session";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { SignUpForm } from "./sign-up-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("signUp.title") };
}

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  const invite = typeof sp.invite === "string" ? sp.invite : undefined;
  // With an invite link, its own page says what it grants (or why it does not work).
  if (invite) redirect(`/invite/${encodeURIComponent(invite)}`);
  if (await currentUser()) redirect(callbackUrl);
  const [t, te] = await Promise.all([getTranslations("auth"), getTranslations("errors")]);
  if (!passwordSignInEnabled())
    return (
      <div>
        <h1 className="mb-4 text-lg font-semibold">{t("signUp.title")}</h1>
        <p role="alert" className="text-sm text-zinc-700 dark:text-zinc-300">
          {t("signUp.ssoOnly")}
        </p>
        <p className="mt-4 text-sm">
          <Link href="/signin" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            {t("signUp.goToSignIn")}
          </Link>
        </p>
      </div>
    );
  const { registration } = await getWorkspaceSettings();
  if (registration === "open") return <SignUpForm callbackUrl={callbackUrl} />;
  return (
    <div>
      <h1 className="mb-3 text-lg font-semibold">
        {registration === "closed" ? t("signUp.closedTitle") : t("signUp.inviteTitle")}
      </h1>
      <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
        {registration === "closed" ? te("api.registrationClosed") : te("api.registrationInvite")}
      </p>
      {registration === "invite" && (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t("signUp.inviteHint")}</p>
      )}
      <p className="mt-5 text-center text-sm text-zinc-600 dark:text-zinc-400">
        {t.rich("signUp.haveAccount", {
          link: (chunks) => (
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              {chunks}
            </Link>
          ),
        })}
      </p>
    </div>
  );
}
