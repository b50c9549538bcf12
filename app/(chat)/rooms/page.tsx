// /rooms: the landing page after sign-in. The owner of a new workspace is told so, with where to
// go next; guests are not pointed at Browse (they cannot browse).
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { listMyRooms } from "@/lib/rooms/rooms.service";
import { isGuest } from "@/lib/workspace/roles";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("room");
  return { title: t("home.title") };
}

export default async function RoomsHome() {
  const user = await requireUser("/rooms");
  const [rooms, t] = await Promise.all([listMyRooms(user), getTranslations("room")]);
  const guest = isGuest(user.role);
  return (
    <div className="flex flex-1 items-center justify-center p-8">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold">{t("home.welcome", { name: user.displayName })}</h1>
        {user.role === "owner" && rooms.length === 0 && (
          <section
            aria-label={t("home.workspaceLabel")}
            className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-start text-sm text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-100"
          >
            <p className="font-semibold">{t("home.ownerTitle")}</p>
            <p className="mt-1">
              {t.rich("home.ownerText", {
                admin: (c) => (
                  <Link href="/admin" className="font-medium underline">
                    {c}
                  </Link>
                ),
                invite: (c) => (
                  <Link href="/admin/invites" className="font-medium underline">
                    {c}
                  </Link>
                ),
              })}
            </p>
          </section>
        )}
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {guest
            ? rooms.length > 0
              ? t("home.guestWithRooms")
              : t("home.guestNoRooms")
            : rooms.length > 0
              ? t("home.withRooms")
              : t("home.noRooms")}
        </p>
        {!guest && (
          <Link href="/browse" className="btn-secondary mt-4">
            {t("home.browse")}
          </Link>
        )}
      </div>
    </div>
  );
}
