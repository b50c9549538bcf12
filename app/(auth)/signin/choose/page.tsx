// /signin/choose: an OAuth/OIDC sign-in whose username belongs to another account. The person picks
// another username, or says "this is my account" and signs in with its password to link it. Never
// linked implicitly.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { providerName, readPending } from "@/lib/auth/oauth-sign-in";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { suggestUsername } from "@/lib/users/identities.service";
import { ChooseUsername } from "./choose-username";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("choose.title") };
}

export default async function ChoosePage() {
  const [c, t, te] = await Promise.all([cookies(), getTranslations("auth"), getTranslations("errors")]);
  const pending = readPending(Object.fromEntries(c.getAll().map((x) => [x.name, x.value])));
  if (!pending)
    return (
      <div>
        <h1 className="mb-4 text-lg font-semibold">{t("choose.title")}</h1>
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {te("signIn.pendingExpired")}
        </p>
        <p className="mt-4 text-sm">
          <Link href="/signin" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            {t("choose.backToSignIn")}
          </Link>
        </p>
      </div>
    );
  return (
    <ChooseUsername
      provider={pending.provider}
      providerName={providerName(pending.provider)}
      wanted={pending.wanted}
      suggestion={await suggestUsername(pending.wanted)}
      who={pending.email ?? pending.name ?? pending.username ?? ""}
      passwordSignIn={passwordSignInEnabled()}
    />
  );
}
