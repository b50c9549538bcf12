// /settings/link: after "This is my account" on the username choice screen and a password sign-in,
// confirm linking the waiting identity to the account now signed in.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { getTranslations } from "next-intl/server";
import { providerName, readPending } from "@/lib/auth/oauth-sign-in";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "../../_components/page-parts";
import { ConfirmLink } from "./confirm-link";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("link.title") };
}

export default async function LinkPage() {
  const user = await requireUser("/settings/link");
  const [c, t] = await Promise.all([cookies(), getTranslations("settings")]);
  const pending = readPending(Object.fromEntries(c.getAll().map((x) => [x.name, x.value])));
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("link.title")} />
      <div className="max-w-md flex-1 overflow-y-auto p-4">
        {pending ? (
          <ConfirmLink
            providerName={providerName(pending.provider)}
            who={pending.email ?? pending.name ?? pending.username ?? ""}
            username={user.username}
          />
        ) : (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {t("link.nothingPending")}
          </p>
        )}
      </div>
    </div>
  );
}
