// /rooms: the landing page after sign-in. The owner of a new workspace is told so, with where to
// go next; guests are not pointed at Browse (they cannot browse).
import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listMyRooms } from "@/lib/rooms/rooms.service";
import { isGuest } from "@/lib/workspace/roles";

export const metadata: Metadata = { title: "Rooms" };

export default async function RoomsHome() {
  const user = await requireUser("/rooms");
  const rooms = await listMyRooms(user);
  const guest = isGuest(user.role);
  return (
    <div className="flex flex-1 items-center justify-center p-8">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold">Welcome, {user.displayName}</h1>
        {user.role === "owner" && rooms.length === 0 && (
          <section
            aria-label="Your workspace"
            className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-start text-sm text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-100"
          >
            <p className="font-semibold">You are the owner of this workspace</p>
            <p className="mt-1">
              Set who may sign up, the default rooms and the workspace name in the{" "}
              <Link href="/admin" className="font-medium underline">
                admin console
              </Link>
              , and invite people with an{" "}
              <Link href="/admin/invites" className="font-medium underline">
                invite link
              </Link>
              .
            </p>
          </section>
        )}
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {guest
            ? rooms.length > 0
              ? "Pick a room from the sidebar. As a guest you see the rooms you were added to."
              : "You are a guest and not in any room yet: ask a member to add you to one."
            : rooms.length > 0
              ? "Pick a room from the sidebar, create a new one, or browse public rooms."
              : "You are not in any room yet. Create one with “New room”, or browse the public rooms to join."}
        </p>
        {!guest && (
          <Link href="/browse" className="btn-secondary mt-4">
            Browse public rooms
          </Link>
        )}
      </div>
    </div>
  );
}
