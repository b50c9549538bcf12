// Authorization matrix for the access part, socket side: the socket events that reach a public room
// a guest is not in × {signed out, deactivated, guest, member, room moderator, workspace moderator,
// admin, owner}. The socket keeps its handshake's role: a member demoted to guest while connected is
// refused at once (the services read the role from the database).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { addMember } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import type { Role } from "@/lib/workspace/roles";
import { makeRoom, makeUser } from "./helpers/fixtures";
import {
  call,
  connectAs,
  connected,
  handshake,
  sessionCookie,
  startRealtime,
  type TestClient,
} from "./helpers/realtime";

const KINDS = ["guest", "member", "roomMod", "wsMod", "admin", "owner"] as const;
type Kind = (typeof KINDS)[number];
const ROLE: Record<Kind, Role> = {
  guest: "guest",
  member: "member",
  roomMod: "member",
  wsMod: "moderator",
  admin: "admin",
  owner: "owner",
};

let server: Awaited<ReturnType<typeof startRealtime>>;
const users = {} as Record<Kind, SessionUser>;
const sockets = {} as Record<Kind, TestClient>;
let publicRoomId = "";
let sharedRoomId = "";

beforeAll(async () => {
  server = await startRealtime();
  for (const k of KINDS) users[k] = await makeUser(k.slice(0, 6), ROLE[k]);
  const pub = await makeRoom(users.roomMod); // the room moderator owns the public room
  publicRoomId = pub.id;
  const shared = await makeRoom(users.roomMod, { isPrivate: true });
  sharedRoomId = shared.id;
  await addMember(users.roomMod, shared.id, { username: users.guest.username });
  for (const k of KINDS) {
    sockets[k] = await connectAs(server.url, users[k]);
    await connected(sockets[k]);
  }
});

afterAll(async () => {
  for (const s of Object.values(sockets)) s.disconnect();
  await server.close();
});

describe("socket events on a public room × actor kinds", () => {
  it("signed out and deactivated sockets are refused at the handshake", async () => {
    expect(await handshake(server.url, "")).toBe("unauthorized");
    const gone = await makeUser("gone");
    const cookie = await sessionCookie(gone);
    await db().user.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    expect(await handshake(server.url, cookie)).toBe("unauthorized");
  });

  const rows: [string, (k: Kind) => Promise<{ ok: boolean; error?: { code: string } }>][] = [
    ["room:join", (k) => call(sockets[k], "room:join", { roomId: publicRoomId })],
    ["message:list", (k) => call(sockets[k], "message:list", { roomId: publicRoomId })],
    [
      "message:changes",
      (k) => call(sockets[k], "message:changes", { roomId: publicRoomId, sinceRev: 0, fromSeq: 0, toSeq: 0 }),
    ],
    ["presence:list", (k) => call(sockets[k], "presence:list", { roomId: publicRoomId })],
  ];
  for (const [event, run] of rows) {
    it(`${event}: a guest gets not_found; every other role gets the room`, async () => {
      for (const k of KINDS) {
        const ack = await run(k);
        if (k === "guest")
          expect(ack, `${event} as ${k}`).toMatchObject({ ok: false, error: { code: "not_found" } });
        else expect(ack.ok, `${event} as ${k}: ${JSON.stringify(ack)}`).toBe(true);
      }
    });
  }

  it("a guest's own room works over the socket", async () => {
    const ack = await call(sockets.guest, "room:join", { roomId: sharedRoomId });
    expect(ack.ok).toBe(true);
    const sent = await call(sockets.guest, "message:send", {
      roomId: sharedRoomId,
      clientId: randomUUID(),
      body: "hi",
    });
    expect(sent.ok).toBe(true);
  });

  it("a member demoted to guest while connected is refused at once (the handshake's role is not trusted)", async () => {
    const m = await makeUser("demoted");
    const s = await connectAs(server.url, m);
    await connected(s);
    expect((await call(s, "room:join", { roomId: publicRoomId })).ok).toBe(true);
    await call(s, "room:leave", { roomId: publicRoomId });
    await db().user.update({ where: { id: m.id }, data: { role: "guest" } });
    expect(await call(s, "room:join", { roomId: publicRoomId })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    s.disconnect();
  });
});
