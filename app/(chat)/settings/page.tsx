// /settings: profile and picture, two-factor authentication, your devices, password, sign-in methods,
// API tokens (and a link to Bots), sign out everywhere.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { currentSession } from "@/lib/auth/session";
import { twoFactorStatus } from "@/lib/auth/two-factor.service";
import { listDevices } from "@/lib/sessions/devices.service";
import { listTokens } from "@/lib/tokens/tokens.service";
import { getLocalePreference, getProfile } from "@/lib/users/profile.service";
import { isAdmin, isGuest } from "@/lib/workspace/roles";
import { PageHeader } from "../_components/page-parts";
import { ApiTokens } from "./api-tokens";
import { AvatarForm } from "./avatar-form";
import { Devices } from "./devices";
import { LanguageForm } from "./language-form";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";
import { SignInMethodsSection } from "./sign-in-methods-section";
import { SignOutEverywhere } from "./sign-out-everywhere";
import { TwoFactorSettings } from "./two-factor-settings";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("page.title") };
}

export default async function SettingsPage() {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent("/settings")}`);
  const { user, sid } = session;
  const [profile, twoFactor, devices, tokens, t] = await Promise.all([
    getProfile(user),
    twoFactorStatus(user),
    listDevices(user, sid),
    listTokens(user.id),
    getTranslations("settings"),
  ]);
  const rule = "border-t border-zinc-200 pt-6 dark:border-zinc-800";
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("page.title")} />
      <div className="flex-1 overflow-y-auto">
        <div className="max-w-xl space-y-6 p-4">
          <ProfileForm profile={profile} />
          <AvatarForm user={user} />
          <div className={rule}>
            <LanguageForm saved={await getLocalePreference(user)} />
          </div>
          <div className={rule}>
            <TwoFactorSettings status={twoFactor} />
          </div>
          <div className={rule}>
            <Devices devices={devices} />
          </div>
          {passwordSignInEnabled() && (
            <div className={rule}>
              <PasswordForm username={user.username} />
            </div>
          )}
          <div className={rule}>
            <SignInMethodsSection userId={user.id} />
          </div>
          <div className={rule}>
            <ApiTokens
              endpoint="/api/account/tokens"
              title={t("page.apiTokensTitle")}
              intro={t("page.apiTokensIntro")}
              allowAdmin={isAdmin(user.role)}
              initial={tokens}
            />
          </div>
          {!isGuest(user.role) && (
            <section aria-labelledby="bots-heading" className={`${rule} space-y-2`}>
              <h2 id="bots-heading" className="text-base font-semibold">
                {t("page.botsHeading")}
              </h2>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("page.botsIntro")}</p>
              <Link href="/settings/bots" className="btn-secondary inline-block">
                {t("page.manageBots")}
              </Link>
            </section>
          )}
          <div className={rule}>
            <SignOutEverywhere />
          </div>
        </div>
      </div>
    </div>
  );
}
