// Files end to end through the real route handlers, services, PostgreSQL and a disk storage in a
// temp dir (only the session lookup is replaced by a chosen user): streaming limits, type sniffing,
// image processing, access checks, Range/ETag, attachment in the send path, deletion and the sweep.
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import type { FileView } from "@/lib/files/files.schema";
import { cleanFileName, storageStats, sweepFiles } from "@/lib/files/files.service";
import { fileKey, setStorage } from "@/lib/files/storage";
import { DiskStorage } from "@/lib/files/storage/disk";
import { deleteMessage, listMessages, sendMessage } from "@/lib/messages/messages.service";
import { addMember, joinRoom, leaveRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { errorOf, routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

const upload = await import("@/app/api/files/route");
const one = await import("@/app/api/files/[fileId]/route");
const roomFiles = await import("@/app/api/rooms/[roomId]/files/route");

let dir: string;
let disk: DiskStorage;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "beacon-files-test-"));
  disk = new DiskStorage(dir);
  setStorage(disk);
});
afterAll(async () => {
  setStorage(undefined);
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  routeSession.user = null;
});

const as = (u: SessionUser) => {
  routeSession.user = u;
};

/** POST /api/files with roomId then file, as a browser's FormData would send it. */
async function post(roomId: string, name: string, bytes: Buffer, type = "application/octet-stream") {
  const form = new FormData();
  form.append("roomId", roomId);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return upload.POST(new Request("http://beacon.test/api/files", { method: "POST", body: form }));
}

async function uploaded(roomId: string, name: string, bytes: Buffer): Promise<FileView> {
  const res = await post(roomId, name, bytes);
  const body = (await res.json()) as { file: FileView };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.file;
}

const fetchFile = (id: string, query = "", headers: Record<string, string> = {}) =>
  one.GET(new Request(`http://beacon.test/api/files/${id}${query}`, { headers }), {
    params: Promise.resolve({ fileId: id }),
  });

/** A multipart upload of `total` file bytes, produced only as it is read; `sent` counts them. */
function lazyUpload(roomId: string, total: number, withLength: boolean) {
  const boundary = "----beacon-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="roomId"\r\n\r\n${roomId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = 256 * 1024;
  const state = { sent: 0 };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(head);
    },
    pull(c) {
      if (state.sent >= total) {
        c.enqueue(tail);
        c.close();
        return;
      }
      state.sent += chunk;
      c.enqueue(new Uint8Array(chunk).fill(7));
    },
  });
  const headers: Record<string, string> = { "content-type": `multipart/form-data; boundary=${boundary}` };
  if (withLength) headers["content-length"] = String(head.length + total + tail.length);
  const req = new Request("http://beacon.test/api/files", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
  return { req, state };
}

const lazyUploadFor = (roomId: string, total: number) => lazyUpload(roomId, total, true);

const png = (width = 30, height = 20) =>
  sharp({ create: { width, height, channels: 3, background: "#c33" } })
    .png()
    .toBuffer();

async function storedKeys(): Promise<string[]> {
  return readdir(path.join(dir, "files")).catch(() => []);
}

