// Test data through the real services (no mocks): unique users and rooms per test.
import { randomUUID } from "node:crypto";
import { createRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { signUp } from "@/lib/users/users.service";

let n = 0;
export function unique(prefix: string): string {
  n++;
  return `${prefix}${process.pid.toString(36)}${n}${randomUUID().slice(0, 4)}`.toLowerCase().slice(0, 32);
}

export async function makeUser(name = "user"): Promise<SessionUser> {
  const username = unique(name);
  const u = await signUp({ username, displayName: `${name} ${n}`, password: "correct horse battery" });
  return { id: u.id, username: u.username, displayName: u.displayName };
}

export async function makeRoom(owner: SessionUser, opts: { isPrivate?: boolean; name?: string } = {}) {
  return createRoom(owner, { name: opts.name ?? unique("room"), isPrivate: opts.isPrivate ?? false });
}
