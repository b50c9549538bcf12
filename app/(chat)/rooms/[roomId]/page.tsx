// A room at its stable URL, server-rendered (no spinner on open) with the latest page, or a window
// around a permalinked message (?m=SEQ), or around my first unread message when it is far back.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser } from "@/lib/auth/session";
import { getDraft } from "@/lib/drafts/drafts.service";
import { AppError } from "@/lib/errors";
import { PAGE_SIZE } from "@/lib/messages/messages.schema";
import { listMessages } from "@/lib/messages/messages.service";
import { getRoomForViewer } from "@/lib/rooms/rooms.service";
import { formerUsernames } from "@/lib/users/profile.service";
import { RoomView } from "./room-view";

type Props = { params: Promise<{ roomId: string }>; searchParams: Promise<{ m?: string | string[] }> };

// cache(): metadata and page share one lookup per request.
const load = cache(async (roomId: string, m: string | undefined) => {
  const user = await requireUser(`/rooms/${roomId}${m ? `?m=${encodeURIComponent(m)}` : ""}`);
  try {
    const room = await getRoomForViewer(user, roomId);
    const permalink =
      m !== undefined && /^\d{1,10}$/.test(m) && Number(m) <= 2_147_483_647 ? Number(m) : null;
    const firstUnread =
      room.isMember && room.lastSeq - room.lastReadSeq > PAGE_SIZE ? room.lastReadSeq + 1 : null;
    const focusSeq = permalink ?? firstUnread;
    const page =
      focusSeq !== null
        ? await listMessages(user, { roomId: room.id, around: focusSeq, limit: PAGE_SIZE })
        : await listMessages(user, { roomId: room.id, limit: PAGE_SIZE });
    // My draft comes with the page, so the composer shows it at once (no flash of an empty box).
    const draft = room.isMember ? (await getDraft(user, room.id)).body : "";
    return { user: { ...user, aliases: await formerUsernames(user.id) }, room, page, focusSeq, draft };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
});

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { roomId } = await params;
  const { room } = await load(roomId, first((await searchParams).m));
  return { title: room.kind === "dm" ? room.name : `${room.isPrivate ? "🔒 " : "#"}${room.name}` };
}

export default async function RoomPage({ params, searchParams }: Props) {
  const { roomId } = await params;
  const m = first((await searchParams).m);
  const { user, room, page, focusSeq, draft } = await load(roomId, m);
  return (
    <RoomView
      key={`${room.id}:${m ?? ""}`}
      room={room}
      user={user}
      initialPage={page}
      focusSeq={focusSeq}
      draft={draft}
    />
  );
}
