"use client";
// The one avatar: a user's profile picture, or their initials on a colour derived from their id
// (lib/users/avatar-style.ts) when they have none. `avatarUrl` null means "has none" (no request);
// undefined means "not known here" (member lists, DMs): the picture is asked for and the initials
// stay when there is none (404).
import { useState } from "react";
import { avatarColor, initials } from "@/lib/users/avatar-style";

export type AvatarPx = 20 | 24 | 32 | 40 | 64 | 96;

const BOX: Record<AvatarPx, string> = {
  20: "size-5 text-[0.55rem]",
  24: "size-6 text-[0.6rem]",
  32: "size-8 text-xs",
  40: "size-10 text-sm",
  64: "size-16 text-xl",
  96: "size-24 text-3xl",
};

/** The server's stored sizes: the smallest one that is sharp at twice the shown size. */
function storedSize(px: AvatarPx): 32 | 64 | 256 {
  return px * 2 <= 32 ? 32 : px * 2 <= 64 ? 64 : 256;
}

export function avatarSrc(userId: string, px: AvatarPx, avatarUrl: string | null | undefined): string | null {
  if (avatarUrl === null) return null;
  const size = storedSize(px);
  if (avatarUrl === undefined) return `/api/users/${encodeURIComponent(userId)}/avatar?size=${size}`;
  // The server's URL carries a version (&v=…) and a size: ask for the size this box needs.
  if (/[?&]size=\d+/.test(avatarUrl)) return avatarUrl.replace(/([?&]size=)\d+/, `$1${size}`);
  return `${avatarUrl}${avatarUrl.includes("?") ? "&" : "?"}size=${size}`;
}

export function Avatar({
  user,
  size = 32,
  className = "",
}: {
  user: { id: string; displayName: string; avatarUrl?: string | null };
  size?: AvatarPx;
  className?: string;
}) {
  const src = avatarSrc(user.id, size, user.avatarUrl);
  // Which src failed to load (none, deleted meanwhile): initials for that one, a new src tries again.
  const [failed, setFailed] = useState<string | null>(null);
  const box = `${BOX[size]} shrink-0 rounded-md`;
  if (src && failed !== src) {
    return (
      // biome-ignore lint/performance/noImgElement: a same-origin, access-checked picture; next/image would proxy it
      <img
        src={src}
        alt=""
        aria-hidden
        width={size}
        height={size}
        loading="lazy"
        decoding="async"
        data-testid="avatar-image"
        onError={() => setFailed(src)}
        // A server-rendered picture can fail before React listens for its error event (a 404 while
        // the page hydrates): check once it is attached, so the initials replace a broken image.
        ref={(img) => {
          if (img?.complete && img.naturalWidth === 0) setFailed(src);
        }}
        className={`${box} bg-zinc-200 object-cover dark:bg-zinc-800 ${className}`}
      />
    );
  }
  return (
    <span
      aria-hidden
      data-testid="avatar-initials"
      style={{ backgroundColor: avatarColor(user.id) }}
      className={`${box} grid place-items-center font-semibold leading-none text-white ring-1 ring-inset ring-black/5 dark:ring-white/10 ${className}`}
    >
      {initials(user.displayName)}
    </span>
  );
}
