// The sidebar's live room list (unread counts, mention badges, DM order), without a framework. It
// follows the timeline's seq rules: a room's counts only move forward. The list the server answers
// (/api/sidebar on each connect, after a read, when a room is added or removed) is read at one
// moment; live events keep arriving while it is on its way, so it is merged by `lastSeq` and
// `lastReadSeq` and never replaces newer state with older (a fresh tab used to show 5 unread where
// the server said 6: the answer dropped a message:new that came while it was out).
import { type DraftView, isDraft } from "@/lib/drafts/drafts.schema";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { RoomUpdate } from "@/lib/rooms/moderation.schema";
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";
import { type ClientSocket, onNewMessages } from "./socket";

export interface SidebarSyncOptions {
  socket: ClientSocket;
  userId: string;
  /** The server-rendered list. */
  initial: readonly SidebarRoom[];
  /** The server's current list, or null when it could not be read (kept as is, tried again later). */
  fetchRooms: () => Promise<SidebarRoom[] | null>;
  /** A live message in one of my rooms, with the room as it was before it (for notifications). */
  onMessage?: (room: SidebarRoom, m: ChatMessage) => void;
  /** I was added to or removed from a room (the page may show it). */
  onMembershipChange?: () => void;
}

export class SidebarSync {
  private rooms: readonly SidebarRoom[];
  private readonly listeners = new Set<() => void>();
  /** Per room: seqs of live messages that mention me and are not read yet (see mergeRoom). */
  private readonly mentionSeqs = new Map<string, number[]>();
  private stopListening: (() => void) | null = null;
  /** draft:updated events seen so far, and per room the number of the last one with its value. */
  private draftEvents = 0;
  private readonly liveDrafts = new Map<string, { n: number; draft: boolean }>();

  constructor(private readonly opts: SidebarSyncOptions) {
    this.rooms = opts.initial;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): readonly SidebarRoom[] => this.rooms;

  private setRooms(next: readonly SidebarRoom[]): void {
    this.rooms = next;
    for (const l of this.listeners) l();
  }

  start(): void {
    if (this.stopListening) return;
    const { socket } = this.opts;
    const offMessages = onNewMessages(socket, (ms) => {
      for (const m of ms) this.onMessage(m);
    });
    const onRead = ({ roomId, lastReadSeq }: { roomId: string; lastReadSeq: number }) => {
      this.setRooms(this.rooms.map((r) => (r.id === roomId ? withRead(r, lastReadSeq) : r)));
      this.pruneMentions(roomId, lastReadSeq);
      void this.refresh();
    };
    const onMembership = () => {
      void this.refresh();
      this.opts.onMembershipChange?.();
    };
    const onMuted = ({ roomId, muted }: { roomId: string; muted: boolean }) =>
      this.setRooms(this.rooms.map((r) => (r.id === roomId ? { ...r, muted } : r)));
    // Renamed, archived or unarchived by a moderator.
    const onUpdated = (u: RoomUpdate) =>
      this.setRooms(
        this.rooms.map((r) =>
          r.id === u.roomId && r.kind === "channel" ? { ...r, name: u.name, archived: u.archived } : r,
        ),
      );
    // My draft in a room was saved or cleared, in this tab or on another device.
    const onDraft = (d: DraftView) => {
      const draft = isDraft(d.body);
      this.liveDrafts.set(d.roomId, { n: ++this.draftEvents, draft });
      this.setRooms(
        this.rooms.map((r) => (r.id === d.roomId && Boolean(r.draft) !== draft ? { ...r, draft } : r)),
      );
    };
    // After an outage (or on a fresh tab's first connect) counts may have moved.
    const onConnect = () => void this.refresh();
    socket.on("room:read", onRead);
    socket.on("room:added", onMembership);
    socket.on("room:removed", onMembership);
    socket.on("room:muted", onMuted);
    socket.on("room:updated", onUpdated);
    socket.on("draft:updated", onDraft);
    socket.on("connect", onConnect);
    this.stopListening = () => {
      offMessages();
      socket.off("room:read", onRead);
      socket.off("room:added", onMembership);
      socket.off("room:removed", onMembership);
      socket.off("room:muted", onMuted);
      socket.off("room:updated", onUpdated);
      socket.off("draft:updated", onDraft);
      socket.off("connect", onConnect);
    };
  }

  dispose(): void {
    this.stopListening?.();
    this.stopListening = null;
  }

  /** Ask the server for the list and merge its answer. */
  async refresh(): Promise<void> {
    const draftsSeen = this.draftEvents;
    const fetched = await this.opts.fetchRooms().catch(() => null);
    if (fetched) this.merge(fetched, draftsSeen);
  }

