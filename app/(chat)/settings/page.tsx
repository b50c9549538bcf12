// /settings: profile picture; change password (which signs out every other session); sign out everywhere.
import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "../_components/page-parts";
import { AvatarForm } from "./avatar-form";
import { PasswordForm } from "./password-form";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Settings" />
      <div className="max-w-md flex-1 overflow-y-auto p-4">
        <AvatarForm user={user} />
        <PasswordForm username={user.username} />
        <SignOutEverywhere />
      </div>
    </div>
  );
}
