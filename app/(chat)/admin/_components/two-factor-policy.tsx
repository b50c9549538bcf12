"use client";
// Admin console → Settings: "Require two-factor: off / for admins / for everyone" (issue 17).
// A password account the policy covers and that has no two-factor yet is sent to set it up on its
// next page load, and can do nothing else until then (lib/auth/session.ts).
import { useTranslations } from "next-intl";
import { useState } from "react";
import { TWO_FACTOR_POLICIES, type TwoFactorPolicy } from "@/lib/auth/two-factor.schema";
import { apiFetch } from "../../_components/api";

export function TwoFactorPolicySetting({ initial }: { initial: TwoFactorPolicy }) {
  const t = useTranslations("admin.twoFactor");
  const [policy, setPolicy] = useState(initial);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function save(next: TwoFactorPolicy) {
    const before = policy;
    setPolicy(next);
    setBusy(true);
    setSaved(false);
    setError(undefined);
    const res = await apiFetch<{ policy: TwoFactorPolicy }>("/api/admin/two-factor-policy", {
      method: "PUT",
      body: { policy: next },
    });
    setBusy(false);
    if (!res.ok) {
      setPolicy(before);
      return setError(res.message);
    }
    setSaved(true);
  }

  return (
    <fieldset className="space-y-2" disabled={busy}>
      <legend className="text-sm font-semibold">{t("legend")}</legend>
      {TWO_FACTOR_POLICIES.map((p) => (
        <label key={p} className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="twoFactorPolicy"
            value={p}
            checked={policy === p}
            onChange={() => void save(p)}
          />
          {t(`policies.${p}`)}
        </label>
      ))}
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {saved && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {t("saved")}
        </p>
      )}
    </fieldset>
  );
}
