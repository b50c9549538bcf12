// /admin/users: search people; change roles, deactivate or reactivate, make a reset link.
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { listUsers } from "@/lib/admin/admin.service";
import { AppError } from "@/lib/errors";
import { connectedSocketCounts } from "@/lib/realtime/server/registry";
import { requireAdminPage } from "../_components/require-admin";
import { UsersTable } from "./users-table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.users") };
}

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const after = typeof sp.after === "string" ? sp.after : undefined;
  const { admin } = await requireAdminPage("/admin/users");
  const t = await getTranslations("admin");
  let error: string | undefined;
  let page: Awaited<ReturnType<typeof listUsers>> = { users: [], next: null };
  try {
    page = await listUsers(admin, { ...(q ? { q } : {}), ...(after ? { after } : {}) });
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    error = err.message;
  }
  const counts = await connectedSocketCounts(page.users.map((u) => u.id));
  const users = page.users.map((u) => ({ ...u, connected: counts?.get(u.id) ?? null }));
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title" className="sr-only">
        {t("users.title")}
      </h2>
      <form className="mb-4 flex max-w-xl gap-2">
        <label htmlFor="user-filter" className="sr-only">
          {t("users.searchLabel")}
        </label>
        <input
          id="user-filter"
          name="q"
          defaultValue={q}
          placeholder={t("users.searchPlaceholder")}
          className="input"
          maxLength={64}
        />
        <button type="submit" className="btn-secondary">
          {t("users.search")}
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : users.length === 0 ? (
        <p className="text-sm text-zinc-500">{q ? t("users.noMatch", { q }) : t("users.empty")}</p>
      ) : (
        <UsersTable users={users} me={{ id: admin.id, role: admin.role }} />
      )}
      {page.next && (
        <p className="mt-3">
          <Link
            className="btn-secondary"
            href={`/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), after: page.next })}`}
          >
            {t("users.nextPage")}
          </Link>
        </p>
      )}
    </section>
  );
}
