// Drafts (drafts.schema.ts): read, save and clear my draft in a room. Only a member of the room has
// one: the row's foreign key is the membership, so saving is one statement that stores nothing for a
// non-member, and a membership that ends (leave, removal, ban, room deleted) deletes the draft.
import { db } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { getRoomForViewer } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { type DraftView, isDraft, saveDraftSchema } from "./drafts.schema";

type Actor = Pick<SessionUser, "id">;

/** Why there is no membership: a room I cannot see is a 404; one I can see but did not join, a 403. */
async function refuseNonMember(actor: Actor, roomId: string): Promise<never> {
  const room = await getRoomForViewer(actor, roomId); // not_found for hidden rooms
  throw new AppError("forbidden", `Join #${room.name} to keep a draft in it`);
}

async function isMember(actor: Actor, roomId: string): Promise<boolean> {
  const m = await db().membership.findUnique({
    where: { roomId_userId: { roomId, userId: actor.id } },
    select: { userId: true },
  });
  return m !== null;
}

/** My draft in a room ("" when none). */
export async function getDraft(actor: Actor, roomId: unknown): Promise<DraftView> {
  const id = parseOrThrow(roomIdSchema, roomId);
  const row = await db().draft.findUnique({
    where: { userId_roomId: { userId: actor.id, roomId: id } },
    select: { body: true, updatedAt: true },
  });
  if (row) return { roomId: id, body: row.body, updatedAt: row.updatedAt.toISOString() };
  if (!(await isMember(actor, id))) await refuseNonMember(actor, id);
  return { roomId: id, body: "", updatedAt: new Date(0).toISOString() };
}

/** Save my draft in a room; a blank body clears it. */
export async function saveDraft(actor: Actor, input: unknown): Promise<DraftView> {
  const { roomId, body } = parseOrThrow(saveDraftSchema, input);
  if (!isDraft(body)) return clearDraft(actor, roomId);
  // Stored only through the membership row: a non-member's save inserts nothing.
  const rows = await db().$queryRaw<{ updatedAt: Date }[]>`
    INSERT INTO "Draft" ("userId", "roomId", body, "updatedAt")
    SELECT m."userId", m."roomId", ${body}, now()
    FROM "Membership" m WHERE m."userId" = ${actor.id}::uuid AND m."roomId" = ${roomId}::uuid
    ON CONFLICT ("userId", "roomId") DO UPDATE SET body = EXCLUDED.body, "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "updatedAt"`;
  const row = rows[0];
  if (!row) return refuseNonMember(actor, roomId);
  return { roomId, body, updatedAt: new Date(row.updatedAt).toISOString() };
}

/** Clear my draft in a room (sent, or emptied). */
export async function clearDraft(actor: Actor, roomId: unknown): Promise<DraftView> {
  const id = parseOrThrow(roomIdSchema, roomId);
  const { count } = await db().draft.deleteMany({ where: { userId: actor.id, roomId: id } });
  if (count === 0 && !(await isMember(actor, id))) await refuseNonMember(actor, id);
  return { roomId: id, body: "", updatedAt: new Date().toISOString() };
}
