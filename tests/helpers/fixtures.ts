// Test data through the real services (no mocks): unique users and rooms per test.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { createRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { signUp } from "@/lib/users/users.service";
import { asRole, type Role } from "@/lib/workspace/roles";

let n = 0;
export function unique(prefix: string): string {
  n++;
  return `${prefix}${process.pid.toString(36)}${n}${randomUUID().slice(0, 4)}`.toLowerCase().slice(0, 32);
}

/** A new account (through sign-up); with `role`, then given that workspace role. */
export async function makeUser(name = "user", role?: Role): Promise<SessionUser> {
  const username = unique(name);
  const u = await signUp({ username, displayName: `${name} ${n}`, password: "correct horse battery" });
  const row = role
    ? await db().user.update({ where: { id: u.id }, data: { role }, select: { role: true } })
    : await db().user.findUniqueOrThrow({ where: { id: u.id }, select: { role: true } });
  return { id: u.id, username: u.username, displayName: u.displayName, role: asRole(row.role) };
}

export async function makeRoom(owner: SessionUser, opts: { isPrivate?: boolean; name?: string } = {}) {
  return createRoom(owner, { name: opts.name ?? unique("room"), isPrivate: opts.isPrivate ?? false });
}
