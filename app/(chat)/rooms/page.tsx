// /rooms: the landing page after sign-in.
import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listMyRooms } from "@/lib/rooms/rooms.service";

export const metadata: Metadata = { title: "Rooms" };

export default async function RoomsHome() {
  const user = await requireUser("/rooms");
  const rooms = await listMyRooms(user);
  return (
    <div className="flex flex-1 items-center justify-center p-8">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold">Welcome, {user.displayName}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {rooms.length > 0
            ? "Pick a room from the sidebar, create a new one, or browse public rooms."
            : "You are not in any room yet. Create one with “New room”, or browse the public rooms to join."}
        </p>
        <Link href="/browse" className="btn-secondary mt-4">
          Browse public rooms
        </Link>
      </div>
    </div>
  );
}
