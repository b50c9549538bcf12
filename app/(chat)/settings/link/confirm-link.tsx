"use client";
// Confirm (or cancel) linking the identity that waited on the username choice screen.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch } from "../../_components/api";

export function ConfirmLink({
  providerName,
  who,
  username,
}: {
  providerName: string;
  who: string;
  username: string;
}) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function run(method: "POST" | "DELETE") {
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<{ provider?: string }>("/api/account/sign-in-methods/pending", { method });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    router.replace(
      method === "POST" ? `/settings?linked=${encodeURIComponent(res.data.provider ?? "")}` : "/settings",
    );
    router.refresh();
  }

  return (
    <section className="space-y-3">
      <p className="text-sm">
        {t.rich(who ? "link.question" : "link.questionNoWho", {
          provider: providerName,
          who,
          username,
          strong: (chunks) => <strong>{chunks}</strong>,
        })}
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="button" className="btn-primary" disabled={busy} onClick={() => void run("POST")}>
          {t("link.link", { provider: providerName })}
        </button>
        <button type="button" className="btn-secondary" disabled={busy} onClick={() => void run("DELETE")}>
          {t("cancel")}
        </button>
      </div>
    </section>
  );
}
