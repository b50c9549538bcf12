"use client";
// The workspace settings form: one save for everything; field errors from the server's schema.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import { REGISTRATION_POLICIES, type WorkspaceSettings } from "@/lib/workspace/workspace.schema";

/** "" → null (the default); anything else is sent as typed and the server's schema judges it. */
function megabytes(v: FormDataEntryValue | null): number | null {
  const s = String(v ?? "").trim();
  return s === "" ? null : Number(s);
}

export function SettingsForm({
  initial,
  rooms,
  uploadCeilingMb,
}: {
  initial: WorkspaceSettings;
  rooms: { id: string; name: string }[];
  /** MAX_UPLOAD_MB: the per-file limit can be lowered here, never raised past it. */
  uploadCeilingMb: number;
}) {
  const router = useRouter();
  const t = useTranslations("admin.settings");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = {
      name: String(form.get("name") ?? ""),
      logoText: String(form.get("logoText") ?? ""),
      registration: String(form.get("registration") ?? ""),
      defaultRoomIds: form.getAll("defaultRoomIds").map(String),
      maxUploadMb: megabytes(form.get("maxUploadMb")),
      userQuotaMb: megabytes(form.get("userQuotaMb")),
      membersCreateBots: form.get("membersCreateBots") === "on",
    };
    setBusy(true);
    setError(undefined);
    setFields({});
    setSaved(false);
    const res = await apiFetch<{ settings: WorkspaceSettings }>("/api/admin/settings", {
      method: "PATCH",
      body,
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setFields(res.fields ?? {});
      return;
    }
    setSaved(true);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="max-w-xl space-y-6" noValidate>
      <div className="space-y-4">
        <div>
          <label htmlFor="ws-name" className="label">
            {t("name")}
          </label>
          <input
            id="ws-name"
            name="name"
            defaultValue={initial.name}
            maxLength={64}
            className="input"
            aria-invalid={fields.name ? true : undefined}
            aria-describedby="ws-name-help"
          />
          <p id="ws-name-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {t("nameHelp")}
          </p>
          {fields.name && <p className="field-error">{fields.name}</p>}
        </div>
        <div>
          <label htmlFor="ws-logo" className="label">
            {t("logo")}
          </label>
          <input
            id="ws-logo"
            name="logoText"
            defaultValue={initial.logoText}
            maxLength={4}
            className="input w-24"
            aria-invalid={fields.logoText ? true : undefined}
            aria-describedby="ws-logo-help"
          />
          <p id="ws-logo-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {t("logoHelp")}
          </p>
          {fields.logoText && <p className="field-error">{fields.logoText}</p>}
        </div>
      </div>
      <fieldset>
        <legend className="label">{t("registration")}</legend>
        <div className="space-y-2">
          {REGISTRATION_POLICIES.map((p) => (
            <label key={p} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="registration"
                value={p}
                defaultChecked={initial.registration === p}
                className="mt-0.5"
              />
              <span>{t(`registrationPolicies.${p}`)}</span>
            </label>
          ))}
        </div>
        {fields.registration && <p className="field-error">{fields.registration}</p>}
      </fieldset>
      <fieldset>
        <legend className="label">{t("defaultRooms")}</legend>
        <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">{t("defaultRoomsHelp")}</p>
        {rooms.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("noPublicRooms")}</p>
        ) : (
          <div className="max-h-64 space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
            {rooms.map((r) => (
              <label key={r.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="defaultRoomIds"
                  value={r.id}
                  defaultChecked={initial.defaultRoomIds.includes(r.id)}
                />
                <bdi>#{r.name}</bdi>
              </label>
            ))}
          </div>
        )}
        {fields.defaultRoomIds && <p className="field-error">{fields.defaultRoomIds}</p>}
      </fieldset>
      <fieldset className="space-y-4">
        <legend className="label">{t("files")}</legend>
        <div>
          <label htmlFor="ws-max-upload" className="label">
            {t("maxUpload")}
          </label>
          <input
            id="ws-max-upload"
            name="maxUploadMb"
            type="number"
            min={1}
            max={uploadCeilingMb}
            step={1}
            inputMode="numeric"
            defaultValue={initial.maxUploadMb ?? ""}
            placeholder={String(uploadCeilingMb)}
            className="input w-32"
            aria-invalid={fields.maxUploadMb ? true : undefined}
            aria-describedby="ws-max-upload-help"
          />
          <p id="ws-max-upload-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {t("maxUploadHelp", { mb: uploadCeilingMb })}
          </p>
          {fields.maxUploadMb && <p className="field-error">{fields.maxUploadMb}</p>}
        </div>
        <div>
          <label htmlFor="ws-quota" className="label">
            {t("quota")}
          </label>
          <input
            id="ws-quota"
            name="userQuotaMb"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            defaultValue={initial.userQuotaMb ?? ""}
            placeholder={t("unlimited")}
            className="input w-32"
            aria-invalid={fields.userQuotaMb ? true : undefined}
            aria-describedby="ws-quota-help"
          />
          <p id="ws-quota-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {t("quotaHelp")}
          </p>
          {fields.userQuotaMb && <p className="field-error">{fields.userQuotaMb}</p>}
        </div>
      </fieldset>
      <fieldset>
        <legend className="label">{t("bots")}</legend>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="membersCreateBots"
            defaultChecked={initial.membersCreateBots}
            className="mt-0.5"
            aria-describedby="ws-bots-help"
          />
          <span>{t("membersCreateBots")}</span>
        </label>
        <p id="ws-bots-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {t("botsHelp")}
        </p>
        {fields.membersCreateBots && <p className="field-error">{fields.membersCreateBots}</p>}
      </fieldset>
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {error}
        </p>
      )}
      {saved && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {t("saved")}
        </p>
      )}
      <button type="submit" className="btn-primary" disabled={busy}>
        {t(busy ? "saving" : "save")}
      </button>
    </form>
  );
}