describe("uploading", () => {
  it("sniffs the type from the bytes: a PNG named .txt is an image with a thumbnail and a preview", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const file = await uploaded(room.id, "notes.txt", await png(30, 20));
    expect(file).toMatchObject({
      name: "notes.txt",
      type: "image/png",
      kind: "image",
      width: 30,
      height: 20,
    });
    expect(await disk.exists(fileKey(file.id, "thumb"))).toBe(true);
    expect(await disk.exists(fileKey(file.id, "preview"))).toBe(true);
    const res = await fetchFile(file.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="notes.txt"/);
    const thumb = await fetchFile(file.id, "?size=thumb");
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(30);
    expect((await fetchFile(file.id, "?download=1")).headers.get("content-disposition")).toMatch(
      /^attachment/,
    );
  });

  it("makes thumbnails at most 400 px and previews at most 1600 px", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const file = await uploaded(room.id, "big.png", await png(2400, 1200));
    const size = async (q: string) =>
      sharp(Buffer.from(await (await fetchFile(file.id, q)).arrayBuffer())).metadata();
    expect(await size("?size=thumb")).toMatchObject({ width: 400, height: 200 });
    expect(await size("?size=preview")).toMatchObject({ width: 1600, height: 800 });
    expect(await size("")).toMatchObject({ width: 2400, height: 1200 });
  });

  it("strips EXIF (GPS) and turns the picture upright, storing the upright size", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#36c" } })
      .jpeg()
      .withExif({ IFD0: { Make: "SpyCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1" } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    expect(before.exif?.includes(Buffer.from("SpyCam"))).toBe(true);
    expect(before.orientation).toBe(6);
    const file = await uploaded(room.id, "holiday.jpg", jpeg);
    expect(file).toMatchObject({ type: "image/jpeg", kind: "image", width: 20, height: 40 });
    const stored = Buffer.from(await (await fetchFile(file.id)).arrayBuffer());
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation ?? 1).toBe(1);
    expect({ width: after.width, height: after.height }).toEqual({ width: 20, height: 40 });
    expect(stored.includes(Buffer.from("SpyCam"))).toBe(false);
  });

  it("serves HTML named .png and SVG with a script as downloads with a sandbox CSP, never inline", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const html = await uploaded(
      room.id,
      "cat.png",
      Buffer.from("<html><script>alert(document.cookie)</script></html>"),
    );
    expect(html).toMatchObject({ kind: "file", type: "text/plain", width: null, height: null });
    const svg = await uploaded(
      room.id,
      "logo.svg",
      Buffer.from(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
    );
    expect(svg.kind).toBe("file");
    for (const f of [html, svg]) {
      const res = await fetchFile(f.id);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=/);
      expect(res.headers.get("content-security-policy")).toBe("sandbox");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(res.headers.get("content-type")).not.toMatch(/html|svg/);
      expect((await fetchFile(f.id, "?size=thumb")).status).toBe(404);
    }
  });

  it("cleans the file name: no directories, no control characters", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    expect(cleanFileName("..\\..\\etc/pass\u0000wd\u0007.txt")).toBe("passwd.txt");
    expect(cleanFileName("...hidden")).toBe("hidden");
    expect(cleanFileName("")).toBe("file");
    expect(cleanFileName(`${"a".repeat(300)}.pdf`)).toBe(`${"a".repeat(196)}.pdf`);
    const f = await uploaded(room.id, "../../etc/pass\u202ewd.txt", Buffer.from("x"));
    expect(f.name).toBe("passwd.txt");
    const res = await fetchFile(f.id);
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="passwd.txt"; filename*=UTF-8''passwd.txt`,
    );
  });

  it("refuses a 26 MiB file against the 25 MiB limit: 413 before the body is sent, nothing kept", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const total = 26 * 1024 * 1024;
    const { req, state } = lazyUpload(room.id, total, true);
    const res = await upload.POST(req);
    const sentAtAnswer = state.sent;
    expect(await errorOf(res)).toEqual({
      status: 413,
      code: "payload_too_large",
      message: '"huge.bin" is larger than the 25 MB limit',
    });
    // The declared length cannot fit: answered before the file's bytes were read.
    expect(sentAtAnswer).toBeLessThan(2 * 1024 * 1024);
    expect(await db().file.count({ where: { uploaderId: ana.id } })).toBe(0);
  });

  it("refuses a chunked upload (no Content-Length) once it passes the limit while streaming, nothing kept", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const total = 40 * 1024 * 1024;
    const keysBefore = (await storedKeys()).length;
    const { req, state } = lazyUpload(room.id, total, false);
    const res = await upload.POST(req);
    const sentAtAnswer = state.sent;
    expect(await errorOf(res)).toMatchObject({
      status: 413,
      message: '"huge.bin" is larger than the 25 MB limit',
    });
    expect(sentAtAnswer).toBeGreaterThan(25 * 1024 * 1024);
    expect(sentAtAnswer).toBeLessThan(30 * 1024 * 1024);
    expect(await db().file.count({ where: { uploaderId: ana.id } })).toBe(0);
    expect(await readdir(path.join(dir, ".tmp")).catch(() => [])).toEqual([]);
    expect((await storedKeys()).length).toBe(keysBefore);
  });

  it("keeps nothing visible when the client goes away mid-upload", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const boundary = "b0undary";
    let n = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="roomId"\r\n\r\n${room.id}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n`,
          ),
        );
      },
      pull(c) {
        if (++n > 20) c.error(new Error("connection reset"));
        else c.enqueue(new Uint8Array(64 * 1024).fill(1));
      },
    });
    const res = await upload.POST(
      new Request("http://beacon.test/api/files", {
        method: "POST",
        body,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    // The row (if it was still being removed) is never served, and the cleanup leaves nothing.
    await expect.poll(() => db().file.count({ where: { uploaderId: ana.id } })).toBe(0);
    expect(await readdir(path.join(dir, ".tmp")).catch(() => [])).toEqual([]);
  });

  it("needs roomId first, a file, membership, and multipart", async () => {
    const ana = await makeUser("ana");
    const bob = await makeUser("bob");
    const room = await makeRoom(ana, { isPrivate: true });
    as(bob);
    expect((await errorOf(await post(room.id, "a.txt", Buffer.from("x")))).status).toBe(404);
    as(ana);
    const form = new FormData();
    form.append("file", new Blob([Buffer.from("x")]), "a.txt");
    form.append("roomId", room.id);
    const late = await upload.POST(
      new Request("http://beacon.test/api/files", { method: "POST", body: form }),
    );
    expect(await errorOf(late)).toMatchObject({
      status: 400,
      message: "Send the roomId field before the file",
    });
    const noFile = new FormData();
    noFile.append("roomId", room.id);
    const none = await upload.POST(
      new Request("http://beacon.test/api/files", { method: "POST", body: noFile }),
    );
    expect(await errorOf(none)).toMatchObject({ status: 400, message: 'Attach a file in the "file" field' });
    const json = await upload.POST(
      new Request("http://beacon.test/api/files", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
    );
    expect(await errorOf(json)).toMatchObject({ status: 400, code: "bad_request" });
    routeSession.user = null;
    expect((await post(room.id, "a.txt", Buffer.from("x"))).status).toBe(401);
  });
});

