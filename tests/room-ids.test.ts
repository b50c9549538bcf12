// Room ids as typed in URLs: upper-case ids and malformed ids through the real route handlers
// (real PostgreSQL and Socket.IO server; only the session lookup is replaced by a chosen user).
import { describe, expect, it, vi } from "vitest";
import { listMessages } from "@/lib/messages/messages.service";
import { roomChannel } from "@/lib/realtime/events";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { connectAs, connected, startRealtime } from "./helpers/realtime";
import { errorOf, get, routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

const ctx = (roomId: string) => ({ params: Promise.resolve({ roomId }) });

describe("room ids as typed in URLs", () => {
  it("puts a member added through an upper-case room id into the room's real channel", async () => {
    const server = await startRealtime();
    try {
      const ana = await makeUser("ana");
      const bo = await makeUser("bo");
      const room = await makeRoom(ana, { isPrivate: true });
      const socket = await connectAs(server.url, bo);
      await connected(socket);
      const added = new Promise<{ roomId: string }>((r) => socket.once("room:added", r));
      routeSession.user = ana;
      const { POST } = await import("@/app/api/rooms/[roomId]/members/route");
      const res = await POST(
        new Request("http://beacon.test/x", {
          method: "POST",
          body: JSON.stringify({ username: bo.username }),
        }),
        ctx(room.id.toUpperCase()),
      );
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({
        member: { id: bo.id, username: bo.username, displayName: bo.displayName, role: "member" },
      });
      expect(await added).toEqual({ roomId: room.id });
      const inChannel = await server.io.in(roomChannel(room.id)).fetchSockets();
      expect(inChannel.map((s) => s.data.user?.id)).toContain(bo.id);
      socket.disconnect();
    } finally {
      await server.close();
    }
  });

  it("answers 404 not_found for a malformed room id on every room route", async () => {
    const eve = await makeUser("eve");
    routeSession.user = eve;
    const room = await import("@/app/api/rooms/[roomId]/route");
    const messages = await import("@/app/api/rooms/[roomId]/messages/route");
    const members = await import("@/app/api/rooms/[roomId]/members/route");
    const join = await import("@/app/api/rooms/[roomId]/join/route");
    const leave = await import("@/app/api/rooms/[roomId]/leave/route");
    const post = () => new Request("http://beacon.test/x", { method: "POST", body: "{}" });
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-00000000000g", "%00"]) {
      for (const res of [
        await room.GET(get("/x"), ctx(id)),
        await messages.GET(get("/x?limit=5"), ctx(id)),
        await members.GET(get("/x"), ctx(id)),
        await members.POST(post(), ctx(id)),
        await join.POST(post(), ctx(id)),
        await leave.POST(post(), ctx(id)),
      ]) {
        const err = await errorOf(res);
        expect(err, id).toMatchObject({ status: 404, code: "not_found" });
        expect(err.message).toMatch(/does not exist/);
      }
    }
    // the service says the same to every transport
    await expect(listMessages(eve, { roomId: "not-a-uuid" })).rejects.toMatchObject({
      code: "not_found",
    });
    // a real room's bad query is still a 400 with field errors
    const own = await makeRoom(eve);
    const bad = await messages.GET(get("/x?limit=0"), ctx(own.id.toUpperCase()));
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: "validation" });
  });
});