  /**
   * Take in a list the server read at some moment (an /api/sidebar answer, a re-rendered page): it
   * decides which rooms I am in; per room, the newer of its counts and ours wins.
   */
  merge(fetched: readonly SidebarRoom[], draftsSeen = this.draftEvents): void {
    const mine = new Map(this.rooms.map((r) => [r.id, r]));
    const merged = fetched.map((f) => {
      const local = mine.get(f.id);
      const room = local ? mergeRoom(local, f, this.mentionSeqs.get(f.id) ?? []) : f;
      // A draft saved or cleared while the answer was on its way is newer than what it says.
      const live = this.liveDrafts.get(f.id);
      return live && live.n > draftsSeen ? { ...room, draft: live.draft } : room;
    });
    const ids = new Set(fetched.map((f) => f.id));
    for (const id of this.mentionSeqs.keys()) if (!ids.has(id)) this.mentionSeqs.delete(id);
    for (const r of merged) this.pruneMentions(r.id, r.lastReadSeq);
    this.setRooms(sortRooms(merged));
  }

  private onMessage(m: ChatMessage): void {
    const room = this.rooms.find((r) => r.id === m.roomId);
    if (!room) return;
    if (m.seq > room.lastSeq) {
      const mine = m.author.id === this.opts.userId;
      const lastReadSeq = mine ? m.seq : room.lastReadSeq;
      const mentioned = !mine && m.mentions.includes(this.opts.userId);
      if (mentioned) this.mentionSeqs.set(room.id, [...(this.mentionSeqs.get(room.id) ?? []), m.seq]);
      const next: SidebarRoom = {
        ...room,
        lastSeq: m.seq,
        lastReadSeq,
        unread: m.seq - lastReadSeq,
        mentions: room.mentions + (mentioned ? 1 : 0),
        lastMessageAt: m.createdAt,
      };
      this.setRooms(sortRooms(this.rooms.map((r) => (r.id === room.id ? next : r))));
    }
    this.opts.onMessage?.(room, m);
  }

  private pruneMentions(roomId: string, lastReadSeq: number): void {
    const seqs = this.mentionSeqs.get(roomId);
    if (!seqs) return;
    const left = seqs.filter((s) => s > lastReadSeq);
    if (left.length > 0) this.mentionSeqs.set(roomId, left);
    else this.mentionSeqs.delete(roomId);
  }
}

/** My read marker moved to `lastReadSeq` (never back). */
function withRead(r: SidebarRoom, lastReadSeq: number): SidebarRoom {
  if (lastReadSeq < r.lastReadSeq) return r;
  return {
    ...r,
    lastReadSeq,
    unread: Math.max(0, r.lastSeq - lastReadSeq),
    mentions: lastReadSeq >= r.lastSeq ? 0 : r.mentions,
  };
}

/**
 * One room: ours (`local`, moved by live events) and the server's (`fetched`, read at some moment,
 * possibly before events we already applied). `lastSeq` and `lastReadSeq` only grow; unread follows
 * from them. Mentions: the server's count up to its `lastSeq`, plus the live mentions we saw after
 * it (`liveMentions`: seqs); when our read marker is newer than the answer's, its count includes
 * mentions we know are read, so ours stands.
 */
export function mergeRoom(
  local: SidebarRoom,
  fetched: SidebarRoom,
  liveMentions: readonly number[],
): SidebarRoom {
  const lastSeq = Math.max(local.lastSeq, fetched.lastSeq);
  const lastReadSeq = Math.max(local.lastReadSeq, fetched.lastReadSeq);
  const mentions =
    lastReadSeq >= lastSeq
      ? 0
      : local.lastReadSeq > fetched.lastReadSeq
        ? local.mentions
        : fetched.mentions + liveMentions.filter((s) => s > fetched.lastSeq && s > lastReadSeq).length;
  return {
    ...fetched,
    lastSeq,
    lastReadSeq,
    unread: Math.max(0, lastSeq - lastReadSeq),
    mentions,
    lastMessageAt: local.lastSeq > fetched.lastSeq ? local.lastMessageAt : fetched.lastMessageAt,
  };
}

/** Channels in the server's order (by name), then DMs by latest activity. */
export function sortRooms(rooms: readonly SidebarRoom[]): SidebarRoom[] {
  const channels = rooms.filter((r) => r.kind === "channel");
  const dms = rooms
    .filter((r) => r.kind === "dm")
    .sort((a, b) => (b.lastMessageAt ?? "").localeCompare(a.lastMessageAt ?? ""));
  return [...channels, ...dms];
}