describe("workspace file settings", () => {
  afterAll(async () => {
    await db().workspace.update({ where: { id: 1 }, data: { maxUploadMb: null, userQuotaMb: null } });
  });

  it("a lower workspace upload limit applies; MAX_UPLOAD_MB stays the ceiling", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    await db().workspace.upsert({
      where: { id: 1 },
      create: { id: 1, maxUploadMb: 1 },
      update: { maxUploadMb: 1 },
    });
    expect(await errorOf(await post(room.id, "two.bin", Buffer.alloc(2 * 1024 * 1024, 1)))).toMatchObject({
      status: 413,
      message: '"two.bin" is larger than the 1 MB limit',
    });
    await db().workspace.update({ where: { id: 1 }, data: { maxUploadMb: 500 } });
    const { req } = lazyUploadFor(room.id, 26 * 1024 * 1024);
    expect(await errorOf(await upload.POST(req))).toMatchObject({
      status: 413,
      message: expect.stringContaining("25 MB limit"),
    });
    await db().workspace.update({ where: { id: 1 }, data: { maxUploadMb: null } });
  });

  it("the per-user quota refuses what would go over it, with a clear 413", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    await db().workspace.update({ where: { id: 1 }, data: { userQuotaMb: 1 } });
    await uploaded(room.id, "a.bin", Buffer.alloc(700 * 1024, 1));
    const over = await errorOf(await post(room.id, "b.bin", Buffer.alloc(500 * 1024, 1)));
    expect(over).toMatchObject({
      status: 413,
      code: "payload_too_large",
      message: expect.stringContaining("1 MB storage quota"),
    });
    await uploaded(room.id, "c.bin", Buffer.alloc(200 * 1024, 1));
    expect(await db().file.count({ where: { uploaderId: ana.id } })).toBe(2);
    await db().workspace.update({ where: { id: 1 }, data: { userQuotaMb: null } });
  });
});

