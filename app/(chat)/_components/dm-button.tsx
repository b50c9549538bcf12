"use client";
// A person's name that opens (or creates) the direct conversation with them.
import { useRouter } from "next/navigation";
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
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      title={`Message ${displayName}`}
      aria-label={`Message ${displayName}`}
      disabled={busy}
      className={className ?? "hover:underline"}
      onClick={async () => {
        setBusy(true);
        const res = await apiFetch<{ room: { id: string } }>("/api/dms", {
          method: "POST",
          body: { usernames: [username] },
        });
        setBusy(false);
        if (res.ok) {
          router.push(`/rooms/${res.data.room.id}`);
          router.refresh();
        }
      }}
    >
      {displayName}
    </button>
  );
}
