// Profile pictures: uploaded once, cropped to a centred square in three sizes (sharp), stored with the
// files' storage under keys that carry a version, so every change is a new URL (no stale caches).
import { Readable } from "node:stream";
import { db } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/users.schema";
import { AVATAR_SIZES, type AvatarSize, avatarSizeSchema, avatarUrl, formatMb } from "./files.schema";
import { processAvatar, RASTER_TYPES, sniffType } from "./images";
import { avatarKey, StorageLimitError, storage } from "./storage";

type Actor = Pick<SessionUser, "id">;

/** Largest picture accepted (it is scaled down to 256 px anyway). */
export const MAX_AVATAR_BYTES = 10 * 1024 * 1024;

async function readCapped(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > maxBytes) throw new StorageLimitError(maxBytes);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

async function removeVersion(userId: string, version: number): Promise<void> {
  await Promise.all(
    AVATAR_SIZES.map((s) =>
      storage()
        .delete(avatarKey(userId, version, s))
        .catch(() => {}),
    ),
  );
}

/** Sets the actor's picture from an uploaded image; returns its URL. */
export async function setAvatar(actor: Actor, body: NodeJS.ReadableStream): Promise<{ avatarUrl: string }> {
  let input: Buffer;
  try {
    input = await readCapped(body, MAX_AVATAR_BYTES);
  } catch (err) {
    if (err instanceof StorageLimitError)
      throw new AppError(
        "payload_too_large",
        `A profile picture can be at most ${formatMb(MAX_AVATAR_BYTES)}`,
      );
    throw err;
  }
  const type = await sniffType(input.subarray(0, 4100));
  if (!RASTER_TYPES.has(type))
    throw new AppError("validation", "Choose a PNG, JPEG, GIF, WebP or AVIF image", {
      fields: { file: ["Not a supported image"] },
    });
  const sizes = await processAvatar(input).catch(() => {
    throw new AppError("validation", "This image could not be read", {
      fields: { file: ["Not a readable image"] },
    });
  });
  const user = await db().user.findUnique({
    where: { id: actor.id },
    select: { avatarVersion: true, avatarKey: true },
  });
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  const version = user.avatarVersion + 1;
  const store = storage();
  for (const size of AVATAR_SIZES) {
    const bytes = sizes[size];
    await store.put(avatarKey(actor.id, version, size), Readable.from([bytes]), {
      maxBytes: bytes.length,
    });
  }
  await db().user.update({
    where: { id: actor.id },
    data: { avatarVersion: version, avatarKey: `avatars/${actor.id}-${version}` },
  });
  if (user.avatarKey) await removeVersion(actor.id, user.avatarVersion);
  return { avatarUrl: avatarUrl(actor.id, version) };
}

/** Removes the actor's picture (initials are shown again). */
export async function removeAvatar(actor: Actor): Promise<void> {
  const user = await db().user.findUnique({
    where: { id: actor.id },
    select: { avatarVersion: true, avatarKey: true },
  });
  if (!user?.avatarKey) return;
  await db().user.update({
    where: { id: actor.id },
    data: { avatarKey: null, avatarVersion: user.avatarVersion + 1 },
  });
  await removeVersion(actor.id, user.avatarVersion);
}

/** Any signed-in user may see anyone's picture; not_found when they have none. */
export async function avatarForViewer(
  _actor: Actor,
  input: { userId: unknown; size?: unknown },
): Promise<{ key: string; etag: string; size: AvatarSize }> {
  const size = parseOrThrow(avatarSizeSchema, input.size ?? undefined) as AvatarSize;
  const id =
    typeof input.userId === "string" && /^[0-9a-f-]{36}$/i.test(input.userId)
      ? input.userId.toLowerCase()
      : null;
  const user = id
    ? await db().user.findUnique({ where: { id }, select: { avatarKey: true, avatarVersion: true } })
    : null;
  if (!id || !user?.avatarKey) throw new AppError("not_found", "This person has no profile picture");
  return {
    key: avatarKey(id, user.avatarVersion, size),
    etag: `"${id}-${user.avatarVersion}-${size}"`,
    size,
  };
}