describe("reading a file", () => {
  it("is for whoever can read the room now: non-members and removed members get 404", async () => {
    const ana = await makeUser("ana");
    const bob = await makeUser("bob");
    const eve = await makeUser("eve");
    const room = await makeRoom(ana, { isPrivate: true });
    await addMember(ana, room.id, { username: bob.username });
    as(ana);
    const f = await uploaded(room.id, "plan.txt", Buffer.from("secret plan"));
    // Unattached: only the uploader.
    as(bob);
    expect((await fetchFile(f.id)).status).toBe(404);
    await sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: "", fileIds: [f.id] });
    expect(await (await fetchFile(f.id)).text()).toBe("secret plan");
    as(eve);
    expect(await errorOf(await fetchFile(f.id))).toMatchObject({ status: 404, code: "not_found" });
    await leaveRoom(bob, room.id);
    as(bob);
    expect((await fetchFile(f.id)).status).toBe(404);
    expect((await fetchFile("not-a-uuid")).status).toBe(404);
    expect((await fetchFile(randomUUID())).status).toBe(404);
  });

  it("answers Range with 206, a bad range with 416, and If-None-Match with 304", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const f = await uploaded(room.id, "abc.txt", Buffer.from("0123456789"));
    const full = await fetchFile(f.id);
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    expect(full.headers.get("content-length")).toBe("10");
    const etag = full.headers.get("etag") as string;
    const part = await fetchFile(f.id, "", { range: "bytes=2-5" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await part.text()).toBe("2345");
    const suffix = await fetchFile(f.id, "", { range: "bytes=-3" });
    expect(await suffix.text()).toBe("789");
    const open = await fetchFile(f.id, "", { range: "bytes=7-" });
    expect(await open.text()).toBe("789");
    const bad = await fetchFile(f.id, "", { range: "bytes=50-60" });
    expect(bad.status).toBe(416);
    expect(bad.headers.get("content-range")).toBe("bytes */10");
    const cached = await fetchFile(f.id, "", { "if-none-match": etag });
    expect(cached.status).toBe(304);
  });
});

