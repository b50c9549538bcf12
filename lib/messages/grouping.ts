// Which messages share one author row: the same author, within five minutes of the one above, and
// not a reply (a reply shows its quote under a row of its own). Confirmed messages and my queued
// ones (the outbox) follow the same rule, so a burst sent while offline reads as one group before
// and after it is delivered. Pure and browser-safe.

export const GROUP_MS = 5 * 60 * 1000;

export interface Groupable {
  authorId: string;
  /** ISO time: the server's for a stored message, the time it was queued for an unsent one. */
  createdAt: string;
  isReply: boolean;
  /** A webhook's message (its own name, icon and cards): never grouped with the one above or below. */
  standalone?: boolean;
}

/** True when `next` goes under `prev`'s author row (no row of its own). */
export function continuesGroup(prev: Groupable | undefined, next: Groupable): boolean {
  if (!prev || prev.authorId !== next.authorId || next.isReply || prev.standalone || next.standalone)
    return false;
  const gap = new Date(next.createdAt).getTime() - new Date(prev.createdAt).getTime();
  return gap >= 0 && gap < GROUP_MS;
}
