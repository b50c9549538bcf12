// /settings: change password (which signs out every other session).
import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <header className="flex h-12 shrink-0 items-center border-b border-zinc-200 px-4 pl-14 dark:border-zinc-800 md:pl-4">
        <h1 className="font-semibold">Settings</h1>
      </header>
      <div className="max-w-md flex-1 overflow-y-auto p-4">
        <PasswordForm username={user.username} />
      </div>
    </div>
  );
}