describe("files in messages", () => {
  it("attaches files in the insert, returns them in the ack, history, retries and the room's files", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const a = await uploaded(room.id, "a.txt", Buffer.from("aaa"));
    const b = await uploaded(room.id, "b.png", await png());
    const clientId = randomUUID();
    const sent = await sendMessage(ana, { roomId: room.id, clientId, body: "", fileIds: [b.id, a.id] });
    expect(sent.created).toBe(true);
    expect(sent.message.files.map((f) => f.id)).toEqual([b.id, a.id]);
    expect(sent.message.author.avatarUrl).toBeNull();
    const retry = await sendMessage(ana, { roomId: room.id, clientId, body: "", fileIds: [b.id, a.id] });
    expect(retry).toMatchObject({ created: false, message: { id: sent.message.id } });
    expect(retry.message.files.map((f) => f.id)).toEqual([b.id, a.id]);
    const page = await listMessages(ana, { roomId: room.id });
    expect(page.messages[0]?.files).toEqual(sent.message.files);
    // Several at once go through the batched statement: each gets its own files.
    const files = await Promise.all([1, 2, 3].map((i) => uploaded(room.id, `${i}.txt`, Buffer.from(`${i}`))));
    const many = await Promise.all(
      files.map((f, i) =>
        sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: `m${i}`, fileIds: [f.id] }),
      ),
    );
    expect(many.map((m) => m.message.files[0]?.id)).toEqual(files.map((f) => f.id));
    const newestFirst = many
      .sort((x, y) => y.message.seq - x.message.seq)
      .map((m) => m.message.files[0]?.id as string);
    const listed = await roomFiles.GET(new Request(`http://beacon.test/api/rooms/${room.id}/files`), {
      params: Promise.resolve({ roomId: room.id }),
    });
    const body = (await listed.json()) as { files: { id: string; seq: number }[]; nextBefore: string | null };
    expect(body.files.map((f) => f.id)).toEqual([...newestFirst, a.id, b.id]);
    expect(body.nextBefore).toBeNull();
  });

  it("refuses files that are not the sender's, already sent, or for another room, and an empty message", async () => {
    const ana = await makeUser("ana");
    const bob = await makeUser("bob");
    const room = await makeRoom(ana);
    const other = await makeRoom(ana);
    await joinRoom(bob, room.id);
    as(ana);
    const mine = await uploaded(room.id, "a.txt", Buffer.from("a"));
    const elsewhere = await uploaded(other.id, "b.txt", Buffer.from("b"));
    const send = (u: SessionUser, fileIds: string[], body = "") =>
      sendMessage(u, { roomId: room.id, clientId: randomUUID(), body, fileIds });
    await expect(send(bob, [mine.id])).rejects.toMatchObject({ code: "validation" });
    await expect(send(ana, [elsewhere.id])).rejects.toMatchObject({ code: "validation" });
    await expect(send(ana, [randomUUID()])).rejects.toMatchObject({ code: "validation" });
    await expect(send(ana, [mine.id, mine.id])).rejects.toMatchObject({ code: "validation" });
    await expect(send(ana, [])).rejects.toMatchObject({
      code: "validation",
      message: expect.stringContaining("Message cannot be empty"),
    });
    await expect(
      send(
        ana,
        Array.from({ length: 11 }, () => randomUUID()),
      ),
    ).rejects.toMatchObject({
      code: "validation",
    });
    await send(ana, [mine.id]);
    await expect(send(ana, [mine.id], "again")).rejects.toMatchObject({ code: "validation" });
    // Nothing was stored by the refused sends.
    expect((await listMessages(ana, { roomId: room.id })).messages).toHaveLength(1);
  });

  it("deleting the message removes its files from storage", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const f = await uploaded(room.id, "pic.png", await png());
    const sent = await sendMessage(ana, {
      roomId: room.id,
      clientId: randomUUID(),
      body: "look",
      fileIds: [f.id],
    });
    const deleted = await deleteMessage(ana, { roomId: room.id, messageId: sent.message.id });
    expect(deleted.files).toEqual([]);
    expect((await fetchFile(f.id)).status).toBe(404);
    for (const v of ["original", "thumb", "preview"] as const)
      expect(await disk.exists(fileKey(f.id, v))).toBe(false);
    expect(await db().file.count({ where: { id: f.id } })).toBe(0);
  });

  it("a cancelled upload is deleted by its uploader only, and only while not sent", async () => {
    const ana = await makeUser("ana");
    const bob = await makeUser("bob");
    const room = await makeRoom(ana);
    as(ana);
    const f = await uploaded(room.id, "x.txt", Buffer.from("x"));
    const g = await uploaded(room.id, "y.txt", Buffer.from("y"));
    const del = (id: string) =>
      one.DELETE(new Request(`http://beacon.test/api/files/${id}`, { method: "DELETE" }), {
        params: Promise.resolve({ fileId: id }),
      });
    as(bob);
    expect((await del(f.id)).status).toBe(404);
    as(ana);
    expect((await del(f.id)).status).toBe(200);
    expect(await disk.exists(fileKey(f.id))).toBe(false);
    expect((await del(f.id)).status).toBe(404);
    await sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: "", fileIds: [g.id] });
    expect(await errorOf(await del(g.id))).toMatchObject({ status: 409, code: "conflict" });
  });
});

describe("lifecycle", () => {
  it("the sweep removes uploads never sent after 24 h, and keeps sent ones and fresh ones", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    const old = await uploaded(room.id, "old.png", await png());
    const fresh = await uploaded(room.id, "fresh.txt", Buffer.from("f"));
    const sent = await uploaded(room.id, "sent.txt", Buffer.from("s"));
    await sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: "", fileIds: [sent.id] });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await db().file.updateMany({ where: { id: { in: [old.id, sent.id] } }, data: { createdAt: dayAgo } });
    expect(await sweepFiles()).toBeGreaterThanOrEqual(1);
    expect(
      await db().file.findMany({
        where: { uploaderId: ana.id },
        select: { id: true },
        orderBy: { name: "asc" },
      }),
    ).toEqual([{ id: fresh.id }, { id: sent.id }]);
    expect(await disk.exists(fileKey(old.id))).toBe(false);
    expect(await disk.exists(fileKey(old.id, "thumb"))).toBe(false);
    expect(await disk.exists(fileKey(sent.id))).toBe(true);
    expect((await storedKeys()).length).toBeGreaterThan(0);
  });

  it("storageStats counts what is stored, per user", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    as(ana);
    await uploaded(room.id, "s.txt", Buffer.alloc(5000, 1));
    const stats = await storageStats(1000);
    const mine = stats.topUsers.find((u) => u.id === ana.id);
    expect(mine).toMatchObject({ bytes: 5000, files: 1, username: ana.username });
    expect(stats.totalBytes).toBeGreaterThanOrEqual(5000);
  });
});

