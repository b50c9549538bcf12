"use client";
// Live state of one room: SSR page → join channel → fetch the gap (new messages by seq, changed ones
// by rev) → live events; the same catch-up on every reconnect and on any seq gap; an outbox that
// sends in order, survives reloads and retries with the same clientId (ARCHITECTURE §2). A window
// opened around an old message pages forward to the present before it follows live messages.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import { browserOutboxStore, type OutboxItem, outboxKey, SharedOutbox } from "@/lib/messages/outbox";
import {
  applyUpdate,
  mergeMessages,
  mergeNewer,
  mergeOlder,
  receiveMessages,
  syncedRevAfterUpdate,
  type Timeline,
  timelineFromPage,
} from "@/lib/messages/timeline";
import { isPermanentError, type RetryLoop, retryLoop } from "@/lib/realtime/backoff";
import { getSocket, onNewMessages, type PayloadOf, request, whenConnected } from "@/lib/realtime/client";
import type { Ack } from "@/lib/realtime/events";
import { uuid } from "@/lib/uuid";

export type { OutboxItem };

const SEND_TIMEOUT_MS = 10_000;
const AUTO_RETRIES = 3;

/**
 * A history page the reader asked for (older, newer, around a message, latest). It is a read: on a
 * page that is still connecting it waits for the socket instead of failing with "offline".
 */
