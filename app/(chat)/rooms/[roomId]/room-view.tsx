"use client";
// The room screen: header, scrollback (older pages on scroll-up, "new messages" jump, windows around
// permalinks), composer. Marks messages read while the reader is at the bottom of a visible tab.
// Files dropped anywhere on the room go to the composer; images open in a lightbox that walks the
// loaded messages' images.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type DragEvent, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import { newestSeq, orderedMessages } from "@/lib/messages/timeline";
import type { RoomRemoved } from "@/lib/realtime/events";
import type { RoomView as Room } from "@/lib/rooms/rooms.schema";
import type { SessionUser } from "@/lib/users/users.schema";
import { canModerateRoom, isAdmin } from "@/lib/workspace/roles";
import { useSocketClosedByServer } from "../../_components/connection-notice";
import { JoinButton } from "../../_components/join-button";
import { useWatchRoomPresence } from "../../_components/presence-dot";
import { RoomIcon } from "../../_components/room-icon";
import { Lightbox } from "./attachments";
import { EphemeralNotes, useCommands } from "./command-menu";
import { Composer } from "./composer";
import { EDIT_MESSAGE, type MessageActions } from "./message-item";
import { MessageList } from "./message-list";
import { PINS_CHANGED, PinnedButton } from "./pinned-panel";
import { RoomHeader } from "./room-header";
import { PostingNotice, postingNotice, RoomSettingsButton, useLiveRoom } from "./room-settings";
import { captureAnchor, distanceFromBottom, restoreAnchor, type ScrollAnchor } from "./scroll-anchor";
import { useRoomTimeline } from "./use-room-timeline";
import { useTyping } from "./use-typing";
import { useUploads } from "./use-uploads";

const NEAR_BOTTOM_PX = 48;
/** "Jump to latest" shows when the view is more than this many screens above the newest message. */
const FAR_SCREENS = 1.5;

