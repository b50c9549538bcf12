"use client";
// Who is typing in this room (each indicator expires 5 s after its last event and clears when that
// person's message arrives), and the composer's side: at most one typing:start per 2 s.
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { getSocket, onNewMessages } from "@/lib/realtime/client/socket";
import type { TypingUpdate } from "@/lib/realtime/events";

const EXPIRE_MS = 5_000;
const RESEND_MS = 2_000;

/** "Bo is typing…", "Bo and Cy are typing…" (the pair joined as the language joins two names). */
function useTypingLabel(): (names: string[]) => string {
  const t = useTranslations("room");
  const locale = useLocale();
  return (names) => {
    if (names.length === 0) return "";
    if (names.length === 1) return t("typing.one", { name: names[0] as string });
    if (names.length === 2)
      return t("typing.two", { names: new Intl.ListFormat(locale, { type: "conjunction" }).format(names) });
    return t("typing.several");
  };
}

export function useTyping(roomId: string, myId: string) {
  const [typers, setTypers] = useState<Map<string, { name: string; until: number }>>(new Map());
  const lastStart = useRef(0);
  const typingLabel = useTypingLabel();

  useEffect(() => {
    const socket = getSocket();
    const onTyping = (u: TypingUpdate) => {
      if (u.roomId !== roomId || u.user.id === myId) return;
      setTypers((prev) => {
        const next = new Map(prev);
        if (u.typing) next.set(u.user.id, { name: u.user.displayName, until: Date.now() + EXPIRE_MS });
        else next.delete(u.user.id);
        return next;
      });
    };
    const onMessage = (m: ChatMessage) => {
      if (m.roomId !== roomId) return;
      setTypers((prev) => {
        if (!prev.has(m.author.id)) return prev;
        const next = new Map(prev);
        next.delete(m.author.id);
        return next;
      });
    };
    socket.on("typing:update", onTyping);
    const offMessages = onNewMessages(socket, (ms) => {
      for (const m of ms) onMessage(m);
    });
    const sweep = setInterval(() => {
      setTypers((prev) => {
        const now = Date.now();
        if (![...prev.values()].some((t) => t.until <= now)) return prev;
        return new Map([...prev].filter(([, t]) => t.until > now));
      });
    }, 1000);
    return () => {
      socket.off("typing:update", onTyping);
      offMessages();
      clearInterval(sweep);
    };
  }, [roomId, myId]);

  /** Call with the composer's text on every change (and "" after sending). */
  const notify = useCallback(
    (text: string) => {
      const socket = getSocket();
      if (!socket.connected) return;
      const now = Date.now();
      if (text.trim() === "") {
        if (lastStart.current > 0) socket.emit("typing:stop", { roomId }, () => {});
        lastStart.current = 0;
      } else if (now - lastStart.current >= RESEND_MS) {
        lastStart.current = now;
        socket.emit("typing:start", { roomId }, () => {});
      }
    },
    [roomId],
  );

  return { label: typingLabel([...typers.values()].map((t) => t.name)), notify };
}
