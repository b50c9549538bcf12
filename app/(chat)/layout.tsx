// The chat shell: sidebar with my rooms, then the page. Pages do their own sign-in redirect
// (they know their URL, so the visitor comes back to it).
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/session";
import { twoFactorStatus } from "@/lib/auth/two-factor.service";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import { sidebar } from "@/lib/rooms/rooms.service";
import { getLocalePreference } from "@/lib/users/profile.service";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { LocaleSync } from "./_components/locale-sync";
import { Shell } from "./_components/shell";
import { TwoFactorGate } from "./_components/two-factor-gate";

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) return children;
  // The workspace requires two-factor of this account and it has none: only set-up (or sign-out).
  if (user.twoFactorSetupRequired) return <TwoFactorGate status={await twoFactorStatus(user)} />;
  const [rooms, workspace, locale, jar] = await Promise.all([
    sidebar(user),
    getWorkspaceSettings(),
    getLocalePreference(user),
    cookies(),
  ]);
  return (
    <Shell user={user} rooms={rooms} workspace={{ name: workspace.name, logoText: workspace.logoText }}>
      {children}
      {/* This device's language differs from the account's (chosen on another device): follow it. */}
      {locale !== (jar.get(LOCALE_COOKIE)?.value ?? "") && <LocaleSync locale={locale} />}
    </Shell>
  );
}
