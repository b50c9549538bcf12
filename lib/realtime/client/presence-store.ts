// The tab's one presence map: status by user id, for the dots next to DMs in the sidebar and next
// to message authors. Rooms are "watched" while something on screen shows their people: each watched
// room is asked for a snapshot (presence:list) now and on every reconnect, and the live
// presence:update / presence:batch events (which reach every socket that shares a room with the
// person) keep it current. A status that arrived live after a snapshot was asked for wins over it.
import type { PresenceStatus } from "@/lib/presence/presence";
import type { PresenceUpdate } from "../events";
import { type ClientSocket, onPresence, request } from "./socket";

export class PresenceStore {
  private statuses = new Map<string, PresenceStatus>();
  private listeners = new Set<() => void>();
  /** Watched rooms and how many watchers each has. */
  private rooms = new Map<string, number>();
  /** Users with a live update since each room's last snapshot was asked for. */
  private since = new Map<string, Set<string>>();
  private started = false;

  constructor(private readonly socket: ClientSocket) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  get(userId: string): PresenceStatus | undefined {
    return this.statuses.get(userId);
  }

  /** Keep the statuses of this room's members current; the returned function stops watching. */
  watchRoom(roomId: string): () => void {
    this.start();
    const n = this.rooms.get(roomId) ?? 0;
    this.rooms.set(roomId, n + 1);
    if (n === 0 && this.socket.connected) void this.snapshot(roomId);
    return () => {
      const left = (this.rooms.get(roomId) ?? 1) - 1;
      if (left > 0) this.rooms.set(roomId, left);
      else this.rooms.delete(roomId);
    };
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    onPresence(this.socket, (updates) => this.apply(updates, true));
    // After an outage the updates it missed are lost: ask again for every watched room.
    this.socket.on("connect", () => {
      for (const roomId of this.rooms.keys()) void this.snapshot(roomId);
    });
  }

  private async snapshot(roomId: string): Promise<void> {
    const live = new Set<string>();
    this.since.set(roomId, live);
    const res = await request(this.socket, "presence:list", { roomId });
    if (this.since.get(roomId) === live) this.since.delete(roomId);
    if (!res.ok) return;
    const updates = Object.entries(res.data)
      .filter(([userId]) => !live.has(userId))
      .map(([userId, status]) => ({ userId, status }));
    this.apply(updates, false);
  }

  private apply(updates: PresenceUpdate[], isLive: boolean): void {
    let changed = false;
    for (const u of updates) {
      if (isLive) for (const set of this.since.values()) set.add(u.userId);
      if (this.statuses.get(u.userId) === u.status) continue;
      this.statuses.set(u.userId, u.status);
      changed = true;
    }
    if (changed) for (const fn of this.listeners) fn();
  }
}

let store: PresenceStore | undefined;

/** The tab's presence store (on the tab's one socket). */
export function presenceStore(socket: ClientSocket): PresenceStore {
  if (!store) store = new PresenceStore(socket);
  return store;
}
