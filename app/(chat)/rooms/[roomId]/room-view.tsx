"use client";
// The room screen: header, scrollback (older pages on scroll-up, "new messages" jump), composer.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { MessagePage } from "@/lib/messages/messages.schema";
import { newestSeq, orderedMessages } from "@/lib/messages/timeline";
import type { RoomView as Room } from "@/lib/rooms/rooms.schema";
import type { SessionUser } from "@/lib/users/users.schema";
import { JoinButton } from "../../_components/join-button";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { RoomHeader } from "./room-header";
import { useRoomTimeline } from "./use-room-timeline";
import { useTyping } from "./use-typing";

const NEAR_BOTTOM_PX = 48;

export function RoomView({
  room,
  user,
  initialPage,
}: {
  room: Room;
  user: SessionUser;
  initialPage: MessagePage;
}) {
  const router = useRouter();
  const onRemoved = useCallback(() => router.refresh(), [router]);
  const t = useRoomTimeline({ roomId: room.id, userId: user.id, initialPage, onRemoved });
  const messages = useMemo(() => orderedMessages(t.timeline), [t.timeline]);
  const typing = useTyping(room.id, user.id);
  const newest = newestSeq(t.timeline);

  const listRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const stickNext = useRef(true);
  const prependFrom = useRef<number | null>(null);
  const lastNewest = useRef(newest);
  const [unseen, setUnseen] = useState(false);

  const scrollToBottom = useCallback((smooth = false) => {
    const el = listRef.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? "smooth" : "auto" });
    atBottom.current = true;
    setUnseen(false);
  }, []);

  // Keep the reader where they are: stick to the bottom only if they were there (or just sent);
  // keep the visible message in place when older pages are prepended.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after every timeline/outbox change
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    if (prependFrom.current !== null) {
      el.scrollTop = el.scrollHeight - prependFrom.current;
      prependFrom.current = null;
    } else if (atBottom.current || stickNext.current) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    } else if (newest > lastNewest.current) {
      setUnseen(true);
    }
    stickNext.current = false;
    lastNewest.current = newest;
  }, [t.timeline, t.outbox]);

  const onScroll = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) setUnseen(false);
  }, []);

  const { loadOlder } = t;
  const loadOlderKeepingPlace = useCallback(() => {
    const el = listRef.current;
    if (el) prependFrom.current = el.scrollHeight - el.scrollTop;
    void loadOlder().finally(() => {
      // nothing was prepended (error / no more): do not restore a stale anchor
      setTimeout(() => {
        prependFrom.current = null;
      }, 0);
    });
  }, [loadOlder]);

  // Load older pages when the top sentinel scrolls into view.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = listRef.current;
    const target = sentinel.current;
    if (!root || !target || !t.timeline.hasOlder) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && root.scrollHeight > root.clientHeight)
          loadOlderKeepingPlace();
      },
      { root, rootMargin: "200px 0px 0px 0px" },
    );
    io.observe(target);
    return () => io.disconnect();
  }, [t.timeline.hasOlder, loadOlderKeepingPlace]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <RoomHeader room={room} />
      {!t.connected && (
        <div
          role="status"
          className="border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Reconnecting… messages you send will go out when the connection is back.
        </div>
      )}
      <div className="relative flex min-h-0 flex-1 flex-col">
        <div
          ref={listRef}
          role="log"
          aria-label={`Messages in #${room.name}`}
          aria-live="polite"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          onScroll={onScroll}
          className="min-h-0 flex-1 overflow-y-auto focus-visible:outline-offset-[-2px]"
        >
          {/* Short rooms sit at the bottom, next to the composer, like every chat app. */}
          <div className="flex min-h-full flex-col justify-end py-2">
            <div ref={sentinel} className="px-4 py-3 text-center text-sm text-zinc-500">
              {t.timeline.hasOlder ? (
                <button
                  type="button"
                  className="btn-ghost"
                  onClick={loadOlderKeepingPlace}
                  disabled={t.loadingOlder}
                >
                  {t.loadingOlder ? "Loading older messages…" : "Load older messages"}
                </button>
              ) : (
                <div className="py-4 text-left">
                  <p className="text-lg font-semibold text-zinc-900 dark:text-zinc-100">
                    This is the beginning of #{room.name}
                  </p>
                  {room.topic && <p className="mt-1">{room.topic}</p>}
                </div>
              )}
              {t.olderError && (
                <p role="alert" className="text-red-600">
                  Could not load older messages: {t.olderError}
                </p>
              )}
            </div>
            <MessageList
              messages={messages}
              outbox={t.outbox}
              me={user}
              connected={t.connected}
              onRetry={t.retry}
              onDiscard={t.discard}
            />
          </div>
        </div>
        {unseen && (
          <button
            type="button"
            onClick={() => scrollToBottom(true)}
            className="btn-primary absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full shadow-lg"
          >
            New messages ↓
          </button>
        )}
      </div>
      {room.isMember ? (
        <Composer
          roomName={room.name}
          onTyping={typing.notify}
          typingLabel={typing.label}
          onSend={(body) => {
            stickNext.current = true;
            t.send(body);
          }}
        />
      ) : (
        <div className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
          <span className="text-zinc-600 dark:text-zinc-400">
            You are previewing #{room.name}. Join to send messages.
          </span>
          <JoinButton roomId={room.id} roomName={room.name} stay />
        </div>
      )}
    </div>
  );
}
