// /admin/rooms: every channel, public and private, by name and member count. Never their messages:
// a public room can be opened like anyone would; a private room is listed by name only.
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { listRooms } from "@/lib/admin/admin.service";
import { AppError } from "@/lib/errors";
import { requireAdminPage } from "../_components/require-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.rooms") };
}
const PAGE = 50;

export default async function AdminRoomsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const offset = typeof sp.offset === "string" ? sp.offset : "0";
  const { admin } = await requireAdminPage("/admin/rooms");
  const [t, format] = await Promise.all([getTranslations("admin"), getFormatter()]);
  let error: string | undefined;
  let page: Awaited<ReturnType<typeof listRooms>> = { rooms: [], total: 0, offset: 0, limit: PAGE };
  try {
    page = await listRooms(admin, { ...(q ? { q } : {}), offset, limit: PAGE });
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    error = err.message;
  }
  const link = (o: number) =>
    `/admin/rooms?${new URLSearchParams({ ...(q ? { q } : {}), offset: String(o) })}`;
  return (
    <section aria-labelledby="rooms-title">
      <h2 id="rooms-title" className="sr-only">
        {t("rooms.title")}
      </h2>
      <form className="mb-4 flex max-w-xl gap-2">
        <label htmlFor="room-filter" className="sr-only">
          {t("rooms.searchLabel")}
        </label>
        <input
          id="room-filter"
          name="q"
          defaultValue={q}
          placeholder={t("rooms.searchLabel")}
          className="input"
          maxLength={64}
        />
        <button type="submit" className="btn-secondary">
          {t("rooms.search")}
        </button>
      </form>
      <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">{t("rooms.note")}</p>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : page.rooms.length === 0 ? (
        <p className="text-sm text-zinc-500">{q ? t("rooms.noMatch", { q }) : t("rooms.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full min-w-[36rem] text-start text-sm">
            <caption className="sr-only">{t("rooms.caption")}</caption>
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("rooms.name")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("rooms.kind")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("rooms.members")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("rooms.created")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("rooms.archived")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {page.rooms.map((r) => (
                <tr key={r.id}>
                  <td className="px-3 py-2 font-medium">
                    {r.isPrivate ? (
                      <bdi>{r.name}</bdi>
                    ) : (
                      <Link
                        href={`/rooms/${r.id}`}
                        className="text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        <bdi>#{r.name}</bdi>
                      </Link>
                    )}
                  </td>
                  <td className="px-3 py-2">{t(r.isPrivate ? "rooms.private" : "rooms.public")}</td>
                  <td className="px-3 py-2">{format.number(r.members)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={r.createdAt}>
                      {format.dateTime(new Date(r.createdAt), { dateStyle: "medium" })}
                    </time>
                  </td>
                  <td className="px-3 py-2">{r.archived ? t("rooms.archivedYes") : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("rooms.pages")} className="mt-3 flex items-center gap-2 text-sm">
        {page.offset > 0 && (
          <Link className="btn-secondary" href={link(Math.max(0, page.offset - PAGE))}>
            {t("rooms.previous")}
          </Link>
        )}
        <span className="text-zinc-500">
          {page.total === 0
            ? ""
            : t("rooms.range", {
                from: page.offset + 1,
                to: page.offset + page.rooms.length,
                total: page.total,
              })}
        </span>
        {page.offset + page.rooms.length < page.total && (
          <Link className="btn-secondary" href={link(page.offset + PAGE)}>
            {t("rooms.next")}
          </Link>
        )}
      </nav>
    </section>
  );
}
