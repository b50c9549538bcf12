// Files: streamed uploads with a byte cap, type sniffing and image processing, attachment rules for
// the send path, access checks for every download, deletion with messages, the 24 h sweep of
// uploads never sent, per-user quota and storage stats (docs/architecture.md, docs/security.md).
import { Readable, Transform, type TransformCallback } from "node:stream";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { AppError, parseOrThrow } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { getRoomForViewer, requireMembership, roomNotFound } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import {
  DEFAULT_MAX_UPLOAD_MB,
  type FileVariant,
  type FileView,
  fileIdSchema,
  fileVariantSchema,
  formatMb,
  type RoomFilesPage,
} from "./files.schema";
import { processImage, RASTER_TYPES, SNIFF_BYTES, sniffType } from "./images";
import { fileKey, StorageLimitError, storage } from "./storage";
import { DiskStorage } from "./storage/disk";

type Actor = Pick<SessionUser, "id">;
const log = logger.child({ module: "files" });
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Views

export const fileViewSelect = {
  id: true,
  name: true,
  size: true,
  type: true,
  kind: true,
  width: true,
  height: true,
} as const satisfies Prisma.FileSelect;

type FileViewRow = Prisma.FileGetPayload<{ select: typeof fileViewSelect }>;

export function toFileView(r: FileViewRow): FileView {
  return {
    id: r.id,
    name: r.name,
    size: Number(r.size),
    type: r.type,
    kind: r.kind === "image" ? "image" : "file",
    width: r.width,
    height: r.height,
  };
}

// ---------------------------------------------------------------------------------------------
// Settings and authorization

export interface FileSettings {
  /** Largest file in bytes */
  maxUploadBytes: number;
  /** Bytes each user may keep; null: unlimited */
  userQuotaBytes: number | null;
}

/**
 * The limits in force. MAX_UPLOAD_MB is a ceiling: the workspace setting can lower the per-file
 * limit, never raise it above what the proxy in front (client_max_body_size) was sized for.
 */
export async function fileSettings(): Promise<FileSettings> {
  const ceiling = env().MAX_UPLOAD_MB ?? DEFAULT_MAX_UPLOAD_MB;
  const workspace = await workspaceFileSettings();
  const mb = Math.min(ceiling, workspace.maxUploadMb ?? ceiling);
  return {
    maxUploadBytes: mb * MB,
    userQuotaBytes: workspace.userQuotaMb === null ? null : workspace.userQuotaMb * MB,
  };
}

/** The workspace's own file settings (admin console). */
async function workspaceFileSettings(): Promise<{ maxUploadMb: number | null; userQuotaMb: number | null }> {
  const { maxUploadMb, userQuotaMb } = await getWorkspaceSettings();
  return { maxUploadMb, userQuotaMb };
}

/**
 * Throws unless the actor may post in the room (files are uploaded for one room).
 * TODO(#15): also refuse archived rooms and rooms that are read-only for the actor, with the same
 * check message:send uses once the admin issue's room rules reach the send path.
 */
export async function assertCanPost(actor: Actor, roomId: string): Promise<void> {
  await requireMembership(actor, roomId);
}

// ---------------------------------------------------------------------------------------------
// Upload

/** A display name: no directories, no control or bidi-override characters, at most 200 chars. */
export function cleanFileName(raw: string | undefined): string {
  let name = (raw ?? "").normalize("NFC");
  name = name.split(/[\\/]/).at(-1) ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  name = name.replace(/^\.+/, "").trim();
  if (name.length > 200) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name || "file";
}

export interface UploadTicket {
  roomId: string;
  /** Cap for this upload: the per-file limit, or what is left of the quota when that is less */
  capBytes: number;
  maxUploadBytes: number;
  quotaBytes: number | null;
  quotaLeftBytes: number | null;
}

/** Before any byte is read: may the actor upload to this room, and how much. */
export async function prepareUpload(actor: Actor, input: unknown): Promise<UploadTicket> {
  const roomId = (input as { roomId?: unknown } | null)?.roomId;
  const id = roomIdSchema.safeParse(roomId);
  if (!id.success) {
    if (typeof roomId !== "string" || roomId === "")
      throw new AppError("validation", "Send the roomId field before the file");
    throw roomNotFound();
  }
  await assertCanPost(actor, id.data);
  const settings = await fileSettings();
  let quotaLeftBytes: number | null = null;
  if (settings.userQuotaBytes !== null) {
    quotaLeftBytes = settings.userQuotaBytes - (await usedBytes(actor.id));
    if (quotaLeftBytes <= 0) throw quotaError(settings.userQuotaBytes);
  }
  return {
    roomId: id.data,
    maxUploadBytes: settings.maxUploadBytes,
    quotaBytes: settings.userQuotaBytes,
    quotaLeftBytes,
    capBytes: Math.min(settings.maxUploadBytes, quotaLeftBytes ?? Number.POSITIVE_INFINITY),
  };
}