export function RoomView({
  room: rendered,
  user,
  initialPage,
  focusSeq,
  draft,
}: {
  room: Room;
  /** `aliases`: my former usernames (their @mentions are mine too). */
  user: SessionUser & { aliases?: readonly string[] };
  initialPage: MessagePage;
  /** Open scrolled to this message (a permalink, or the first unread far back) */
  focusSeq: number | null;
  /** My unsent draft in this room ("" when none). */
  draft?: string;
}) {
  const router = useRouter();
  const tr = useTranslations("room");
  // Settings change live (room:updated); a moderator's removal says why instead of just vanishing.
  const room = useLiveRoom(rendered);
  const canModerate = room.kind === "channel" && canModerateRoom(user.role, room.myRole);
  const [removedNotice, setRemovedNotice] = useState<string>();
  const onRemoved = useCallback(
    (why?: RoomRemoved) => (why?.message ? setRemovedNotice(why.message) : router.refresh()),
    [router],
  );
  // Closed for good (too many tabs): the shell says so and offers to reconnect; not "Reconnecting…".
  const closedByServer = useSocketClosedByServer();
  const t = useRoomTimeline({
    roomId: room.id,
    userId: user.id,
    initialPage,
    initialRev: room.rev,
    onRemoved,
  });
  const messages = useMemo(() => orderedMessages(t.timeline), [t.timeline]);
  const newest = newestSeq(t.timeline);
  const typing = useTyping(room.id, user.id);
  // The presence dots next to the authors.
  useWatchRoomPresence(room.id);
  // Frozen at open: where "New messages" starts for this visit.
  const [firstUnread] = useState(() =>
    room.isMember && room.lastSeq > room.lastReadSeq ? room.lastReadSeq + 1 : null,
  );
  const [highlight, setHighlight] = useState<number | null>(focusSeq);
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [notice, setNotice] = useState<string>();
  const uploads = useUploads(room.id);
  const commands = useCommands(room.id);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  // The lightbox walks every image of the loaded messages, oldest first.
  const images = useMemo(
    () => messages.flatMap((m) => (m.deleted ? [] : (m.files ?? []).filter((f) => f.kind === "image"))),
    [messages],
  );
  const [viewing, setViewing] = useState<string | null>(null);
  const viewIndex = viewing === null ? -1 : images.findIndex((f) => f.id === viewing);

  const listRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(focusSeq === null);
  const stickNext = useRef(focusSeq === null);
  const scrollTarget = useRef<number | null>(focusSeq);
  /** The first visible message and its offset, as of the last scroll or render (scroll-anchor.ts). */
  const anchor = useRef<ScrollAnchor | null>(null);
  const lastNewest = useRef(newest);
  const [unseen, setUnseen] = useState(false);
  const [visible, setVisible] = useState(true);
  const [bottom, setBottom] = useState(focusSeq === null);
  const [far, setFar] = useState(false);

  /** Where the view is: at the bottom (follow new messages), far from it (offer a jump). */
  const measure = useCallback((el: HTMLElement) => {
    const distance = distanceFromBottom(el);
    atBottom.current = distance < NEAR_BOTTOM_PX;
    setBottom(atBottom.current);
    setFar(distance > FAR_SCREENS * el.clientHeight);
    anchor.current = captureAnchor(el);
  }, []);

  const scrollToBottom = useCallback((smooth = false) => {
    const el = listRef.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? "smooth" : "auto" });
    atBottom.current = true;
    setBottom(true);
    setFar(false);
    setUnseen(false);
  }, []);

  // Keep the reader where they are: stick to the bottom only if they were there (or just sent);
  // otherwise keep the first visible message exactly where it was (older pages prepended above it,
  // messages changing above it); scroll to a target message.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after every timeline/outbox change
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    if (scrollTarget.current !== null) {
      const target = document.getElementById(`m-${scrollTarget.current}`);
      if (target) {
        target.scrollIntoView({ block: "center" });
        scrollTarget.current = null;
      }
    } else if ((atBottom.current || stickNext.current) && !t.timeline.hasNewer) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    } else {
      if (anchor.current) restoreAnchor(el, anchor.current);
      if (newest > lastNewest.current) setUnseen(true);
    }
    stickNext.current = false;
    lastNewest.current = newest;
    measure(el);
  }, [t.timeline, t.outbox]);

  // The list got shorter (a banner such as "Reconnecting…" above it, a taller composer below): a
  // reader at the bottom stays there, so nothing covers the newest message.
  useEffect(() => {
    const el = listRef.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current && !scrollTarget.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const { loadOlder, loadNewer } = t;
  const onScroll = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    measure(el);
    if (atBottom.current) {
      setUnseen(false);
      if (t.timeline.hasNewer) void loadNewer();
    }
  }, [t.timeline.hasNewer, loadNewer, measure]);

  // Load older pages when the top sentinel comes within a screen of the view. RoomSync loads one
  // page at a time; a new observer after each page (loadingOlder) reports at once if the sentinel is
  // still that close, so a reader who wheels past the top gets the next page as soon as one lands,
  // each prepended under the anchor above.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = listRef.current;
    const target = sentinel.current;
    if (!root || !target || !t.timeline.hasOlder || t.loadingOlder) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && root.scrollHeight > root.clientHeight) void loadOlder();
      },
      { root, rootMargin: "100% 0px 0px 0px" },
    );
    io.observe(target);
    return () => io.disconnect();
  }, [t.timeline.hasOlder, t.loadingOlder, loadOlder]);

  // Read state: what is on screen at the bottom of a visible tab counts as read.
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  const { markRead } = t;
  const readUpTo = useRef(room.lastReadSeq);
  useEffect(() => {
    if (!room.isMember || !visible || t.timeline.hasNewer || newest <= readUpTo.current) return;
    if (!bottom && listRef.current && listRef.current.scrollHeight > listRef.current.clientHeight) return;
    const timer = setTimeout(() => {
      readUpTo.current = newest;
      markRead(newest);
    }, 300);
    return () => clearTimeout(timer);
  }, [room.isMember, visible, bottom, newest, t.timeline.hasNewer, markRead]);

  const { reveal, edit, remove, react, pin } = t;
  const actions: MessageActions = useMemo(
    () => ({
      onReply: (m) => setReplyTo(m),
      onEdit: (m, body) => edit(m.id, body),
      onDelete: (m) => remove(m.id),
      onReact: (m, emoji) => react(m.id, emoji),
      onPin: async (m, pinned) => {
        const err = await pin(m.id, pinned);
        if (!err) window.dispatchEvent(new Event(PINS_CHANGED));
        return err;
      },
      onJump: (seq) => {
        // Set before the window around it renders (the store re-renders as soon as it changes), so
        // the layout effect scrolls there at once, not after the reader was left at its bottom.
        scrollTarget.current = seq;
        void reveal(seq).then((ok) => {
          if (!ok) {
            scrollTarget.current = null;
            return setNotice(tr("view.messageGone"));
          }
          setHighlight(seq);
          if (scrollTarget.current !== seq) return; // the layout effect scrolled there
          const el = document.getElementById(`m-${seq}`);
          if (el) {
            el.scrollIntoView({ block: "center", behavior: "smooth" });
            scrollTarget.current = null;
          }
        });
      },
      onOpenImage: (fileId) => setViewing(fileId),
      onCopyLink: (m) => {
        const url = `${window.location.origin}/rooms/${room.id}?m=${m.seq}`;
        void navigator.clipboard?.writeText(url).then(
          () => setNotice(tr("view.linkCopied")),
          () => setNotice(url),
        );
      },
      onCopyText: (m) => {
        void navigator.clipboard?.writeText(m.body).then(
          () => setNotice(tr("view.textCopied")),
          () => setNotice(tr("view.copyFailed")),
        );
      },
    }),
    [edit, remove, react, pin, reveal, room.id, tr],
  );
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(undefined), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  const { jumpToLatest } = t;
  const goLatest = useCallback(() => {
    if (t.timeline.hasNewer) {
      stickNext.current = true;
      void jumpToLatest();
    } else scrollToBottom();
    setHighlight(null);
    // The button goes away: the log (where the reader now is) keeps the focus.
    listRef.current?.focus({ preventScroll: true });
  }, [t.timeline.hasNewer, jumpToLatest, scrollToBottom]);

  if (removedNotice)
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
        <p role="alert" className="text-lg font-semibold">
          {removedNotice}
        </p>
        <Link href="/rooms" className="btn-primary">
          {tr("view.backToRooms")}
        </Link>
      </div>
    );

  const cannotPost = room.isMember ? postingNotice(room, canModerate) : null;
  // Drag and drop onto the room: an overlay while files are over it; the drop goes to the composer.
  const canAttach = room.isMember && !cannotPost;
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes("Files");
  const dragHandlers = canAttach
    ? {
        onDragEnter: (e: DragEvent) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          dragDepth.current++;
          setDragging(true);
        },
        onDragOver: (e: DragEvent) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        },
        onDragLeave: (e: DragEvent) => {
          if (!hasFiles(e)) return;
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        },
        onDrop: (e: DragEvent) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          dragDepth.current = 0;
          setDragging(false);
          if (!t.connected) return setNotice(tr("composer.filesOffline"));
          uploads.add([...e.dataTransfer.files]);
        },
      }
    : {};

  return (
    <div className="relative flex min-h-0 flex-1 flex-col" {...dragHandlers} data-testid="room-drop-zone">
      {dragging && (
        <div
          className="pointer-events-none absolute inset-2 z-40 grid place-items-center rounded-xl border-2 border-dashed border-indigo-400 bg-indigo-50/90 text-lg font-semibold text-indigo-800 dark:border-indigo-500 dark:bg-indigo-950/90 dark:text-indigo-100"
          data-testid="drop-overlay"
        >
          {tr("view.dropFiles")}
        </div>
      )}
      {viewIndex >= 0 && (
        <Lightbox
          images={images}
          index={viewIndex}
          onMove={(i) => setViewing(images[i]?.id ?? null)}
          onClose={() => setViewing(null)}
        />
      )}
      <RoomHeader
        room={room}
        moderation={{
          meId: user.id,
          canModerate,
          canChooseModerators: canModerate && (room.isOwner || isAdmin(user.role)),
          buttons: (
            <>
              {room.kind === "channel" && <PinnedButton roomId={room.id} onJump={actions.onJump} />}
              {canModerate && (
                <RoomSettingsButton room={room} canDelete={room.isOwner || isAdmin(user.role)} />
              )}
            </>
          ),
        }}
      />
      {!t.connected && !closedByServer && (
        <div
          role="status"
          className="border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {tr("view.reconnecting")}
        </div>
      )}
      {t.connected && t.syncError && (
        <div
          role="alert"
          className="border-b border-red-200 bg-red-50 px-4 py-1.5 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {tr("view.syncError", { error: t.syncError })}
        </div>
      )}
      <div className="relative flex min-h-0 flex-1 flex-col">
        <div
          ref={listRef}
          role="log"
          aria-label={tr(room.kind === "dm" ? "view.logLabelDm" : "view.logLabel", { name: room.name })}
          aria-live="polite"
          // A scrollable region must be reachable by keyboard: its messages are (one Tab stop, see
          // useRovingFocus); an empty log is a stop of its own.
          tabIndex={messages.length > 0 ? -1 : 0}
          onScroll={onScroll}
          className="min-h-0 flex-1 overflow-y-auto [overflow-anchor:none] focus-visible:outline-offset-[-2px]"
        >
          {/* Short rooms sit at the bottom, next to the composer, like every chat app. */}
          <div className="flex min-h-full flex-col justify-end py-2">
            <div ref={sentinel} className="px-4 py-3 text-center text-sm text-zinc-500">
              {t.timeline.hasOlder ? (
                <button
                  type="button"
                  className="btn-ghost"
                  onClick={() => void loadOlder()}
                  disabled={t.loadingOlder}
                >
                  {t.loadingOlder ? tr("view.loadingOlder") : tr("view.loadOlder")}
                </button>
              ) : (
                <div className="py-4 text-start">
                  <p
                    className="text-lg font-semibold text-zinc-900 dark:text-zinc-100"
                    data-testid="room-intro"
                  >
                    {room.kind === "dm"
                      ? tr("view.introDm", { name: room.name })
                      : room.isPrivate
                        ? tr.rich("view.introPrivate", {
                            name: room.name,
                            icon: () => <RoomIcon kind="channel" isPrivate />,
                            sr: (c) => <span className="sr-only">{c}</span>,
                          })
                        : tr("view.intro", { name: room.name })}
                  </p>
                  {room.topic && <p className="mt-1">{room.topic}</p>}
                </div>
              )}
              {t.olderError && (
                <p role="alert" className="text-red-600">
                  {tr("view.olderError", { error: t.olderError })}
                </p>
              )}
            </div>
            <MessageList
              messages={messages}
              outbox={t.timeline.hasNewer ? [] : t.outbox}
              me={user}
              connected={t.connected}
              firstUnreadSeq={firstUnread}
              highlightSeq={highlight}
              canModerate={canModerate}
              canAct={room.isMember}
              actions={actions}
              onRetry={t.retry}
              onDiscard={t.discard}
            />
            <EphemeralNotes notes={commands.notes} onDismiss={commands.dismiss} />
            {t.timeline.hasNewer && (
              <div className="px-4 py-2 text-center">
                <button
                  type="button"
                  className="btn-ghost"
                  onClick={() => void loadNewer()}
                  disabled={t.loadingNewer}
                >
                  {t.loadingNewer ? tr("view.loading") : tr("view.loadNewer")}
                </button>
              </div>
            )}
          </div>
        </div>
        {(unseen || far || t.timeline.hasNewer) && (
          <button
            type="button"
            onClick={goLatest}
            className="btn-primary absolute bottom-3 start-1/2 -translate-x-1/2 rtl:translate-x-1/2 rounded-full shadow-lg"
          >
            {unseen && !t.timeline.hasNewer ? tr("view.newMessagesJump") : tr("view.jumpToLatest")}
          </button>
        )}
        {notice && (
          <p
            role="status"
            className="absolute end-3 top-2 rounded bg-zinc-900 px-2 py-1 text-xs text-white shadow"
          >
            {notice}
          </p>
        )}
      </div>
      {cannotPost ? (
        <PostingNotice reason={cannotPost} />
      ) : room.isMember ? (
        <Composer
          roomId={room.id}
          roomName={room.kind === "dm" ? room.name : room.isPrivate ? `🔒 ${room.name}` : `#${room.name}`}
          onTyping={typing.notify}
          typingLabel={typing.label}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          uploads={uploads}
          connected={t.connected}
          onCommand={async (text) => {
            stickNext.current = true;
            const r = await commands.run(text);
            if (r.notice) setNotice(r.notice);
            return r;
          }}
          onEditLast={() => {
            // ↑ in the empty composer: my newest message that can still be edited.
            const last = messages.findLast((m) => m.author.id === user.id && !m.deleted);
            if (!last) return false;
            document.getElementById(`m-${last.seq}`)?.scrollIntoView({ block: "nearest" });
            window.dispatchEvent(new CustomEvent(EDIT_MESSAGE, { detail: last.seq }));
            return true;
          }}
          onMarkRead={() => {
            // Esc: everything in the room counts as read (the server stops at the room's last seq).
            if (!t.timeline.hasNewer && newest <= readUpTo.current) return; // nothing new
            readUpTo.current = Math.max(readUpTo.current, newest);
            markRead(2_147_483_647);
            setNotice(tr("view.markedRead"));
          }}
          draft={draft}
          onSend={(body, files) => {
            if (t.timeline.hasNewer) void jumpToLatest();
            stickNext.current = true;
            t.send(body, replyTo?.id, files);
            setReplyTo(null);
          }}
        />
      ) : (
        <div className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
          <span className="text-zinc-600 dark:text-zinc-400">
            {tr("view.previewing", { name: room.name })}
          </span>
          <JoinButton roomId={room.id} roomName={room.name} stay />
        </div>
      )}
    </div>
  );
}
