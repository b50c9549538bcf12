"use client";
// The composer's text as a draft kept on the server (lib/drafts): saved DRAFT_SAVE_DELAY_MS after
// the last keystroke (at once when emptied, which is how a sent message clears it), one save in
// flight per room, the last text always wins; saved again when the tab reconnects. What this tab
// knows of each room's draft outlives the composer (it is remounted per room), so switching rooms and
// back shows what was typed even before its save was answered. A draft saved on another device
// (draft:updated) replaces the text only when the composer is empty, or still holding what the
// server had before and not being written in (focused with text typed on this device), and never
// while this tab has text waiting to be saved: what someone is typing is never overwritten.
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { DRAFT_SAVE_DELAY_MS, type DraftView } from "@/lib/drafts/drafts.schema";
import { getSocket, request } from "@/lib/realtime/client/socket";

/** One room's saving state in this tab (module scope: it outlives the composer). */
interface Saver {
  /** The freshest text known here: typed in this tab, or saved on another device. */
  known: string | undefined;
  /** Text typed here and not sent to the server yet. */
  pending: string | undefined;
  inFlight: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The server's draft as last heard (the page, draft:updated); undefined when unknown. */
  server: string | undefined;
  /** Mounted composers of this room: told of every draft:updated, with the server's text before it. */
  readonly listeners: Set<(body: string, before: string | undefined) => void>;
}

const savers = new Map<string, Saver>();
let listening = false;

function saverOf(roomId: string): Saver {
  let s = savers.get(roomId);
  if (!s) {
    s = {
      known: undefined,
      pending: undefined,
      inFlight: false,
      timer: undefined,
      server: undefined,
      listeners: new Set(),
    };
    savers.set(roomId, s);
  }
  if (!listening && typeof window !== "undefined") {
    listening = true;
    const socket = getSocket();
    // While disconnected, other devices' saves are missed: a remount takes the page's draft, and a
    // mounted composer asks again once connected (useDraft).
    socket.on("disconnect", () => {
      for (const saver of savers.values())
        if (saver.pending === undefined && !saver.inFlight) saver.known = undefined;
    });
    // A save that could not go out (offline) goes when the connection is back.
    socket.on("connect", () => {
      for (const [id, saver] of savers) if (saver.pending !== undefined) void flush(id);
    });
    // Another device (or this tab) saved: that is what the server holds now.
    socket.on("draft:updated", heard);
    // Leaving or reloading: send what is waiting for its delay now.
    window.addEventListener("pagehide", () => {
      for (const [id, saver] of savers) if (saver.pending !== undefined) void flush(id);
    });
  }
  return s;
}

/** What the server holds now (a draft:updated, or a draft:get's answer): tell this room's composers. */
function heard(d: DraftView): void {
  const saver = saverOf(d.roomId);
  const before = saver.server;
  saver.server = d.body;
  if (saver.pending === undefined && !saver.inFlight) saver.known = d.body;
  for (const l of saver.listeners) l(d.body, before);
}

async function flush(roomId: string): Promise<void> {
  const s = saverOf(roomId);
  clearTimeout(s.timer);
  s.timer = undefined;
  if (s.inFlight || s.pending === undefined) return;
  const body = s.pending;
  const socket = getSocket();
  if (!socket.connected) return; // sent on connect
  s.pending = undefined;
  s.inFlight = true;
  const res = await request(socket, "draft:save", { roomId, body });
  s.inFlight = false;
  // Offline or no answer: send it again (unless newer text replaced it), now or on connect.
  if (!res.ok && res.error.code === "unavailable" && s.pending === undefined) s.pending = body;
  // Refused (too long, no longer a member): nothing to retry; the composer says what is wrong.
  if (s.pending !== undefined && socket.connected) void flush(roomId);
}

function schedule(roomId: string, text: string): void {
  const s = saverOf(roomId);
  s.known = text;
  s.pending = text;
  clearTimeout(s.timer);
  // Emptied (sent, or erased): cleared at once, so a sent message never leaves its text behind.
  s.timer = setTimeout(() => void flush(roomId), text === "" ? 0 : DRAFT_SAVE_DELAY_MS);
}

/**
 * The composer's text and its setter, for `roomId`, starting from the server-rendered draft
 * (`initial`). `input` tells whether the person is in the composer (focused).
 */
export function useDraft(
  roomId: string,
  initial: string,
  input: RefObject<HTMLTextAreaElement | null>,
): [string, (text: string) => void] {
  const [value, setValue] = useState(() =>
    typeof window === "undefined" ? initial : (saverOf(roomId).known ?? initial),
  );
  const current = useRef(value);
  current.current = value;
  /** The text here was written on this device (not put here by the page or another device). */
  const typedHere = useRef(false);

  const set = useCallback(
    (text: string) => {
      current.current = text;
      typedHere.current = true;
      setValue(text);
      schedule(roomId, text);
    },
    [roomId],
  );

  useEffect(() => {
    const saver = saverOf(roomId);
    saver.server ??= initial;
    const onDraft = (body: string, before: string | undefined) => {
      if (body === current.current) return;
      if (saver.pending !== undefined || saver.inFlight) return; // my newer text is on its way
      // Empty, or still holding what the server had: follow, unless the person is in the composer with
      // text they wrote here (focus alone says nothing: opening a room focuses the composer).
      const typing = typedHere.current && input.current !== null && input.current === document.activeElement;
      if (current.current !== "" && (typing || current.current !== before)) return;
      current.current = body;
      typedHere.current = false;
      setValue(body);
    };
    saver.listeners.add(onDraft);
    // Connected after the page was read, or again after a drop: updates may have been missed.
    const socket = getSocket();
    const onConnect = () =>
      void request(socket, "draft:get", { roomId }).then((res) => {
        if (res.ok) heard(res.data);
      });
    socket.on("connect", onConnect);
    if (socket.connected) onConnect(); // connected before this page's read landed here
    return () => {
      socket.off("connect", onConnect);
      saver.listeners.delete(onDraft);
      // Leaving the room: what waits for its delay goes now.
      if (saver.pending !== undefined) void flush(roomId);
    };
  }, [roomId, initial, input]);

  return [value, set];
}
