// Drafts (lib/drafts): only a member has one; the membership's end takes it away; draft:save over a
// real socket answers, echoes to every socket of the user and nobody else, and refuses readably.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DraftView } from "@/lib/drafts/drafts.schema";
import { clearDraft, getDraft, saveDraft } from "@/lib/drafts/drafts.service";
import { MAX_MESSAGE_LENGTH } from "@/lib/messages/messages.schema";
import { banMember, removeMember } from "@/lib/rooms/moderation.service";
import { addMember, joinRoom, leaveRoom, sidebar } from "@/lib/rooms/rooms.service";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, nextEvent, startRealtime } from "./helpers/realtime";

const code = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: { code?: string }) => e.code,
  );

describe("drafts service", () => {
  it("saves, reads and clears my draft; a blank body clears; the sidebar marks the room", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    expect((await getDraft(ana, room.id)).body).toBe("");
    const saved = await saveDraft(ana, { roomId: room.id, body: "half a thought\r\nand a line " });
    expect(saved.body).toBe("half a thought\nand a line ");
    expect((await getDraft(ana, room.id)).body).toBe("half a thought\nand a line ");
    expect((await sidebar(ana)).find((r) => r.id === room.id)?.draft).toBe(true);
    expect((await saveDraft(ana, { roomId: room.id, body: "   " })).body).toBe("");
    expect((await getDraft(ana, room.id)).body).toBe("");
    expect((await sidebar(ana)).find((r) => r.id === room.id)?.draft).toBe(false);
    await saveDraft(ana, { roomId: room.id, body: "again" });
    await clearDraft(ana, room.id);
    expect((await getDraft(ana, room.id)).body).toBe("");
  });

  it("drafts are per user: another member's draft in the same room is theirs", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    await saveDraft(ana, { roomId: room.id, body: "ana's" });
    await saveDraft(bo, { roomId: room.id, body: "bo's" });
    expect((await getDraft(ana, room.id)).body).toBe("ana's");
    expect((await getDraft(bo, room.id)).body).toBe("bo's");
  });

  it("a non-member of a private room gets 404; of a public room, 403; bad input is a validation error", async () => {
    const ana = await makeUser("ana");
    const eve = await makeUser("eve");
    const secret = await makeRoom(ana, { isPrivate: true });
    const open = await makeRoom(ana);
    expect(await code(getDraft(eve, secret.id))).toBe("not_found");
    expect(await code(saveDraft(eve, { roomId: secret.id, body: "hi" }))).toBe("not_found");
    expect(await code(clearDraft(eve, secret.id))).toBe("not_found");
    expect(await code(getDraft(eve, open.id))).toBe("forbidden");
    expect(await code(saveDraft(eve, { roomId: open.id, body: "hi" }))).toBe("forbidden");
    expect(await code(saveDraft(ana, { roomId: open.id, body: "x".repeat(MAX_MESSAGE_LENGTH + 1) }))).toBe(
      "validation",
    );
    expect(await code(saveDraft(ana, { roomId: open.id, body: 5 }))).toBe("validation");
    expect(await code(saveDraft(ana, { roomId: "nope", body: "hi" }))).toBe("validation");
    expect(await code(getDraft(ana, "nope"))).toBe("validation");
  });

  it("leaving, being removed or banned deletes the draft: an ex-member can neither read nor write it", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const cy = await makeUser("cy");
    const dee = await makeUser("dee");
    const secret = await makeRoom(ana, { isPrivate: true });
    for (const u of [bo, cy, dee]) await addMember(ana, secret.id, { username: u.username });
    for (const u of [bo, cy, dee]) await saveDraft(u, { roomId: secret.id, body: `${u.username} was here` });

    await leaveRoom(bo, secret.id);
    await removeMember(ana, secret.id, cy.id);
    await banMember(ana, secret.id, dee.id, {});
    for (const u of [bo, cy, dee]) {
      expect(await code(getDraft(u, secret.id))).toBe("not_found");
      expect(await code(saveDraft(u, { roomId: secret.id, body: "still?" }))).toBe("not_found");
    }
    // Back in, the old draft is gone for good.
    await addMember(ana, secret.id, { username: bo.username });
    expect((await getDraft(bo, secret.id)).body).toBe("");
  });
});

describe("draft:save over a socket", () => {
  let server: Awaited<ReturnType<typeof startRealtime>>;
  beforeAll(async () => {
    server = await startRealtime();
  });
  afterAll(async () => {
    await server.close();
  });

  it("acks, reaches every socket of mine (this one too) and no one else's; refusals are readable acks", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    const laptop = await connectAs(server.url, ana);
    const phone = await connectAs(server.url, ana);
    const other = await connectAs(server.url, bo);
    await Promise.all([connected(laptop), connected(phone), connected(other)]);
    try {
      let boHeard = false;
      other.on("draft:updated", () => {
        boHeard = true;
      });
      const onPhone = nextEvent<DraftView>(phone, "draft:updated");
      const onLaptop = nextEvent<DraftView>(laptop, "draft:updated");
      const ack = await call<DraftView>(laptop, "draft:save", { roomId: room.id, body: "on my way" });
      expect(ack).toMatchObject({ ok: true, data: { roomId: room.id, body: "on my way" } });
      expect(await onPhone).toMatchObject({ roomId: room.id, body: "on my way" });
      expect(await onLaptop).toMatchObject({ body: "on my way" });

      const cleared = nextEvent<DraftView>(phone, "draft:updated");
      expect(await call(laptop, "draft:save", { roomId: room.id, body: "" })).toMatchObject({
        ok: true,
        data: { body: "" },
      });
      expect((await cleared).body).toBe("");
      expect(boHeard).toBe(false);

      const tooLong = await call(laptop, "draft:save", {
        roomId: room.id,
        body: "x".repeat(MAX_MESSAGE_LENGTH + 1),
      });
      expect(tooLong).toMatchObject({ ok: false, error: { code: "validation" } });
      const extra = await call(laptop, "draft:save", { roomId: room.id, body: "x", more: 1 });
      expect(extra).toMatchObject({ ok: false, error: { code: "validation" } });
      const secret = await makeRoom(bo, { isPrivate: true });
      const hidden = await call(laptop, "draft:save", { roomId: secret.id, body: "x" });
      expect(hidden).toMatchObject({ ok: false, error: { code: "not_found" } });
    } finally {
      for (const s of [laptop, phone, other]) s.disconnect();
    }
  });
});
