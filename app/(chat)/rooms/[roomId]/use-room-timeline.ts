"use client";
// Live state of one room: SSR page → join channel → fetch the gap → live messages; catch-up by seq on
// every reconnect and on any seq gap; an outbox that sends in order, survives reloads and retries
// with the same clientId (ARCHITECTURE §2).
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import {
  hasGapBefore,
  mergeMessages,
  mergeOlder,
  type Timeline,
  timelineFromPage,
} from "@/lib/messages/timeline";
import { getSocket, request } from "@/lib/realtime/client";
import { uuid } from "@/lib/uuid";

export interface OutboxItem {
  clientId: string;
  body: string;
  createdAt: string;
  status: "pending" | "failed";
  error?: string;
}

const SEND_TIMEOUT_MS = 10_000;
const AUTO_RETRIES = 3;

function outboxKey(userId: string, roomId: string) {
  return `beacon.outbox.${userId}.${roomId}`;
}

function loadOutbox(key: string): OutboxItem[] {
  try {
    const raw = localStorage.getItem(key);
    const items = raw ? (JSON.parse(raw) as OutboxItem[]) : [];
    return Array.isArray(items)
      ? items.filter((i) => typeof i?.clientId === "string" && typeof i.body === "string")
      : [];
  } catch {
    return [];
  }
}