const avatarRoute = await import("@/app/api/account/avatar/route");
const userAvatar = await import("@/app/api/users/[userId]/avatar/route");

describe("avatars", () => {
  const getAvatar = (userId: string, size = "64", headers: Record<string, string> = {}) =>
    userAvatar.GET(new Request(`http://beacon.test/api/users/${userId}/avatar?size=${size}`, { headers }), {
      params: Promise.resolve({ userId }),
    });
  const setAvatar = async (bytes: Buffer) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)]), "me.png");
    return avatarRoute.POST(
      new Request("http://beacon.test/api/account/avatar", { method: "POST", body: form }),
    );
  };

  it("crops to a square in three sizes, versions the URL, and shows in messages; DELETE removes it", async () => {
    const ana = await makeUser("ana");
    const bob = await makeUser("bob");
    const room = await makeRoom(ana);
    as(ana);
    expect((await getAvatar(ana.id)).status).toBe(404);
    const res = await setAvatar(await png(300, 100));
    const { avatarUrl } = (await res.json()) as { avatarUrl: string };
    expect(res.status).toBe(200);
    expect(avatarUrl).toBe(`/api/users/${ana.id}/avatar?size=64&v=1`);
    as(bob);
    for (const size of [32, 64, 256]) {
      const img = await getAvatar(ana.id, String(size));
      expect(img.status).toBe(200);
      expect(img.headers.get("content-type")).toBe("image/webp");
      expect(await sharp(Buffer.from(await img.arrayBuffer())).metadata()).toMatchObject({
        width: size,
        height: size,
      });
    }
    const etag = (await getAvatar(ana.id)).headers.get("etag") as string;
    expect((await getAvatar(ana.id, "64", { "if-none-match": etag })).status).toBe(304);
    expect((await getAvatar(ana.id, "99")).status).toBe(400);
    const sent = await sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: "hi" });
    expect(sent.message.author.avatarUrl).toBe(avatarUrl);
    expect((await listMessages(ana, { roomId: room.id })).messages[0]?.author.avatarUrl).toBe(avatarUrl);
    as(ana);
    const second = (await (await setAvatar(await png(50, 50))).json()) as { avatarUrl: string };
    expect(second.avatarUrl).toContain("v=2");
    expect(await disk.exists(`avatars/${ana.id}-1-64`)).toBe(false);
    expect((await avatarRoute.DELETE()).status).toBe(200);
    expect((await getAvatar(ana.id)).status).toBe(404);
    expect(
      await errorOf(await setAvatar(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))),
    ).toMatchObject({
      status: 400,
      code: "validation",
    });
  });
});

describe("search", () => {
  it("finds file names, and filters with has:file and has:image", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana, { isPrivate: true });
    as(ana);
    const word = `zq${Date.now().toString(36)}`;
    const doc = await uploaded(room.id, `${word}-budget.pdf`, Buffer.from("%PDF-1.4 not really"));
    const pic = await uploaded(room.id, "photo.png", await png());
    await sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: "", fileIds: [doc.id] });
    await sendMessage(ana, {
      roomId: room.id,
      clientId: randomUUID(),
      body: `look ${word}`,
      fileIds: [pic.id],
    });
    await sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: `plain ${word}` });
    const { searchMessages } = await import("@/lib/search/search.service");
    const byName = await searchMessages(ana, { q: `${word} budget` });
    expect(byName.hits.map((h) => h.files.map((f) => f.id))).toEqual([[doc.id]]);
    expect((await searchMessages(ana, { q: `${word} has:image` })).hits.map((h) => h.files[0]?.id)).toEqual([
      pic.id,
    ]);
    expect((await searchMessages(ana, { q: `${word} has:file` })).hits).toHaveLength(2);
    expect((await searchMessages(ana, { q: word })).hits).toHaveLength(3);
    const eve = await makeUser("eve");
    expect((await searchMessages(eve, { q: `${word} has:file` })).hits).toEqual([]);
  });
});
