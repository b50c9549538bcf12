"use client";
// Shown instead of the app while the workspace requires two-factor of this account and it has none:
// set it up here (or sign out). Every API route but set-up answers 403 meanwhile, and sockets are refused.
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { TwoFactorStatus } from "@/lib/auth/two-factor.schema";
import { TwoFactorSettings } from "../settings/two-factor-settings";
import { signOutHere } from "./sign-out";

export function TwoFactorGate({ status }: { status: TwoFactorStatus }) {
  const t = useTranslations("chat.twoFactorGate");
  const tc = useTranslations("common");
  const [error, setError] = useState<string>();
  return (
    <main className="mx-auto w-full max-w-md space-y-6 overflow-y-auto p-6">
      <div>
        <h1 className="text-lg font-semibold">{t("title")}</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{t("body")}</p>
      </div>
      <TwoFactorSettings status={status} onEnabled={() => window.location.assign("/")} />
      <div className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <button type="button" className="btn-ghost" onClick={async () => setError(await signOutHere())}>
          {tc("signOut")}
        </button>
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}
