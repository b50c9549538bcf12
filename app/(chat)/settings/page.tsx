// /settings: change password (which signs out every other session); sign-in methods; sign out everywhere.
import type { Metadata } from "next";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "../_components/page-parts";
import { PasswordForm } from "./password-form";
import { SignInMethodsSection } from "./sign-in-methods-section";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Settings" />
      <div className="max-w-md flex-1 overflow-y-auto p-4">
        {passwordSignInEnabled() && <PasswordForm username={user.username} />}
        <SignInMethodsSection userId={user.id} />
        <SignOutEverywhere />
      </div>
    </div>
  );
}
