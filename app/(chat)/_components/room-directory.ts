"use client";
// The sidebar's live room list as the keyboard sees it: sidebar order (rooms, then DMs), unread
// counts, and the rooms visited most recently (kept in localStorage for the quick switcher).
// SidebarRooms publishes every new list here; shortcuts and the quick switcher read it.
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";

let rooms: readonly SidebarRoom[] = [];
const RECENT_KEY = "beacon:recent-rooms";
const RECENT_MAX = 20;

export function publishRooms(list: readonly SidebarRoom[]): void {
  rooms = list;
}

/** Rooms in the sidebar's order: channels first, then direct messages. */
export function sidebarOrder(): SidebarRoom[] {
  return [...rooms.filter((r) => r.kind === "channel"), ...rooms.filter((r) => r.kind === "dm")];
}

/**
 * The room `step` places before (-1) or after (+1) `currentId` in sidebar order, wrapping around;
 * `unreadOnly` skips rooms with nothing unread. Null when there is none.
 */
export function neighbourRoom(
  currentId: string | null,
  step: 1 | -1,
  unreadOnly: boolean,
): SidebarRoom | null {
  const list = sidebarOrder();
  if (list.length === 0) return null;
  const at = currentId ? list.findIndex((r) => r.id === currentId) : -1;
  const n = list.length;
  const base = at !== -1 ? at : step === 1 ? -1 : n;
  for (let k = 1; k <= n; k++) {
    const i = (((base + step * k) % n) + n) % n;
    const r = list[i] as SidebarRoom;
    if (r.id === currentId) continue;
    if (!unreadOnly || r.unread > 0) return r;
  }
  return null;
}

export function recentRoomIds(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function rememberVisit(roomId: string): void {
  try {
    const next = [roomId, ...recentRoomIds().filter((id) => id !== roomId)].slice(0, RECENT_MAX);
    localStorage.setItem(RECENT_KEY, JSON.stringify(next));
  } catch {
    // storage full or blocked: the switcher just shows sidebar order
  }
}
