"use client";
// "Join room": joins a public room, then opens it.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch } from "./api";

export function JoinButton({
  roomId,
  roomName,
  stay = false,
}: {
  roomId: string;
  roomName: string;
  stay?: boolean;
}) {
  const t = useTranslations("chat.join");
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <span className="inline-flex flex-col items-end">
      <button
        type="button"
        className="btn-primary"
        aria-label={t("label")}
        title={t("title", { room: roomName })}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          const res = await apiFetch(`/api/rooms/${roomId}/join`, { method: "POST" });
          setBusy(false);
          if (!res.ok) return setError(res.message);
          if (!stay) router.push(`/rooms/${roomId}`);
          router.refresh();
        }}
      >
        {busy ? t("joining") : t("label")}
      </button>
      {error && (
        <span role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </span>
      )}
    </span>
  );
}
