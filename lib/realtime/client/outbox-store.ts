// Where a room's outbox lives (lib/messages/outbox.ts has the rules): in a tab, one localStorage
// entry per user and room, shared by all of that user's tabs and kept across reloads; in a test
// client (or anything without storage), this process's memory.
import type { OutboxStore } from "@/lib/messages/outbox";

/** The localStorage entry shared by this user's tabs in this room. */
export function localStorageOutbox(userId: string, roomId: string): OutboxStore {
  const key = outboxKey(userId, roomId);
  return {
    read: () => localStorage.getItem(key),
    write: (value) => (value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value)),
  };
}

export function outboxKey(userId: string, roomId: string): string {
  return `beacon.outbox.${userId}.${roomId}`;
}

/** An outbox held by this process only (nothing survives it; no other tab shares it). */
export function memoryOutbox(): OutboxStore {
  let value: string | null = null;
  return {
    read: () => value,
    write: (next) => {
      value = next;
    },
  };
}
