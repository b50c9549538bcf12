"use client";
// A message author's avatar: a click opens the same profile card as the author's name (the name is
// the keyboard way to it, so the avatar stays out of the tab order and the accessibility tree).
import { Avatar } from "../../_components/avatar";

export function AvatarButton({
  author,
}: {
  author: { id: string; displayName: string; avatarUrl?: string | null };
}) {
  return (
    <button
      type="button"
      tabIndex={-1}
      aria-hidden
      className="block rounded-md"
      onClick={(e) =>
        e.currentTarget.closest("li")?.querySelector<HTMLButtonElement>("button[data-user-card]")?.click()
      }
    >
      <Avatar user={author} />
    </button>
  );
}
