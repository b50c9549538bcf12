// A room at its stable URL, server-rendered with the latest page of messages (no spinner on open).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { PAGE_SIZE } from "@/lib/messages/messages.schema";
import { listMessages } from "@/lib/messages/messages.service";
import { getRoomForViewer } from "@/lib/rooms/rooms.service";
import { RoomView } from "./room-view";

type Props = { params: Promise<{ roomId: string }> };

// cache(): metadata and page share one lookup per request.
const load = cache(async (roomId: string) => {
  const user = await requireUser(`/rooms/${roomId}`);
  try {
    const room = await getRoomForViewer(user, roomId);
    const page = await listMessages(user, { roomId: room.id, limit: PAGE_SIZE });
    return { user, room, page };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { roomId } = await params;
  const { room } = await load(roomId);
  return { title: `#${room.name}` };
}

export default async function RoomPage({ params }: Props) {
  const { roomId } = await params;
  const { user, room, page } = await load(roomId);
  return <RoomView key={room.id} room={room} user={user} initialPage={page} />;
}