async function usedBytes(userId: string): Promise<number> {
  const agg = await db().file.aggregate({
    where: { uploaderId: userId, state: { not: "deleting" } },
    _sum: { storedBytes: true },
  });
  return Number(agg._sum.storedBytes ?? 0n);
}

const quotaError = (quotaBytes: number) =>
  new AppError(
    "payload_too_large",
    `This would go over your ${formatMb(quotaBytes)} storage quota. Delete some files or ask an admin for more room.`,
  );

export const tooLargeError = (name: string, maxBytes: number) =>
  new AppError("payload_too_large", `"${name}" is larger than the ${formatMb(maxBytes)} limit`);

/** Keeps the first `max` bytes that pass (for sniffing), passing everything on. */
class HeadTap extends Transform {
  private parts: Buffer[] = [];
  private have = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.have < this.max) {
      const part = chunk.subarray(0, this.max - this.have);
      this.parts.push(Buffer.from(part));
      this.have += part.length;
    }
    done(null, chunk);
  }
  head(): Buffer {
    return Buffer.concat(this.parts);
  }
}

async function readAll(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > maxBytes) throw new StorageLimitError(maxBytes);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/**
 * Streams one file into storage under a new id: the row is written first ("uploading", never
 * served), the bytes go to storage through the cap, then the type is sniffed, images are processed,
 * and the row becomes "ready". Any failure removes what was stored and the row.
 */
export async function receiveFile(
  actor: Actor,
  ticket: UploadTicket,
  rawName: string | undefined,
  body: NodeJS.ReadableStream,
): Promise<FileView> {
  const name = cleanFileName(rawName);
  const row = await db().file.create({
    data: { uploaderId: actor.id, roomId: ticket.roomId, name },
    select: { id: true },
  });
  const store = storage();
  const tap = new HeadTap(SNIFF_BYTES);
  body.on("error", (err) => tap.destroy(err));
  body.pipe(tap);
  try {
    let size: number;
    try {
      ({ size } = await store.put(fileKey(row.id), tap, { maxBytes: ticket.capBytes }));
    } catch (err) {
      if (err instanceof StorageLimitError) throw uploadTooLarge(ticket, name);
      throw err;
    }
    const type = await sniffType(tap.head());
    let kind: "image" | "file" = "file";
    let width: number | null = null;
    let height: number | null = null;
    let storedBytes = size;
    if (RASTER_TYPES.has(type)) {
      const input = await readAll(await store.get(fileKey(row.id)), ticket.capBytes);
      const img = await processImage(input, type).catch((err) => {
        log.info({ err, fileId: row.id }, "image could not be processed; kept as a download");
        return null;
      });
      if (img) {
        await store.put(fileKey(row.id, "thumb"), Readable.from([img.thumb]), { maxBytes: img.thumb.length });
        await store.put(fileKey(row.id, "preview"), Readable.from([img.preview]), {
          maxBytes: img.preview.length,
        });
        await store.put(fileKey(row.id), Readable.from([img.original]), { maxBytes: img.original.length });
        size = img.original.length;
        storedBytes = size + img.thumb.length + img.preview.length;
        ({ width, height } = img);
        kind = "image";
      }
    }
    const ready = await finishUpload(actor.id, row.id, {
      size: BigInt(size),
      storedBytes: BigInt(storedBytes),
      type,
      kind,
      width,
      height,
    });
    if (!ready) throw quotaError(ticketQuota(ticket));
    return ready;
  } catch (err) {
    await purge([row.id]).catch((e) =>
      log.warn({ err: e, fileId: row.id }, "could not remove a failed upload"),
    );
    throw err;
  }
}

/** The 413 for a file over this upload's cap: the per-file limit, or what is left of the quota. */
export function uploadTooLarge(ticket: UploadTicket, rawName: string | undefined): AppError {
  if (ticket.capBytes < ticket.maxUploadBytes) return quotaError(ticketQuota(ticket));
  return tooLargeError(cleanFileName(rawName), ticket.maxUploadBytes);
}

function ticketQuota(t: UploadTicket): number {
  return t.quotaBytes ?? t.maxUploadBytes;
}

