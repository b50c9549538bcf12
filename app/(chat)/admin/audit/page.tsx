// /admin/audit: every admin and moderator action, newest first, 50 a page ("Older" goes on by id).
// Read-only: nothing here (or anywhere) can change it.
import type { Metadata } from "next";
import Link from "next/link";
import { listAudit } from "@/lib/admin/admin.service";
import { AppError } from "@/lib/errors";
import { requireAdminPage } from "../_components/require-admin";

export const metadata: Metadata = { title: "Audit log · Admin" };

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

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
        Audit log
      </h2>
      <form className="mb-4 flex max-w-xl gap-2">
        <label htmlFor="audit-action" className="sr-only">
          Filter by action
        </label>
        <input
          id="audit-action"
          name="action"
          defaultValue={action}
          placeholder="Filter by action, e.g. user. or room.ban"
          className="input"
          maxLength={64}
        />
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : page.entries.length === 0 ? (
        <p className="text-sm text-zinc-500">No entries{before ? " older than these" : ""}.</p>
      ) : (
        // A table wider than a phone scrolls sideways: focusable, so the keyboard can scroll it too.
        <section
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          aria-label="Audit log entries"
          className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        >
          <table className="w-full min-w-[44rem] text-start text-sm">
            <caption className="sr-only">Audit log, newest first (times in UTC)</caption>
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">
                  When (UTC)
                </th>
                <th scope="col" className="px-3 py-2">
                  Who
                </th>
                <th scope="col" className="px-3 py-2">
                  Action
                </th>
                <th scope="col" className="px-3 py-2">
                  Target
                </th>
                <th scope="col" className="px-3 py-2">
                  Detail
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {page.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={e.createdAt}>{when.format(new Date(e.createdAt))}</time>
                  </td>
                  <td className="px-3 py-2">{e.actorName}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-3 py-2">
                    <span className="text-zinc-500">{e.targetType}</span> {e.targetLabel}
                  </td>
                  <td className="max-w-72 break-words px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">
                    {detailText(e.detail)}
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
            Older
          </Link>
        </p>
      )}
    </section>
  );
}
