// /settings: profile and picture, two-factor authentication, your devices, password, sign-in methods,
// API tokens (and a link to Bots), sign out everywhere.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
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

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent("/settings")}`);
  const { user, sid } = session;
  const [profile, twoFactor, devices, tokens] = await Promise.all([
    getProfile(user),
    twoFactorStatus(user),
    listDevices(user, sid),
    listTokens(user.id),
  ]);
  const rule = "border-t border-zinc-200 pt-6 dark:border-zinc-800";
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Settings" />
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
              title="API tokens"
              intro="Personal access tokens let scripts and tools use Beacon's API and live connection as you, with the scopes you choose. Send one as “Authorization: Bearer …” or as the socket's auth token."
              allowAdmin={isAdmin(user.role)}
              initial={tokens}
            />
          </div>
          {!isGuest(user.role) && (
            <section aria-labelledby="bots-heading" className={`${rule} space-y-2`}>
              <h2 id="bots-heading" className="text-base font-semibold">
                Bots
              </h2>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Bot accounts post through the API with their own name and picture, marked BOT.
              </p>
              <Link href="/settings/bots" className="btn-secondary inline-block">
                Manage bots
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
