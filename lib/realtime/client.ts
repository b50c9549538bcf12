// The browser's one Socket.IO connection, and a request helper that turns every outcome (ack,
// timeout, offline) into an Ack so callers handle one shape.
import { io, type Socket } from "socket.io-client";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { Ack, ClientToServerEvents, PresenceUpdate, ServerToClientEvents } from "./events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | undefined;

export function getSocket(): ClientSocket {
  socket ??= io({
    // WebSocket only, like the server: no sticky sessions needed behind a load balancer.
    transports: ["websocket"],
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  if (typeof window !== "undefined") {
    // The browser knows about a lost network long before a ping times out: drop and resume at once.
    const s = socket;
    window.addEventListener("offline", () => s.disconnect());
    window.addEventListener("online", () => s.connect());
    // A node that shuts down disconnects us on purpose; Socket.IO does not retry that by itself.
    s.on("disconnect", (reason) => {
      if (reason === "io server disconnect") setTimeout(() => s.connect(), 250 + Math.random() * 750);
    });
    trackActivity(s);
    // Refused for "unauthorized" (session expired, or ended by a password change elsewhere):
    // retry if we are still signed in (a fresh cookie), otherwise go to sign-in.
    s.on("connect_error", (err) => {
      if (err.message !== "unauthorized") return;
      void fetch("/api/auth/session")
        .then((r) => r.json())
        .then((session: { user?: unknown } | null) => {
          if (session?.user) setTimeout(() => s.connect(), 1000);
          else
            window.location.assign(
              `/signin?callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`,
            );
        })
        .catch(() => setTimeout(() => s.connect(), 5000));
    });
  }
  return socket;
}

/**
 * Calls `fn` with new messages as they arrive: one from message:new, several (in seq order) from a
 * message:batch. Returns the unsubscribe.
 */
export function onNewMessages(s: ClientSocket, fn: (messages: ChatMessage[]) => void): () => void {
  const one = (m: ChatMessage) => fn([m]);
  s.on("message:new", one);
  s.on("message:batch", fn);
  return () => {
    s.off("message:new", one);
    s.off("message:batch", fn);
  };
}

/** Calls `fn` with status changes as they arrive: one from presence:update, several from presence:batch. */
export function onPresence(s: ClientSocket, fn: (updates: PresenceUpdate[]) => void): () => void {
  const one = (u: PresenceUpdate) => fn([u]);
  s.on("presence:update", one);
  s.on("presence:batch", fn);
  return () => {
    s.off("presence:update", one);
    s.off("presence:batch", fn);
  };
}

type EventName = keyof ClientToServerEvents;
export type PayloadOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[0];
type DataOf<E extends EventName> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

/** Emit with an ack. Never queued while offline (the caller's outbox decides what to re-send). */
export async function request<E extends EventName>(
  s: ClientSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 10_000,
): Promise<Ack<DataOf<E>>> {
  if (!s.connected) return { ok: false, error: { code: "unavailable", message: "You are offline" } };
  try {
    // biome-ignore lint/suspicious/noExplicitAny: socket.io's typed emitWithAck cannot express a generic event
    return (await (s.timeout(timeoutMs) as any).emitWithAck(event, payload)) as Ack<DataOf<E>>;
  } catch {
    return { ok: false, error: { code: "unavailable", message: "The server did not answer in time" } };
  }
}

/** Resolves true once `s` is connected (at once if it is), false if that takes over `timeoutMs`. */
export function whenConnected(s: ClientSocket, timeoutMs = 10_000): Promise<boolean> {
  if (s.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.off("connect", onConnect);
      resolve(ok);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on("connect", onConnect);
  });
}

const IDLE_AFTER_MS = 5 * 60 * 1000;

/** Report this tab as idle when hidden or untouched for 5 minutes, active again on use. */
function trackActivity(s: ClientSocket): void {
  let state: "active" | "idle" = "active";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const set = (next: "active" | "idle") => {
    if (next === state) return;
    state = next;
    if (s.connected) s.emit("presence:set", { state }, () => {});
  };
  const activity = () => {
    if (document.visibilityState === "hidden") return;
    set("active");
    clearTimeout(timer);
    timer = setTimeout(() => set("idle"), IDLE_AFTER_MS);
  };
  for (const ev of ["pointerdown", "keydown", "focus"])
    window.addEventListener(ev, activity, { passive: true });
  document.addEventListener("visibilitychange", () =>
    document.visibilityState === "hidden" ? set("idle") : activity(),
  );
  // A new connection starts "active" on the server: tell it the truth.
  s.on("connect", () => {
    if (state === "idle") s.emit("presence:set", { state: "idle" }, () => {});
  });
  activity();
}