/** Marks the upload ready, unless the user's quota (checked again, under a per-user lock) is exceeded. */
async function finishUpload(
  userId: string,
  id: string,
  data: Pick<Prisma.FileUpdateInput, "size" | "storedBytes" | "type" | "kind" | "width" | "height"> & {
    storedBytes: bigint;
  },
): Promise<FileView | null> {
  const { userQuotaBytes } = await fileSettings();
  return db().$transaction(async (tx) => {
    if (userQuotaBytes !== null) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`files:${userId}`}))`;
      const agg = await tx.file.aggregate({
        where: { uploaderId: userId, state: "ready" },
        _sum: { storedBytes: true },
      });
      if (Number(agg._sum.storedBytes ?? 0n) + Number(data.storedBytes) > userQuotaBytes) return null;
    }
    const r = await tx.file.update({
      where: { id },
      data: { ...data, state: "ready" },
      select: fileViewSelect,
    });
    return toFileView(r);
  });
}

/** Cancel an upload: its uploader may delete it while it is not attached to a message. */
export async function deleteUpload(actor: Actor, fileId: unknown): Promise<void> {
  const id = fileIdSchema.safeParse(fileId);
  if (!id.success) throw fileNotFound();
  const f = await db().file.findUnique({
    where: { id: id.data },
    select: { uploaderId: true, messageId: true, state: true },
  });
  if (!f || f.uploaderId !== actor.id || f.state === "deleting") throw fileNotFound();
  if (f.messageId)
    throw new AppError("conflict", "This file was sent in a message: delete the message instead");
  const claimed = await db().file.updateMany({
    where: { id: id.data, messageId: null, state: { not: "deleting" } },
    data: { state: "deleting" },
  });
  if (claimed.count === 0)
    throw new AppError("conflict", "This file was sent in a message: delete the message instead");
  await purge([id.data]);
}

const fileNotFound = () => new AppError("not_found", "That file does not exist");

// ---------------------------------------------------------------------------------------------
// Attachment (the send path)

/**
 * The files a message will carry, in the given order: each must be the sender's, ready, not yet
 * attached, and uploaded for this room. The insert statement checks the same rules again atomically
 * (lib/messages/insert-batch.ts); this gives the clear error in the common case.
 */
export async function attachableFiles(
  actorId: string,
  roomId: string,
  fileIds: string[],
): Promise<FileView[] | null> {
  if (fileIds.length === 0) return [];
  const rows = await db().file.findMany({
    where: { id: { in: fileIds }, uploaderId: actorId, roomId, messageId: null, state: "ready" },
    select: fileViewSelect,
  });
  if (rows.length !== fileIds.length) return null;
  const byId = new Map(rows.map((r) => [r.id, toFileView(r)]));
  return fileIds.map((id) => byId.get(id) as FileView);
}

export const notAttachableError = () =>
  new AppError(
    "validation",
    "A file of this message cannot be attached: it was already sent, was removed, or was uploaded to another room. Upload it again.",
  );

/** A deleted message's files: claimed in its transaction (`tx`), removed from storage after commit. */
export async function claimMessageFiles(tx: Prisma.TransactionClient, messageId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "File" SET state = 'deleting' WHERE "messageId" = ${messageId}::uuid RETURNING id`;
  return rows.map((r) => r.id);
}

/** Removes the files' objects (every variant), then their rows. Safe to repeat. */
export async function purge(ids: string[]): Promise<void> {
  const store = storage();
  for (const id of ids) {
    await Promise.all((["original", "thumb", "preview"] as const).map((v) => store.delete(fileKey(id, v))));
    await db().file.deleteMany({ where: { id } });
  }
}

