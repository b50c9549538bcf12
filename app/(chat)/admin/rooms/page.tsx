// /admin/rooms: every channel, public and private, by name and member count. Never their messages:
// a public room can be opened like anyone would; a private room is listed by name only.
import type { Metadata } from "next";
import Link from "next/link";
import { listRooms } from "@/lib/admin/admin.service";
import { AppError } from "@/lib/errors";
import { requireAdminPage } from "../_components/require-admin";

export const metadata: Metadata = { title: "Rooms · Admin" };

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
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
        Rooms
      </h2>
      <form className="mb-4 flex max-w-xl gap-2">
        <label htmlFor="room-filter" className="sr-only">
          Search rooms by name
        </label>
        <input
          id="room-filter"
          name="q"
          defaultValue={q}
          placeholder="Search rooms by name"
          className="input"
          maxLength={64}
        />
        <button type="submit" className="btn-secondary">
          Search
        </button>
      </form>
      <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">
        All channels, including private ones (by name only; messages are never shown here). Direct
        conversations are not listed.
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : page.rooms.length === 0 ? (
        <p className="text-sm text-zinc-500">{q ? `No rooms match “${q}”.` : "No rooms yet."}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full min-w-[36rem] text-start text-sm">
            <caption className="sr-only">Rooms in this workspace</caption>
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  Kind
                </th>
                <th scope="col" className="px-3 py-2">
                  Members
                </th>
                <th scope="col" className="px-3 py-2">
                  Created
                </th>
                <th scope="col" className="px-3 py-2">
                  Archived
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {page.rooms.map((r) => (
                <tr key={r.id}>
                  <td className="px-3 py-2 font-medium">
                    {r.isPrivate ? (
                      <span>{r.name}</span>
                    ) : (
                      <Link
                        href={`/rooms/${r.id}`}
                        className="text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        #{r.name}
                      </Link>
                    )}
                  </td>
                  <td className="px-3 py-2">{r.isPrivate ? "Private" : "Public"}</td>
                  <td className="px-3 py-2">{r.members}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={r.createdAt}>{when.format(new Date(r.createdAt))}</time>
                  </td>
                  <td className="px-3 py-2">{r.archived ? "Archived" : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Rooms pages" className="mt-3 flex items-center gap-2 text-sm">
        {page.offset > 0 && (
          <Link className="btn-secondary" href={link(Math.max(0, page.offset - PAGE))}>
            Previous
          </Link>
        )}
        <span className="text-zinc-500">
          {page.total === 0 ? "" : `${page.offset + 1}–${page.offset + page.rooms.length} of ${page.total}`}
        </span>
        {page.offset + page.rooms.length < page.total && (
          <Link className="btn-secondary" href={link(page.offset + PAGE)}>
            Next
          </Link>
        )}
      </nav>
    </section>
  );
}
