// Files and avatars: the wire shapes shared by the server and the browser (no server imports here).
import { z } from "zod";

/** A stored file as every client sees it (in ChatMessage.files, the upload answer, the Files panel). */
export interface FileView {
  id: string;
  /** Display name (sanitized; never used as a path) */
  name: string;
  /** Bytes of the original */
  size: number;
  /** Content type sniffed from the bytes */
  type: string;
  /** "image": a raster image with ?size=thumb|preview variants; "file": a download card */
  kind: "image" | "file";
  width: number | null;
  height: number | null;
}

/** One row of GET /api/rooms/:id/files. */
export interface RoomFileView extends FileView {
  messageId: string;
  seq: number;
  createdAt: string;
  author: { id: string; username: string; displayName: string };
}

export interface RoomFilesPage {
  files: RoomFileView[];
  /** Pass as `before` for the next (older) page; null at the end */
  nextBefore: string | null;
}

/** Most files one message carries. */
export const MAX_FILES_PER_MESSAGE = 10;
/** Default per-file limit in MiB (MAX_UPLOAD_MB and the workspace setting change it). */
export const DEFAULT_MAX_UPLOAD_MB = 25;
/** Thumbnail and preview bounding boxes (px). */
export const THUMB_PX = 400;
export const PREVIEW_PX = 1600;
/** Avatar sizes (square px). */
export const AVATAR_SIZES = [32, 64, 256] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

export const fileIdSchema = z.uuid({ error: "Not a valid file id" });

export const fileIdsSchema = z
  .array(fileIdSchema, { error: "fileIds must be a list of file ids" })
  .max(MAX_FILES_PER_MESSAGE, `At most ${MAX_FILES_PER_MESSAGE} files per message`)
  .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, "A file is attached twice")
  .transform((ids) => ids.map((i) => i.toLowerCase()));

export const fileVariantSchema = z
  .enum(["original", "thumb", "preview"], { error: "size must be thumb or preview" })
  .default("original");
export type FileVariant = z.output<typeof fileVariantSchema>;

export const avatarSizeSchema = z.coerce
  .number({ error: "size must be 32, 64 or 256" })
  .refine(
    (n): n is AvatarSize => (AVATAR_SIZES as readonly number[]).includes(n),
    "size must be 32, 64 or 256",
  )
  .default(64);

/** The URL of a file (variant: thumb/preview for images). */
export function fileUrl(id: string, variant?: "thumb" | "preview", download = false): string {
  const q = new URLSearchParams();
  if (variant) q.set("size", variant);
  if (download) q.set("download", "1");
  const s = q.toString();
  return `/api/files/${id}${s ? `?${s}` : ""}`;
}

/** The URL of a user's avatar; `version` busts caches when it changes. */
export function avatarUrl(userId: string, version: number, size: AvatarSize = 64): string {
  return `/api/users/${userId}/avatar?size=${size}&v=${version}`;
}

/** "25 MB" style sizes for messages (MiB, as the limits are set). */
export function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
