"use client";
// One room's live state for React: a RoomSync (lib/realtime/client/room-sync.ts holds every sync
// rule: join, catch-up, changes, gap repair, the ordered outbox and its retries) read through
// useSyncExternalStore, plus what only a tab has: the outbox in localStorage shared with the user's
// other tabs, and the window events that tell RoomSync about them.
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { MessagePage } from "@/lib/messages/messages.schema";
import { timelineFromPage } from "@/lib/messages/timeline";
import { localStorageOutbox, outboxKey } from "@/lib/realtime/client/outbox-store";
import { type OutboxItem, type RoomSnapshot, RoomSync } from "@/lib/realtime/client/room-sync";
import { getSocket } from "@/lib/realtime/client/socket";
import type { RoomRemoved } from "@/lib/realtime/events";

export type { OutboxItem };

const noSubscribe = () => () => {};

export function useRoomTimeline({
  roomId,
  userId,
  initialPage,
  initialRev,
  onRemoved,
}: {
  roomId: string;
  userId: string;
  initialPage: MessagePage;
  initialRev: number;
  onRemoved: (why?: RoomRemoved) => void;
}) {
  const removed = useRef(onRemoved);
  useEffect(() => {
    removed.current = onRemoved;
  }, [onRemoved]);
  // One RoomSync per mount (the page keys RoomView by room): the props it starts from are the
  // server-rendered page's. None on the server, which has no socket.
  const [sync] = useState(() =>
    typeof window === "undefined"
      ? null
      : new RoomSync({
          socket: getSocket(),
          roomId,
          userId,
          outboxStore: localStorageOutbox(userId, roomId),
          initialPage,
          initialRev,
          onRemoved: (why) => removed.current(why),
        }),
  );
  // What the server renders, and what hydration expects: the page, nothing queued (the outbox is
  // restored once mounted), connected. The same as a fresh RoomSync's first snapshot.
  const [rendered] = useState<RoomSnapshot>(() => ({
    timeline: timelineFromPage(initialPage),
    outbox: [],
    connected: true,
    synced: false,
    loadingOlder: false,
    loadingNewer: false,
  }));
  const snap = useSyncExternalStore(
    sync?.subscribe ?? noSubscribe,
    sync?.snapshot ?? (() => rendered),
    () => rendered,
  );

  useEffect(() => {
    if (!sync) return;
    const key = outboxKey(userId, roomId);
    // Another tab of this user and room changed the outbox: show it, send what is now ours.
    const onStorage = (e: StorageEvent) => {
      if (e.key === key) sync.outboxChanged();
    };
    // Closing or reloading (or leaving for the bfcache) releases this tab's unsent messages to the
    // others; back from the bfcache, look at what they did meanwhile.
    const onPageHide = () => sync.release();
    const onPageShow = () => sync.outboxChanged();
    window.addEventListener("storage", onStorage);
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);
    sync.start();
    return () => {
      window.removeEventListener("storage", onStorage);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      sync.dispose();
    };
  }, [sync, userId, roomId]);

  // Null only on the server, where no handler is ever called (no effects, no events).
  const api = sync ?? ({} as RoomSync);
  return {
    ...snap,
    send: api.send,
    retry: api.retry,
    discard: api.discard,
    edit: api.edit,
    remove: api.remove,
    react: api.react,
    pin: api.pin,
    loadOlder: api.loadOlder,
    loadNewer: api.loadNewer,
    reveal: api.reveal,
    jumpToLatest: api.jumpToLatest,
    markRead: api.markRead,
  };
}
