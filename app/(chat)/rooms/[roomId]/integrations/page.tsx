// A room's Integrations page: its incoming and outgoing webhooks, for the room's owner and
// moderators (and admins). Anyone else gets the 404 page (a room they cannot see, or not theirs).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { IntegrationsPanel } from "@/app/(chat)/_components/integrations-panel";
import { PageHeader } from "@/app/(chat)/_components/page-parts";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getRoomForViewer } from "@/lib/rooms/rooms.service";
import { listHooks } from "@/lib/webhooks/webhooks.service";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("room");
  return { title: t("integrations.title") };
}

export default async function RoomIntegrationsPage({ params }: { params: Promise<{ roomId: string }> }) {
  const { roomId } = await params;
  const user = await requireUser(`/rooms/${roomId}/integrations`);
  const t = await getTranslations("room");
  try {
    const room = await getRoomForViewer(user, roomId);
    const lists = await listHooks(user, { roomId: room.id });
    return (
      <div className="flex min-h-0 flex-1 flex-col">
        <PageHeader title={t("integrations.heading", { name: room.name })} />
        <div className="flex-1 overflow-y-auto p-4">
          <p className="mb-4 text-sm">
            <Link href={`/rooms/${room.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {t("integrations.back", { name: room.name })}
            </Link>
          </p>
          <IntegrationsPanel initial={lists} rooms={[{ id: room.id, name: room.name }]} roomId={room.id} />
        </div>
      </div>
    );
  } catch (err) {
    if (err instanceof AppError && (err.code === "not_found" || err.code === "forbidden")) notFound();
    throw err;
  }
}
