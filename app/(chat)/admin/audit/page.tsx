// /admin/audit: every admin and moderator action, newest first, 50 a page ("Older" goes on by id).
// Read-only: nothing here (or anywhere) can change it.
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { listAudit } from "@/lib/admin/admin.service";
import { AppError } from "@/lib/errors";
import { requireAdminPage } from "../_components/require-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.audit") };
}

/** The actor's name the log stores for the operator at the command line (lib/audit/audit.service.ts). */
const COMMAND_LINE = "command line"; // i18n-exempt: a stored value, shown as admin.audit.commandLine

/** "user.password_reset" → "user.passwordReset": a stored action's key under admin.audit.actions. */
const actionKey = (action: string) => action.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const before = typeof sp.before === "string" ? sp.before : undefined;
  const action = typeof sp.action === "string" ? sp.action.trim() : "";
  const { admin } = await requireAdminPage("/admin/audit");
  const [t, format] = await Promise.all([getTranslations("admin"), getFormatter()]);
  let error: string | undefined;
  let page: Awaited<ReturnType<typeof listAudit>> = { entries: [], before: null };
  try {
    page = await listAudit(admin, { ...(before ? { before } : {}), ...(action ? { action } : {}) });
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    error = err.message;
  }
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title" className="sr-only">
        {t("audit.title")}
      </h2>
      <form className="mb-4 flex max-w-xl gap-2">
        <label htmlFor="audit-action" className="sr-only">
          {t("audit.filterLabel")}
        </label>
        <input
          id="audit-action"
          name="action"
          defaultValue={action}
          placeholder={t("audit.filterPlaceholder")}
          className="input"
          maxLength={64}
        />
        <button type="submit" className="btn-secondary">
          {t("audit.filter")}
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : page.entries.length === 0 ? (
        <p className="text-sm text-zinc-500">{t(before ? "audit.noOlder" : "audit.empty")}</p>
      ) : (
        // A table wider than a phone scrolls sideways: focusable, so the keyboard can scroll it too.
        <section
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          aria-label={t("audit.entries")}
          className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        >
          <table className="w-full min-w-[44rem] text-start text-sm">
            <caption className="sr-only">{t("audit.caption")}</caption>
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("audit.when")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("audit.who")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("audit.action")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("audit.target")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("audit.detail")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {page.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={e.createdAt}>
                      {format.dateTime(new Date(e.createdAt), {
                        dateStyle: "medium",
                        timeStyle: "medium",
                        timeZone: "UTC",
                      })}
                    </time>
                  </td>
                  <td className="px-3 py-2">
                    {e.actorName === COMMAND_LINE ? t("audit.commandLine") : <bdi>{e.actorName}</bdi>}
                  </td>
                  <td className="px-3 py-2">
                    {/* The label in the reader's language; the stored action is what the filter takes. */}
                    {t.has(`audit.actions.${actionKey(e.action)}`) && (
                      <span className="block">{t(`audit.actions.${actionKey(e.action)}`)}</span>
                    )}
                    <code dir="ltr" className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
                      {e.action}
                    </code>
                  </td>
                  <td className="px-3 py-2">
                    <span className="text-zinc-500">
                      {t.has(`audit.targets.${e.targetType}`)
                        ? t(`audit.targets.${e.targetType}`)
                        : e.targetType}
                    </span>{" "}
                    <bdi>{e.targetLabel}</bdi>
                  </td>
                  <td className="max-w-72 break-words px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">
                    <bdi>{detailText(e.detail)}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {page.before && (
        <p className="mt-3">
          <Link
            className="btn-secondary"
            href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: page.before })}`}
          >
            {t("audit.older")}
          </Link>
        </p>
      )}
    </section>
  );
}
