// The chat shell: sidebar with my rooms, then the page. Pages do their own sign-in redirect
// (they know their URL, so the visitor comes back to it).
import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/session";
import { twoFactorStatus } from "@/lib/auth/two-factor.service";
import { sidebar } from "@/lib/rooms/rooms.service";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { Shell } from "./_components/shell";
import { TwoFactorGate } from "./_components/two-factor-gate";

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) return children;
  // The workspace requires two-factor of this account and it has none: only set-up (or sign-out).
  if (user.twoFactorSetupRequired) return <TwoFactorGate status={await twoFactorStatus(user)} />;
  const [rooms, workspace] = await Promise.all([sidebar(user), getWorkspaceSettings()]);
  return (
    <Shell user={user} rooms={rooms} workspace={{ name: workspace.name, logoText: workspace.logoText }}>
      {children}
    </Shell>
  );
}
