"use client";
// Change password, then sign this tab in again with the new one (every other session has ended).
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { whileSigningInAgain } from "@/lib/realtime/client/socket";
import { changePasswordSchema } from "@/lib/users/users.schema";
import { apiFetch } from "../_components/api";

export function PasswordForm({ username }: { username: string }) {
  const t = useTranslations("settings");
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** "signed-in": this tab signed in again with the new password; "signed-out": it could not. */
  const [done, setDone] = useState<"signed-in" | "signed-out">();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fd = new FormData(form);
    const input = {
      currentPassword: String(fd.get("currentPassword") ?? ""),
      newPassword: String(fd.get("newPassword") ?? ""),
    };
    const parsed = changePasswordSchema.safeParse(input);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const i of parsed.error.issues) next[String(i.path[0] ?? "")] ??= i.message;
      return setErrors(next);
    }
    setBusy(true);
    setDone(undefined);
    // The change ends this tab's session too (its socket is closed and refused until the new cookie
    // lands): the socket waits for the sign-in below instead of sending the tab to sign-in.
    const outcome = await whileSigningInAgain(
      (async () => {
        const res = await apiFetch("/api/account/password", { method: "POST", body: input });
        if (!res.ok) return { res };
        // Signing in again can fail (offline, the server restarting): then say so, rather than
        // report success on a tab that is signed out.
        const again = await signIn("credentials", {
          username,
          password: input.newPassword,
          redirect: false,
        }).catch(() => undefined);
        return { res, again };
      })(),
    );
    const { res, again } = outcome;
    if (!res.ok) {
      setBusy(false);
      return setErrors(res.fields ?? { "": res.message });
    }
    setBusy(false);
    setErrors({});
    setDone(again?.ok && !again.error ? "signed-in" : "signed-out");
    form.reset();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h2 className="text-base font-semibold">{t("password.heading")}</h2>
      {(["currentPassword", "newPassword"] as const).map((name) => (
        <div key={name}>
          <label htmlFor={name} className="label">
            {name === "currentPassword" ? t("password.current") : t("password.new")}
          </label>
          <input
            id={name}
            name={name}
            type="password"
            autoComplete={name === "currentPassword" ? "current-password" : "new-password"}
            className="input"
            aria-invalid={errors[name] ? true : undefined}
          />
          {errors[name] && <p className="field-error">{errors[name]}</p>}
        </div>
      ))}
      {errors[""] && (
        <p role="alert" className="text-sm text-red-600">
          {errors[""]}
        </p>
      )}
      {done === "signed-in" && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {t("password.changedSignedIn")}
        </p>
      )}
      {done === "signed-out" && (
        <p role="alert" className="text-sm text-amber-700 dark:text-amber-400">
          {t("password.changedSignedOut")}{" "}
          {t.rich("password.signInAgain", {
            link: (chunks) => (
              <a href="/signin?callbackUrl=%2Fsettings" className="underline">
                {chunks}
              </a>
            ),
          })}
        </p>
      )}
      <button type="submit" className="btn-primary" disabled={busy}>
        {busy ? t("password.changing") : t("password.submit")}
      </button>
    </form>
  );
}