export function useRoomTimeline({
  roomId,
  userId,
  initialPage,
  onRemoved,
}: {
  roomId: string;
  userId: string;
  initialPage: MessagePage;
  onRemoved: () => void;
}) {
  const tl = useRef<Timeline>(timelineFromPage(initialPage));
  const outbox = useRef<OutboxItem[]>([]);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [connected, setConnected] = useState(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string>();
  const catchingUp = useRef<Promise<void> | null>(null);
  const catchUpAgain = useRef(false);
  const flushing = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const attempts = useRef(new Map<string, number>());
  const storageKey = outboxKey(userId, roomId);

  const saveOutbox = useCallback(() => {
    try {
      if (outbox.current.length === 0) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify(outbox.current));
    } catch {
      // storage full or disabled: the in-memory outbox still works
    }
  }, [storageKey]);

  const add = useCallback(
    (messages: ChatMessage[]) => {
      const next = mergeMessages(tl.current, messages);
      const mine = new Set(messages.filter((m) => m.author.id === userId).map((m) => m.clientId));
      const before = outbox.current.length;
      if (mine.size > 0) outbox.current = outbox.current.filter((i) => !mine.has(i.clientId));
      if (outbox.current.length !== before) saveOutbox();
      if (next !== tl.current || outbox.current.length !== before) {
        tl.current = next;
        rerender();
      }
    },
    [userId, saveOutbox],
  );

  /** Fetch everything after the last contiguous seq we hold, page by page. */
  const catchUp = useCallback((): Promise<void> => {
    if (catchingUp.current) {
      catchUpAgain.current = true;
      return catchingUp.current;
    }
    const run = async () => {
      const socket = getSocket();
      do {
        catchUpAgain.current = false;
        for (;;) {
          const res = await request(socket, "message:list", {
            roomId,
            after: tl.current.through,
            limit: 100,
          });
          if (!res.ok) return; // offline or failed: the next reconnect or gap tries again
          add(res.data.messages);
          if (!res.data.hasMore) break;
        }
      } while (catchUpAgain.current);
    };
    catchingUp.current = run().finally(() => {
      catchingUp.current = null;
    });
    return catchingUp.current;
  }, [roomId, add]);

  /** Send queued messages one at a time, in order, while connected. */
  const flush = useCallback(async () => {
    if (flushing.current) return;
    flushing.current = true;
    clearTimeout(retryTimer.current);
    const socket = getSocket();
    try {
      for (;;) {
        const item = outbox.current.find((i) => i.status === "pending");
        if (!item || !socket.connected) return;
        const res = await request(
          socket,
          "message:send",
          { roomId, clientId: item.clientId, body: item.body },
          SEND_TIMEOUT_MS,
        );
        if (res.ok) {
          attempts.current.delete(item.clientId);
          add([res.data]);
          continue;
        }
        if (
          res.error.code === "unavailable" ||
          res.error.code === "internal" ||
          res.error.code === "rate_limited"
        ) {
          // Transient: keep order, try again shortly (same clientId, so never a duplicate).
          const n = (attempts.current.get(item.clientId) ?? 0) + 1;
          attempts.current.set(item.clientId, n);
          if (n < AUTO_RETRIES || !socket.connected) {
            retryTimer.current = setTimeout(() => void flush(), res.error.retryAfterMs ?? 1000 * n);
            return;
          }
        }
        item.status = "failed";
        item.error = res.error.message;
        attempts.current.delete(item.clientId);
        saveOutbox();
        rerender();
      }
    } finally {
      flushing.current = false;
    }
  }, [roomId, add, saveOutbox]);

  const send = useCallback(
    (body: string) => {
      outbox.current = [
        ...outbox.current,
        { clientId: uuid(), body, createdAt: new Date().toISOString(), status: "pending" },
      ];
      saveOutbox();
      rerender();
      void flush();
    },
    [flush, saveOutbox],
  );

  const retry = useCallback(
    (clientId: string) => {
      const item = outbox.current.find((i) => i.clientId === clientId);
      if (!item) return;
      item.status = "pending";
      item.error = undefined;
      saveOutbox();
      rerender();
      void flush();
    },
    [flush, saveOutbox],
  );

  const discard = useCallback(
    (clientId: string) => {
      outbox.current = outbox.current.filter((i) => i.clientId !== clientId);
      saveOutbox();
      rerender();
    },
    [saveOutbox],
  );

  const loadOlder = useCallback(async () => {
    const t = tl.current;
    if (!t.hasOlder || loadingOlder || t.oldest === null) return;
    setLoadingOlder(true);
    setOlderError(undefined);
    const res = await request(getSocket(), "message:list", { roomId, before: t.oldest, limit: 50 });
    setLoadingOlder(false);
    if (!res.ok) return setOlderError(res.error.message);
    tl.current = mergeOlder(tl.current, res.data);
    rerender();
  }, [roomId, loadingOlder]);

  useEffect(() => {
    const socket = getSocket();
    // Restore what was typed but not confirmed before a reload, minus what the page already shows.
    const shown = new Set(
      [...tl.current.bySeq.values()].filter((m) => m.author.id === userId).map((m) => m.clientId),
    );
    const stored = loadOutbox(storageKey).filter((i) => !shown.has(i.clientId));
    const known = new Set(stored.map((i) => i.clientId));
    outbox.current = [...stored, ...outbox.current.filter((i) => !known.has(i.clientId))];
    saveOutbox();
    if (outbox.current.length > 0) rerender();

    const onConnect = async () => {
      setConnected(true);
      const joined = await request(socket, "room:join", { roomId });
      if (!joined.ok) {
        if (joined.error.code === "not_found") onRemoved();
        return;
      }
      await catchUp();
      void flush();
    };
    const onDisconnect = () => setConnected(false);
    const onMessage = (m: ChatMessage) => {
      if (m.roomId !== roomId) return;
      if (hasGapBefore(tl.current, m.seq)) void catchUp();
      else add([m]);
    };
    const onRemovedEvent = ({ roomId: id }: { roomId: string }) => {
      if (id === roomId) onRemoved();
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("message:new", onMessage);
    socket.on("room:removed", onRemovedEvent);
    if (socket.connected) void onConnect();
    else {
      setConnected(false);
      socket.connect();
    }
    return () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("message:new", onMessage);
      socket.off("room:removed", onRemovedEvent);
      clearTimeout(retryTimer.current);
      if (socket.connected) void request(socket, "room:leave", { roomId });
    };
  }, [roomId, userId, storageKey, add, catchUp, flush, onRemoved, saveOutbox]);

  return {
    timeline: tl.current,
    outbox: outbox.current,
    connected,
    loadingOlder,
    olderError,
    send,
    retry,
    discard,
    loadOlder,
  };
}
