"use client";
// The users table: role select (only allowed roles enabled, with the reason for the others),
// Deactivate / Reactivate behind a confirm dialog, and a one-time reset link shown once.
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { type ReactNode, useRef, useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import { BotBadge } from "@/app/(chat)/_components/bot-badge";
import type { AdminUser } from "@/lib/admin/admin.schema";
import { deactivationRefusal, resetRefusal, roleOptions } from "@/lib/admin/rules";
import type { Role } from "@/lib/workspace/roles";
import { REFUSAL_KEYS } from "./refusals";

type Row = AdminUser & { connected: number | null };

/** An @handle inside a sentence, kept left-to-right in a right-to-left one. */
const handle = (chunks: ReactNode) => <bdi>{chunks}</bdi>;

export function UsersTable({ users, me }: { users: Row[]; me: { id: string; role: Role } }) {
  const t = useTranslations("admin.users");
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full min-w-[52rem] text-start text-sm">
        <caption className="sr-only">{t("table.caption")}</caption>
        <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t("table.name")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.role")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.status")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.created")}
            </th>
            <th scope="col" className="px-3 py-2" title={t("table.connectedTitle")}>
              {t("table.connected")}
              <span className="block font-normal normal-case">{t("table.connectedHint")}</span>
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.actions")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {users.map((u) => (
            <UserRow key={u.id} user={u} me={me} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserRow({ user, me }: { user: Row; me: { id: string; role: Role } }) {
  const router = useRouter();
  const t = useTranslations("admin");
  const format = useFormatter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<{ url: string; expiresAt: string }>();
  const [copied, setCopied] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  /** A rule's reason (the API's English) in the reader's language. */
  const reason = (why: string | null): string | null => {
    const key = why === null ? undefined : REFUSAL_KEYS[why];
    return key ? t(`users.refusals.${key}`) : why;
  };
  const options = roleOptions(me, user);
  const refused = [...new Set(options.map((o) => reason(o.refusal)).filter((r): r is string => r !== null))];
  const allRefused = options.every((o) => o.role === user.role || o.refusal !== null);
  const activeRefusal = reason(deactivationRefusal(me, user));
  const resetRefused = user.isBot ? t("users.row.botNoPassword") : reason(resetRefusal(me, user));
  const label = `@${user.username}`;

  async function patch(body: unknown) {
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<{ user: AdminUser }>(`/api/admin/users/${user.id}`, { method: "PATCH", body });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    router.refresh();
  }

  async function makeLink() {
    setBusy(true);
    setError(undefined);
    setCopied(false);
    const res = await apiFetch<{ url: string; expiresAt: string }>(`/api/admin/users/${user.id}/reset-link`, {
      method: "POST",
    });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    setLink(res.data);
  }

  return (
    <tr className={user.deactivated ? "bg-zinc-50/60 dark:bg-zinc-900/40" : undefined}>
      <td className="px-3 py-2 align-top">
        <span className="block font-medium">
          {user.displayName} <BotBadge show={user.isBot === true} />
        </span>
        <bdi className="text-xs text-zinc-500 dark:text-zinc-400">{label}</bdi>
      </td>
      <td className="px-3 py-2 align-top">
        <label htmlFor={`role-${user.id}`} className="sr-only">
          {t("users.row.roleOf", { user: label })}
        </label>
        <select
          id={`role-${user.id}`}
          className="input w-36 py-1"
          value={user.role}
          disabled={busy || allRefused}
          aria-describedby={refused.length > 0 ? `role-why-${user.id}` : undefined}
          onChange={(e) => void patch({ role: e.target.value })}
        >
          {options.map((o) => (
            <option key={o.role} value={o.role} disabled={o.refusal !== null}>
              {t(`roles.${o.role}`)}
            </option>
          ))}
        </select>
        {refused.length > 0 && (
          <p id={`role-why-${user.id}`} className="mt-1 max-w-56 text-xs text-zinc-500 dark:text-zinc-400">
            {refused.map((r) => t("users.row.sentence", { text: r })).join(" ")}
          </p>
        )}
      </td>
      <td className="px-3 py-2 align-top">
        {user.deactivated ? (
          <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs text-red-800 dark:bg-red-950 dark:text-red-300">
            {t("users.row.deactivated")}
          </span>
        ) : (
          <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
            {t("users.row.active")}
          </span>
        )}
      </td>
      <td className="px-3 py-2 align-top whitespace-nowrap">
        <time dateTime={user.createdAt}>
          {format.dateTime(new Date(user.createdAt), { dateStyle: "medium" })}
        </time>
      </td>
      <td className="px-3 py-2 align-top" data-testid="connected">
        {user.connected === null ? "—" : format.number(user.connected)}
      </td>
      <td className="px-3 py-2 align-top">
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            className="btn-secondary py-1 text-xs"
            disabled={busy || activeRefusal !== null}
            title={activeRefusal ?? undefined}
            aria-label={t(user.deactivated ? "users.row.reactivateUser" : "users.row.deactivateUser", {
              user: label,
            })}
            onClick={() => dialog.current?.showModal()}
          >
            {t(user.deactivated ? "users.row.reactivate" : "users.row.deactivate")}
          </button>
          <button
            type="button"
            className="btn-secondary py-1 text-xs"
            disabled={busy || resetRefused !== null}
            title={resetRefused ?? undefined}
            aria-label={t("users.row.resetLinkFor", { user: label })}
            onClick={() => void makeLink()}
          >
            {t("users.row.resetLink")}
          </button>
        </div>
        {activeRefusal && user.id !== me.id && (
          <p className="mt-1 max-w-56 text-xs text-zinc-500 dark:text-zinc-400">
            {t("users.row.sentence", { text: activeRefusal })}
          </p>
        )}
        {link && (
          <div className="mt-2 max-w-sm rounded-md border border-indigo-200 bg-indigo-50 p-2 text-xs dark:border-indigo-900 dark:bg-indigo-950/50">
            <p className="mb-1">
              {t.rich("users.row.oneTimeLink", { user: label, handle, strong: (c) => <strong>{c}</strong> })}
            </p>
            <div className="flex gap-1">
              <label htmlFor={`link-${user.id}`} className="sr-only">
                {t("users.row.resetLinkLabel", { user: label })}
              </label>
              <input
                id={`link-${user.id}`}
                readOnly
                value={link.url}
                className="input py-1 font-mono text-xs"
                onFocus={(e) => e.currentTarget.select()}
              />
              <button
                type="button"
                className="btn-primary py-1 text-xs"
                onClick={async () => {
                  try {
                    await navigator.clipboard.writeText(link.url);
                    setCopied(true);
                  } catch {
                    setError(t("users.row.copyFailed"));
                  }
                }}
              >
                {t(copied ? "users.row.copied" : "users.row.copy")}
              </button>
            </div>
          </div>
        )}
        {error && (
          <p role="alert" className="mt-1 max-w-56 text-xs text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <dialog
          ref={dialog}
          aria-labelledby={`confirm-${user.id}`}
          className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <h3 id={`confirm-${user.id}`} className="text-base font-semibold">
            {t.rich(user.deactivated ? "users.row.confirmReactivate" : "users.row.confirmDeactivate", {
              user: label,
              handle,
            })}
          </h3>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            {t(user.deactivated ? "users.row.reactivateBody" : "users.row.deactivateBody")}
          </p>
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
              {t("users.row.cancel")}
            </button>
            <button
              type="button"
              className={user.deactivated ? "btn-primary" : "btn bg-red-600 text-white hover:bg-red-500"}
              onClick={() => {
                dialog.current?.close();
                void patch({ deactivated: !user.deactivated });
              }}
            >
              {t(user.deactivated ? "users.row.reactivate" : "users.row.deactivate")}
            </button>
          </div>
        </dialog>
      </td>
    </tr>
  );
}