/** purge() for after-commit steps: a failure is logged and left to the sweep. */
export function purgeLater(ids: string[]): Promise<void> {
  if (ids.length === 0) return Promise.resolve();
  return purge(ids).catch((err) => log.warn({ err, ids }, "file removal failed; the sweep will retry"));
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface FileForDownload {
  id: string;
  name: string;
  type: string;
  kind: "image" | "file";
  variant: FileVariant;
  key: string;
}

/**
 * The file as `actor` may read it, checked on every request: an attached file is readable by whoever
 * can read its room now (a removed member of a private room loses it at once); an unattached one only
 * by its uploader. Everything else is not_found.
 */
export async function fileForViewer(
  actor: Actor,
  input: { id: unknown; size?: unknown },
): Promise<FileForDownload> {
  const id = fileIdSchema.safeParse(input.id);
  if (!id.success) throw fileNotFound();
  const variant = parseOrThrow(fileVariantSchema, input.size ?? undefined);
  const f = await db().file.findUnique({
    where: { id: id.data },
    select: {
      id: true,
      name: true,
      type: true,
      kind: true,
      uploaderId: true,
      roomId: true,
      messageId: true,
      state: true,
    },
  });
  if (f?.state !== "ready") throw fileNotFound();
  if (f.messageId) {
    await getRoomForViewer(actor, f.roomId).catch(() => {
      throw fileNotFound();
    });
  } else if (f.uploaderId !== actor.id) throw fileNotFound();
  const kind = f.kind === "image" ? "image" : "file";
  if (variant !== "original" && kind !== "image")
    throw new AppError("not_found", "This file has no thumbnail or preview");
  return {
    id: f.id,
    name: f.name,
    type: variant === "original" ? f.type : "image/webp",
    kind,
    variant,
    key: fileKey(f.id, variant),
  };
}

const FILES_PAGE = 50;

/** The room's files, newest first, keyset-paged by (seq, position): `before` is the last nextBefore. */
export async function listRoomFiles(
  actor: Actor,
  input: { roomId: unknown; before?: unknown },
): Promise<RoomFilesPage> {
  const room = await getRoomForViewer(actor, input.roomId);
  let cursor: Prisma.FileWhereInput = {};
  if (input.before !== undefined && input.before !== "") {
    const m = typeof input.before === "string" ? /^(\d{1,10})\.(\d{1,3})$/.exec(input.before) : null;
    if (!m)
      throw new AppError("validation", "before must be a cursor from an earlier page", {
        fields: { before: ["Not a valid cursor"] },
      });
    const seq = Number(m[1]);
    const position = Number(m[2]);
    cursor = { OR: [{ seq: { lt: seq } }, { seq, position: { lt: position } }] };
  }
  const rows = await db().file.findMany({
    where: { roomId: room.id, state: "ready", messageId: { not: null }, seq: { not: null }, ...cursor },
    orderBy: [{ seq: "desc" }, { position: "desc" }],
    take: FILES_PAGE + 1,
    select: {
      ...fileViewSelect,
      messageId: true,
      seq: true,
      position: true,
      message: {
        select: { createdAt: true, author: { select: { id: true, username: true, displayName: true } } },
      },
    },
  });
  const page = rows.slice(0, FILES_PAGE);
  const last = page.at(-1);
  return {
    files: page.flatMap((r) =>
      r.message && r.messageId && r.seq !== null
        ? [
            {
              ...toFileView(r),
              messageId: r.messageId,
              seq: r.seq,
              createdAt: r.message.createdAt.toISOString(),
              author: r.message.author,
            },
          ]
        : [],
    ),
    nextBefore: rows.length > FILES_PAGE && last ? `${last.seq}.${last.position}` : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/** Uploads never attached to a message are removed after this long. */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * One sweep: claims (FOR UPDATE SKIP LOCKED, so several nodes never fight over a row) uploads never
 * sent that are older than `ttlMs`, plus rows left "deleting" by a failed or interrupted removal,
 * then removes their objects and rows. Also clears temp files of uploads killed mid-way.
 */
export async function sweepFiles(ttlMs = UNATTACHED_TTL_MS, batch = 500): Promise<number> {
  const cutoff = new Date(Date.now() - ttlMs);
  let total = 0;
  for (;;) {
    const rows = await db().$queryRaw<{ id: string }[]>`
      UPDATE "File" SET state = 'deleting'
      WHERE id IN (
        SELECT id FROM "File"
        WHERE (state = 'deleting')
           OR ("messageId" IS NULL AND state IN ('uploading', 'ready') AND "createdAt" < ${cutoff})
        LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (rows.length === 0) break;
    await purge(rows.map((r) => r.id));
    total += rows.length;
    if (rows.length < batch) break;
  }
  const store = storage();
  if (store instanceof DiskStorage) await store.sweepTemp(ttlMs);
  return total;
}

/** Starts the periodic sweep (server.ts); returns a stop function. */
export function startFileSweeper(everyMs = 10 * 60 * 1000): () => void {
  const run = () =>
    void sweepFiles()
      .then((n) => n > 0 && log.info({ removed: n }, "removed unsent or deleted uploads"))
      .catch((err) => log.warn({ err }, "file sweep failed"));
  const first = setTimeout(run, 30_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

export interface StorageStats {
  totalBytes: number;
  files: number;
  topUsers: { id: string; username: string; displayName: string; bytes: number; files: number }[];
}

/** For the admin console: what files take, in total and by the top users. */
export async function storageStats(top = 10): Promise<StorageStats> {
  const [totals] = await db().$queryRaw<{ bytes: bigint | null; files: bigint }[]>`
    SELECT sum("storedBytes")::bigint AS bytes, count(*)::bigint AS files FROM "File" WHERE state = 'ready'`;
  const users = await db().$queryRaw<
    { id: string; username: string; displayName: string; bytes: bigint; files: bigint }[]
  >(Prisma.sql`
    SELECT u.id, u.username, u."displayName", sum(f."storedBytes")::bigint AS bytes, count(*)::bigint AS files
    FROM "File" f JOIN "User" u ON u.id = f."uploaderId"
    WHERE f.state = 'ready'
    GROUP BY u.id ORDER BY bytes DESC LIMIT ${top}`);
  return {
    totalBytes: Number(totals?.bytes ?? 0n),
    files: Number(totals?.files ?? 0n),
    topUsers: users.map((u) => ({ ...u, bytes: Number(u.bytes), files: Number(u.files) })),
  };
}
