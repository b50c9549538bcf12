"use client";
// "Join" on an invite page for a signed-in user: accept the link, then open its (first) room.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import { useApiText } from "@/lib/i18n/api-text";

export function JoinInvite({ token }: { token: string }) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const apiText = useApiText();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function join() {
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<{ landingRoomId: string | null }>(
      `/api/invites/${encodeURIComponent(token)}/accept`,
      { method: "POST" },
    );
    setBusy(false);
    if (!res.ok) return setError(res.code === "offline" ? te("offline") : apiText(res.message));
    router.push(res.data.landingRoomId ? `/rooms/${res.data.landingRoomId}` : "/rooms");
    router.refresh();
  }

  return (
    <div>
      <button type="button" className="btn-primary w-full py-2" disabled={busy} onClick={() => void join()}>
        {busy ? t("invite.joining") : t("invite.join")}
      </button>
      {error && (
        <p
          role="alert"
          className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {error}
        </p>
      )}
    </div>
  );
}
