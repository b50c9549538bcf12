// Who is signed in, for server components and route handlers (sockets use lib/realtime/socket-auth.ts).

import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/users.schema";
import { authOptions } from "./options";

export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const u = session?.user;
  if (!u?.id || !u.username) return null;
  return { id: u.id, username: u.username, displayName: u.name ?? u.username };
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For API routes: the signed-in user, or a 401 AppError. */
export async function requireApiUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return user;
}
