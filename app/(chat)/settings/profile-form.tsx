"use client";
// Settings → Profile: display name, username (the old one keeps working in mentions), time zone
// (defaults to this browser's) and a status with an emoji, shown on hover cards.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useMemo, useState } from "react";
import { type Profile, STATUS_TEXT_MAX, updateProfileSchema } from "@/lib/users/profile.schema";
import { apiFetch } from "../_components/api";

const EMOJI = ["", "💬", "🏠", "🚗", "🌴", "🤒", "📅", "🎧", "☕", "🔕", "🚀", "✅"];

export function ProfileForm({ profile }: { profile: Profile }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf("timeZone");
    } catch {
      return [];
    }
  }, []);
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const initialZone = profile.timeZone || browserZone || "";
  const [emoji, setEmoji] = useState(profile.statusEmoji);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const input = {
      displayName: String(fd.get("displayName") ?? ""),
      username: String(fd.get("username") ?? ""),
      timeZone: String(fd.get("timeZone") ?? ""),
      statusText: String(fd.get("statusText") ?? ""),
      statusEmoji: emoji,
    };
    const parsed = updateProfileSchema.safeParse(input);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const i of parsed.error.issues) next[String(i.path[0] ?? "")] ??= i.message;
      return setErrors(next);
    }
    setBusy(true);
    setSaved(false);
    const res = await apiFetch("/api/account/profile", { method: "PATCH", body: input });
    setBusy(false);
    if (!res.ok) return setErrors(res.fields ?? { "": res.message });
    setErrors({});
    setSaved(true);
    router.refresh();
  }

  const field = (name: keyof Profile, label: string, props: Record<string, unknown> = {}) => (
    <div>
      <label htmlFor={`profile-${name}`} className="label">
        {label}
      </label>
      <input
        id={`profile-${name}`}
        name={name}
        defaultValue={profile[name]}
        className="input"
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `profile-${name}-error` : undefined}
        {...props}
      />
      {errors[name] && (
        <p id={`profile-${name}-error`} className="field-error">
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <form onSubmit={onSubmit} aria-labelledby="profile-heading" className="space-y-4" noValidate>
      <h2 id="profile-heading" className="text-base font-semibold">
        {t("profile.heading")}
      </h2>
      {field("displayName", t("profile.displayName"), { autoComplete: "name", maxLength: 64 })}
      {field("username", t("profile.username"), { autoComplete: "username", maxLength: 32 })}
      <p className="-mt-2 text-xs text-zinc-500">{t("profile.usernameHelp")}</p>
      <div>
        <label htmlFor="profile-timeZone" className="label">
          {t("profile.timeZone")}
        </label>
        <select id="profile-timeZone" name="timeZone" defaultValue={initialZone} className="input">
          <option value="">{t("profile.timeZoneNotSet")}</option>
          {(zones.includes(initialZone) || !initialZone ? zones : [initialZone, ...zones]).map((z) => (
            <option key={z} value={z}>
              {z.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        {errors.timeZone && <p className="field-error">{errors.timeZone}</p>}
      </div>
      <fieldset>
        <legend className="label">{t("profile.status")}</legend>
        <div className="flex gap-2">
          <select
            aria-label={t("profile.statusEmoji")}
            value={emoji}
            onChange={(e) => setEmoji(e.target.value)}
            className="input w-auto min-w-20 shrink-0"
          >
            {EMOJI.map((x) => (
              <option key={x} value={x}>
                {x || t("profile.noEmoji")}
              </option>
            ))}
            {!EMOJI.includes(emoji) && <option value={emoji}>{emoji}</option>}
          </select>
          <input
            aria-label={t("profile.statusText")}
            name="statusText"
            defaultValue={profile.statusText}
            maxLength={STATUS_TEXT_MAX}
            placeholder={t("profile.statusPlaceholder")}
            className="input"
            aria-invalid={errors.statusText ? true : undefined}
          />
        </div>
        {(errors.statusText || errors.statusEmoji) && (
          <p className="field-error">{errors.statusText ?? errors.statusEmoji}</p>
        )}
      </fieldset>
      {errors[""] && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errors[""]}
        </p>
      )}
      {Object.keys(errors).some((k) => k !== "") && (
        <p role="alert" className="sr-only">
          {t("profile.checkFields")}
        </p>
      )}
      {saved && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {t("profile.saved")}
        </p>
      )}
      <button type="submit" className="btn-primary" disabled={busy}>
        {busy ? t("profile.saving") : t("profile.save")}
      </button>
    </form>
  );
}
