"use client";
// A person's name that opens (or creates) the direct conversation with them.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch } from "./api";

export function DmButton({
  username,
  displayName,
  className,
}: {
  username: string;
  displayName: string;
  className?: string;
}) {
  const t = useTranslations("chat.person");
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <>
      <button
        type="button"
        title={t("message", { name: displayName })}
        aria-label={t("message", { name: displayName })}
        disabled={busy}
        className={className ?? "hover:underline"}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          const res = await apiFetch<{ room: { id: string } }>("/api/dms", {
            method: "POST",
            body: { usernames: [username] },
          });
          setBusy(false);
          // Offline, signed out, or refused: say so next to the name instead of doing nothing.
          if (!res.ok) return setError(res.message);
          router.push(`/rooms/${res.data.room.id}`);
          router.refresh();
        }}
      >
        {displayName}
      </button>
      {error && (
        <span role="alert" className="ms-2 text-xs font-normal text-red-600 dark:text-red-400">
          {error}
        </span>
      )}
    </>
  );
}