async function listPage(payload: PayloadOf<"message:list">) {
  const socket = getSocket();
  await whenConnected(socket);
  return request(socket, "message:list", payload);
}

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
  onRemoved: () => void;
}) {
  const tl = useRef<Timeline>(timelineFromPage(initialPage));
  const syncedRev = useRef(initialRev);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [connected, setConnected] = useState(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadingNewer, setLoadingNewer] = useState(false);
  const [olderError, setOlderError] = useState<string>();
  /** Why this room cannot be followed live (a room:join refused for good), for the UI. */
  const [syncError, setSyncError] = useState<string>();
  const catchingUp = useRef<Promise<boolean> | null>(null);
  const catchUpAgain = useRef(false);
  const flushing = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const attempts = useRef(new Map<string, number>());
  // The outbox entry shared by this user's tabs in this room (see lib/messages/outbox.ts for the rule).
  const storageKey = outboxKey(userId, roomId);
  const outbox = useMemo(() => new SharedOutbox(browserOutboxStore(storageKey), uuid()), [storageKey]);

  const setTimeline = useCallback((next: Timeline) => {
    if (next === tl.current) return;
    tl.current = next;
    rerender();
  }, []);

  /** Stored messages are no longer queued: drop mine from the outbox (every tab's copy). */
  const settle = useCallback(
    (messages: ChatMessage[]) => {
      const mine = messages.filter((m) => m.author.id === userId).map((m) => m.clientId);
      if (mine.length > 0 && outbox.remove(mine)) rerender();
    },
    [userId, outbox],
  );

  /** A fetched page (catch-up): contiguous with the window by construction. */
  const add = useCallback(
    (messages: ChatMessage[]) => {
      settle(messages);
      setTimeline(mergeMessages(tl.current, messages));
    },
    [settle, setTimeline],
  );

  /** Retries the room's sync after a failed catch-up (set while the room's effect is mounted). */
  const scheduleResync = useRef<(() => void) | null>(null);

  /**
   * Fetch everything after the last contiguous seq we hold (not in a window into the past). False
   * when a request failed (offline, timeout, server error): the caller retries.
   */
  const catchUp = useCallback((): Promise<boolean> => {
    if (catchingUp.current) {
      catchUpAgain.current = true;
      return catchingUp.current;
    }
    const run = async () => {
      const socket = getSocket();
      do {
        catchUpAgain.current = false;
        for (;;) {
          if (tl.current.hasNewer) return true;
          const res = await request(socket, "message:list", {
            roomId,
            after: tl.current.through,
            limit: 100,
          });
          if (!res.ok) return false;
          add(res.data.messages);
          if (!res.data.hasMore) break;
        }
      } while (catchUpAgain.current);
      return true;
    };
    catchingUp.current = run().finally(() => {
      catchingUp.current = null;
    });
    return catchingUp.current;
  }, [roomId, add]);

  /**
   * A catch-up outside the room's sync loop (a live gap, the end of paging forward, jump to latest):
   * if it fails, the loop retries the sync with backoff, as a quiet room has no later event to.
   */
  const catchUpOrRetry = useCallback(() => {
    void catchUp().then((ok) => {
      if (!ok) scheduleResync.current?.();
    });
  }, [catchUp]);

  /**
   * Live messages and send acks (protocol rule 4, per message): an old one outside the window (a
   * retried send's ack) never extends it; one that skips ahead fetches the gap.
   */
  const receive = useCallback(
    (messages: ChatMessage[], opts: { keepAhead?: boolean } = {}) => {
      settle(messages);
      const r = receiveMessages(tl.current, messages, opts);
      setTimeline(r.timeline);
      if (r.gap) catchUpOrRetry();
    },
    [settle, setTimeline, catchUpOrRetry],
  );

  /** Fetch edits, deletes and reaction changes to loaded messages made while we were away. */
  const syncChanges = useCallback(
    async (roomRev: number): Promise<boolean> => {
      const t = tl.current;
      if (t.oldest === null) {
        syncedRev.current = Math.max(syncedRev.current, roomRev);
        return true;
      }
      const range = { fromSeq: t.oldest, toSeq: t.through };
      for (;;) {
        const sinceRev = syncedRev.current;
        const res = await request(getSocket(), "message:changes", { roomId, sinceRev, ...range });
        if (!res.ok) return false;
        let next = tl.current;
        for (const m of res.data.messages) next = applyUpdate(next, m);
        setTimeline(next);
        // Page by page: a failure later resumes after what is applied. `rev` is the cursor.
        syncedRev.current = Math.max(syncedRev.current, res.data.rev);
        if (!res.data.hasMore) break;
        if (res.data.rev <= sinceRev) return false; // a cursor that does not move: retry later
      }
      syncedRev.current = Math.max(syncedRev.current, roomRev);
      return true;
    },
    [roomId, setTimeline],
  );

  /** Send the queued messages one at a time, in order, while connected (lib/messages/outbox.ts: which). */
  const flush = useCallback(async () => {
    if (flushing.current) return;
    flushing.current = true;
    clearTimeout(retryTimer.current);
    const socket = getSocket();
    try {
      outbox.refresh();
      for (;;) {
        const { item: next, waitMs } = outbox.nextToSend();
        if (!socket.connected) return;
        if (!next) {
          // Another tab's recent message comes first: its tab sends it; look again when it is due.
          if (waitMs !== undefined) retryTimer.current = setTimeout(() => void flush(), waitMs);
          return;
        }
        const res = await request(
          socket,
          "message:send",
          {
            roomId,
            clientId: next.clientId,
            body: next.body,
            ...(next.replyToId ? { replyToId: next.replyToId } : {}),
          },
          SEND_TIMEOUT_MS,
        );
        if (res.ok) {
          attempts.current.delete(next.clientId);
          receive([res.data], { keepAhead: true });
          continue;
        }
        // Acked or discarded meanwhile (here or in another tab): nothing left to retry.
        const item = outbox.get(next.clientId);
        if (!item) continue;
        if (
          res.error.code === "unavailable" ||
          res.error.code === "internal" ||
          res.error.code === "rate_limited"
        ) {
          // Transient: keep order, try again shortly (same clientId, so never a duplicate).
          const n = (attempts.current.get(item.clientId) ?? 0) + 1;
          attempts.current.set(item.clientId, n);
          if (res.error.code === "rate_limited") {
            // Say why it waits, then send it (same clientId) when the limit allows.
            item.error = res.error.message;
            rerender();
            retryTimer.current = setTimeout(() => {
              item.error = undefined;
              void flush();
            }, res.error.retryAfterMs ?? 1000);
            return;
          }
          if (n < AUTO_RETRIES || !socket.connected) {
            retryTimer.current = setTimeout(() => void flush(), res.error.retryAfterMs ?? 1000 * n);
            return;
          }
        }
        outbox.fail(item.clientId, res.error.message);
        attempts.current.delete(item.clientId);
        rerender();
      }
    } finally {
      flushing.current = false;
    }
  }, [roomId, receive, outbox]);

  const send = useCallback(
    (body: string, replyToId?: string) => {
      outbox.add({ clientId: uuid(), body, replyToId, createdAt: new Date().toISOString() });
      rerender();
      void flush();
    },
    [flush, outbox],
  );

  const retry = useCallback(
    (clientId: string) => {
      if (!outbox.retry(clientId)) return;
      rerender();
      void flush();
    },
    [flush, outbox],
  );

  const discard = useCallback(
    (clientId: string) => {
      outbox.remove([clientId], "discarded");
      rerender();
    },
    [outbox],
  );

  /** edit / delete / react: apply the server's answer, or return its error message. */
  const mutate = useCallback(
    async (res: Promise<Ack<ChatMessage>>): Promise<string | undefined> => {
      const r = await res;
      if (!r.ok) return r.error.message;
      setTimeline(applyUpdate(tl.current, r.data));
      return undefined;
    },
    [setTimeline],
  );
  const edit = useCallback(
    (messageId: string, body: string) =>
      mutate(request(getSocket(), "message:edit", { roomId, messageId, body })),
    [roomId, mutate],
  );
  const remove = useCallback(
    (messageId: string) => mutate(request(getSocket(), "message:delete", { roomId, messageId })),
    [roomId, mutate],
  );
  const react = useCallback(
    (messageId: string, emoji: string) =>
      mutate(request(getSocket(), "reaction:toggle", { roomId, messageId, emoji })),
    [roomId, mutate],
  );

  const loadOlder = useCallback(async () => {
    const t = tl.current;
    if (!t.hasOlder || loadingOlder || t.oldest === null) return;
    setLoadingOlder(true);
    setOlderError(undefined);
    const res = await listPage({ roomId, before: t.oldest, limit: 50 });
    setLoadingOlder(false);
    if (!res.ok) return setOlderError(res.error.message);
    setTimeline(mergeOlder(tl.current, res.data));
  }, [roomId, loadingOlder, setTimeline]);

  /** In a window into the past: load the next page towards the present. */
  const loadNewer = useCallback(async () => {
    if (!tl.current.hasNewer || loadingNewer) return;
    setLoadingNewer(true);
    const res = await listPage({ roomId, after: tl.current.through, limit: 100 });
    setLoadingNewer(false);
    if (!res.ok) return;
    setTimeline(mergeNewer(tl.current, res.data));
    if (!tl.current.hasNewer) catchUpOrRetry();
  }, [roomId, loadingNewer, setTimeline, catchUpOrRetry]);

  /** Make sure `seq` is loaded (opening a window around it if needed). */
  const reveal = useCallback(
    async (seq: number): Promise<boolean> => {
      if (tl.current.bySeq.has(seq)) return true;
      const res = await listPage({ roomId, around: seq, limit: 50 });
      if (!res.ok) return false;
      setTimeline(timelineFromPage(res.data));
      return tl.current.bySeq.has(seq);
    },
    [roomId, setTimeline],
  );

  const jumpToLatest = useCallback(async () => {
    const res = await listPage({ roomId, limit: 50 });
    if (!res.ok) return;
    setTimeline(timelineFromPage(res.data));
    catchUpOrRetry();
  }, [roomId, setTimeline, catchUpOrRetry]);

  const markRead = useCallback(
    (seq: number) => {
      const socket = getSocket();
      if (socket.connected) socket.emit("room:read", { roomId, seq }, () => {});
    },
    [roomId],
  );

  useEffect(() => {
    const socket = getSocket();
    // Restore what was typed but not confirmed before a reload, minus what the page already shows.
    const shown = new Set(
      [...tl.current.bySeq.values()].filter((m) => m.author.id === userId).map((m) => m.clientId),
    );
    outbox.load(shown);
    if (outbox.items.length > 0) rerender();
    // Another tab of this user and room changed the outbox (queued, sent, discarded or released an
    // item): show it, and send what is now this tab's to send.
    const onStorage = (e: StorageEvent) => {
      if (e.key !== storageKey) return;
      outbox.refresh();
      rerender();
      void flush();
    };
    // Closing or reloading (or leaving for the bfcache): other tabs, or this page once reloaded, may
    // send this tab's unsent messages at once instead of after FOREIGN_SEND_AFTER_MS. Back: resume.
    const onPageHide = () => outbox.release();
    const onPageShow = () => {
      outbox.refresh();
      rerender();
      void flush();
    };
    window.addEventListener("storage", onStorage);
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);

    // join → catch up → changes, retried with backoff while connected until it all succeeds (a
    // timeout in a reconnect storm, a server error): a quiet room has no later event to retry it.
    // Stops on unmount, room change, disconnect (the next connect starts over), or a refusal that
    // retrying cannot fix (not_found: the room is gone for us; validation, forbidden, unauthorized:
    // shown, and tried again only on the next connect).
    const sync: RetryLoop = retryLoop({
      canRetry: () => socket.connected,
      attempt: async () => {
        const joined = await request(socket, "room:join", { roomId });
        if (!sync.active) return "stop";
        if (!joined.ok) {
          if (!isPermanentError(joined.error.code)) return "retry";
          if (joined.error.code === "not_found") onRemoved();
          else setSyncError(joined.error.message);
          return "stop";
        }
        setSyncError(undefined);
        if (!(await catchUp())) return "retry";
        if (!sync.active) return "stop";
        return (await syncChanges(joined.data.room.rev)) ? "done" : "retry";
      },
    });
    scheduleResync.current = sync.retrySoon;

    const onConnect = () => {
      setConnected(true);
      // Sends need membership, not room:join: every socket follows its rooms from the handshake.
      void flush();
      sync.start();
    };
    const onDisconnect = () => {
      setConnected(false);
      sync.pause();
    };
    const onMessages = (all: ChatMessage[]) => {
      const ms = all.filter((m) => m.roomId === roomId);
      if (ms.length === 0 || tl.current.hasNewer) return;
      receive(ms);
    };
    const onUpdate = (m: ChatMessage) => {
      if (m.roomId !== roomId) return;
      setTimeline(applyUpdate(tl.current, m));
      // Only message:changes may skip revs (a reconnect's live updates come before its catch-up).
      syncedRev.current = syncedRevAfterUpdate(syncedRev.current, tl.current, m);
    };
    const onRemovedEvent = ({ roomId: id }: { roomId: string }) => {
      if (id === roomId) onRemoved();
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    const offMessages = onNewMessages(socket, onMessages);
    socket.on("message:updated", onUpdate);
    socket.on("message:deleted", onUpdate);
    socket.on("room:removed", onRemovedEvent);
    if (socket.connected) onConnect();
    else {
      setConnected(false);
      socket.connect();
    }
    return () => {
      window.removeEventListener("storage", onStorage);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      outbox.release();
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      offMessages();
      socket.off("message:updated", onUpdate);
      socket.off("message:deleted", onUpdate);
      socket.off("room:removed", onRemovedEvent);
      clearTimeout(retryTimer.current);
      sync.dispose();
      scheduleResync.current = null;
      if (socket.connected) void request(socket, "room:leave", { roomId });
    };
  }, [roomId, userId, storageKey, outbox, receive, catchUp, syncChanges, flush, onRemoved, setTimeline]);

  return {
    timeline: tl.current,
    outbox: outbox.items,
    connected,
    loadingOlder,
    loadingNewer,
    olderError,
    syncError,
    send,
    retry,
    discard,
    edit,
    remove,
    react,
    loadOlder,
    loadNewer,
    reveal,
    jumpToLatest,
    markRead,
  };
}
