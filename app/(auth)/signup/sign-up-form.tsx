"use client";
// The sign-up form: validated with the same zod schema as the server, then signs straight in.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useApiText } from "@/lib/i18n/api-text";
import { signUpSchema } from "@/lib/users/users.schema";

type Fields = Partial<Record<"username" | "displayName" | "password" | "", string>>;

/**
 * With `invite`, the account is made through that invite link (its role and rooms) and the new
 * member lands in the link's first room (and the heading says "…to join").
 */
export function SignUpForm({ callbackUrl, invite }: { callbackUrl: string; invite?: string }) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const apiText = useApiText();
  const router = useRouter();
  const [errors, setErrors] = useState<Fields>({});
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      username: String(form.get("username") ?? ""),
      displayName: String(form.get("displayName") ?? ""),
      password: String(form.get("password") ?? ""),
      ...(invite ? { invite } : {}),
    };
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) {
      const next: Fields = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "") as keyof Fields;
        next[key] ??= apiText(issue.message);
      }
      setErrors(next);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const res = await fetch("/api/users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as {
          error?: { message?: string; fields?: Record<string, string[]> };
        } | null;
        const fields = body?.error?.fields ?? {};
        const next: Fields = {};
        for (const [k, v] of Object.entries(fields)) next[(k || "") as keyof Fields] = v[0] && apiText(v[0]);
        if (Object.keys(next).length === 0)
          next[""] = body?.error?.message ? apiText(body.error.message) : t("signUp.failed");
        setErrors(next);
        return;
      }
      const created = (await res.json().catch(() => null)) as { roomIds?: string[] } | null;
      const firstRoom = created?.roomIds?.[0];
      const signed = await signIn("credentials", {
        username: parsed.data.username,
        password: input.password,
        redirect: false,
      });
      if (!signed || signed.error) {
        setErrors({ "": t("signUp.signInFailed") });
        return;
      }
      router.replace(invite && firstRoom ? `/rooms/${firstRoom}` : callbackUrl);
      router.refresh();
    } catch {
      setErrors({ "": te("unreachable") });
    } finally {
      setBusy(false);
    }
  }

  const field = (
    name: keyof Fields & string,
    label: string,
    props: Record<string, unknown>,
    hint?: string,
  ) => (
    <div>
      <label htmlFor={name} className="label">
        {label}
      </label>
      <input
        id={name}
        name={name}
        className="input"
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${name}-error` : hint ? `${name}-hint` : undefined}
        {...props}
      />
      {errors[name] ? (
        <p id={`${name}-error`} className="field-error">
          {errors[name]}
        </p>
      ) : hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );

  return (
    <div>
      <h1 className="mb-4 text-lg font-semibold">
        {invite ? t("signUp.headingInvite") : t("signUp.heading")}
      </h1>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {field(
          "username",
          t("signUp.username"),
          { autoComplete: "username", autoFocus: true, maxLength: 32 },
          t("signUp.usernameHint"),
        )}
        {field("displayName", t("signUp.displayName"), { autoComplete: "name", maxLength: 64 })}
        {field(
          "password",
          t("signUp.password"),
          { type: "password", autoComplete: "new-password" },
          t("signUp.passwordHint"),
        )}
        {errors[""] && (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
          >
            {errors[""]}
          </p>
        )}
        <button type="submit" className="btn-primary w-full py-2" disabled={busy}>
          {busy ? t("signUp.submitting") : t("signUp.submit")}
        </button>
      </form>
      <p className="mt-5 text-center text-sm text-zinc-600 dark:text-zinc-400">
        {t.rich("signUp.haveAccount", {
          link: (chunks) => (
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              {chunks}
            </Link>
          ),
        })}
      </p>
    </div>
  );
}
