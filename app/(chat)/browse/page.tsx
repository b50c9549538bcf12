// /browse: every public room with its member count; join from here.
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listPublicRooms } from "@/lib/rooms/rooms.service";
import { isGuest } from "@/lib/workspace/roles";
import { JoinButton } from "../_components/join-button";
import { PageHeader } from "../_components/page-parts";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("pages");
  return { title: t("browse.title") };
}

export default async function BrowsePage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const user = await requireUser(q ? `/browse?q=${encodeURIComponent(q)}` : "/browse");
  const t = await getTranslations("pages");
  if (isGuest(user.role)) {
    return (
      <div className="flex min-h-0 flex-1 flex-col">
        <PageHeader title={t("browse.title")} />
        <p role="alert" className="p-4 text-sm text-zinc-700 dark:text-zinc-300">
          {t("browse.guests")}
        </p>
      </div>
    );
  }
  let rooms: Awaited<ReturnType<typeof listPublicRooms>> = [];
  let error: string | undefined;
  try {
    rooms = await listPublicRooms(user, q);
  } catch (err) {
    // A bad filter (e.g. a control character) is the user's to fix: say so instead of crashing.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    error = err.message;
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("browse.title")} />
      <div className="flex-1 overflow-y-auto p-4">
        <form className="mb-4 flex max-w-xl gap-2">
          <label htmlFor="room-filter" className="sr-only">
            {t("browse.filterLabel")}
          </label>
          <input
            id="room-filter"
            name="q"
            defaultValue={q}
            placeholder={t("browse.filterPlaceholder")}
            className="input"
            maxLength={64}
          />
          <button type="submit" className="btn-secondary">
            {t("browse.filter")}
          </button>
        </form>
        {error ? (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : rooms.length === 0 ? (
          <p className="text-sm text-zinc-500">{q ? t("browse.noMatch", { q }) : t("browse.empty")}</p>
        ) : (
          <ul className="max-w-3xl divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {rooms.map((r) => (
              <li key={r.id} className="flex items-center gap-3 p-3">
                <div className="min-w-0 flex-1">
                  <Link href={`/rooms/${r.id}`} className="font-medium hover:underline">
                    <bdi># {r.name}</bdi>
                  </Link>
                  <p className="truncate text-sm text-zinc-500">
                    {t("browse.members", { count: r.memberCount })}
                    {r.topic ? ` · ${r.topic}` : ""}
                  </p>
                </div>
                {r.isMember ? (
                  <span className="text-sm text-zinc-500">{t("browse.joined")}</span>
                ) : (
                  <JoinButton roomId={r.id} roomName={r.name} />
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
