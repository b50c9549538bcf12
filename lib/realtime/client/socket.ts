// The browser's one Socket.IO connection, and a request helper that turns every outcome (ack,
// timeout, offline) into an Ack so callers handle one shape.
import { io, type Socket } from "socket.io-client";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { clearBrowserOutboxes } from "@/lib/messages/outbox";
import type {
  Ack,
  ClientToServerEvents,
  DataOf,
  EventName,
  PayloadOf,
  PresenceUpdate,
  ServerToClientEvents,
  SocketClosing,
} from "../events";
import { retryDelayMs } from "./backoff";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | undefined;

export function getSocket(): ClientSocket {
  if (!socket) {
    socket = io({
      // WebSocket only, like the server: no sticky sessions needed behind a load balancer.
      transports: ["websocket"],
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    // Listeners go on once, with the socket: getSocket() runs on every send, catch-up and read mark.
    if (typeof window !== "undefined") keepConnected(socket);
  }
  return socket;
}

/**
 * Set while the server has closed this tab's socket for a reason no automatic reconnect may undo
 * (`too_many_sockets`: reconnecting would close another tab, which would reconnect and close this
 * one, forever). The UI shows its message and a Reconnect button (reconnectSocket).
 */
let closedByServer: SocketClosing | null = null;
const closedListeners = new Set<(closed: SocketClosing | null) => void>();

function setClosedByServer(closed: SocketClosing | null): void {
  closedByServer = closed;
  for (const fn of closedListeners) fn(closed);
}

/** Why the server closed this tab's socket for good, while it stays closed; null otherwise. */
export function socketClosedByServer(): SocketClosing | null {
  return closedByServer;
}

/** Calls `fn` when the socket is closed for good by the server, and with null once it reconnects. */
export function onSocketClosedByServer(fn: (closed: SocketClosing | null) => void): () => void {
  closedListeners.add(fn);
  return () => closedListeners.delete(fn);
}

/** The person chose to reconnect a socket the server closed for good. */
export function reconnectSocket(): void {
  setClosedByServer(null);
  getSocket().connect();
}

/** Set while this tab signs out by itself: the server's signed_out for its socket is expected. */
let signingOut = false;

/** This tab is signing out (true) or gave up (false): it navigates by itself, the socket must not. */
export function setSigningOut(value: boolean): void {
  signingOut = value;
}

/**
 * Set while this tab signs in again on purpose (a password change ends every session, this tab's
 * too, and the form signs it straight back in): a refusal meanwhile is expected, and asking "am I
 * signed out?" before the new cookie lands would send the tab to sign-in.
 */
let signingInAgain: Promise<unknown> | null = null;

/** Runs `work` (which ends this tab's session and signs it in again) without the socket giving up. */
export function whileSigningInAgain<T>(work: Promise<T>): Promise<T> {
  signingInAgain = work;
  const clear = () => {
    if (signingInAgain === work) signingInAgain = null;
  };
  work.then(clear, clear);
  return work;
}

/** First backoff step and cap for reconnecting after the server refused a handshake. */
export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 30_000;
/** A server's retryAfterMs is honoured up to this (the connect limit's window is one minute). */
export const RETRY_AFTER_MAX_MS = 60_000;

/**
 * How long to wait before reconnecting after the `attempt`-th refused handshake in a row (from 0):
 * the shared backoff (retryDelayMs) from RETRY_BASE_MS, so every tab does not hit a restarted node
 * at once; and never sooner than the server's `retryAfterMs` (rate_limited), plus jitter.
 */
export function reconnectDelay(attempt: number, retryAfterMs?: unknown, random = Math.random): number {
  const backoff = retryDelayMs(attempt, random, RETRY_BASE_MS, RETRY_MAX_MS);
  if (typeof retryAfterMs !== "number" || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, RETRY_AFTER_MAX_MS) + random() * RETRY_BASE_MS);
}

export type ConnectErrorAction =
  | { kind: "none" }
  | { kind: "check-session" }
  | { kind: "retry"; delayMs: number };

/**
 * What to do on connect_error. A transport error leaves the socket active and socket.io retries by
 * itself; a refusal by the server's middleware destroys it (socket.io-client 4.8), so nothing
 * reconnects unless we do.
 */
export function connectErrorAction(
  err: Error & { data?: unknown },
  active: boolean,
  attempt: number,
  random = Math.random,
): ConnectErrorAction {
  if (active) return { kind: "none" };
  if (err.message === "unauthorized") return { kind: "check-session" };
  const data =
    typeof err.data === "object" && err.data !== null ? (err.data as { retryAfterMs?: unknown }) : {};
  return { kind: "retry", delayMs: reconnectDelay(attempt, data.retryAfterMs, random) };
}

/** The tab's listeners that keep its one socket connected; installed once per socket. */
function keepConnected(s: ClientSocket): void {
  let refused = 0; // handshakes refused in a row, for the backoff
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancelRetry = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const retryIn = (ms: number) => {
    cancelRetry();
    // Something else (the online event, socket.io's own reconnection) may have got there first.
    timer = setTimeout(() => {
      timer = undefined;
      if (!s.active) s.connect();
    }, ms);
  };
  // Only asked when the server says we may be signed out: still signed in (a fresh cookie), or no
  // answer (offline, 503 while the database is down: the cookie is kept), retry with the backoff;
  // signed out, drop this browser's unsent messages (lib/messages/outbox.ts) and go to sign-in.
  const checkSession = (): void => {
    const backOff = () => retryIn(reconnectDelay(refused++));
    if (signingInAgain) {
      // Ask again once this tab has its new cookie (or has failed to get one).
      void signingInAgain.then(checkSession, checkSession);
      return;
    }
    void fetch("/api/auth/session")
      .then(async (r) => {
        if (!r.ok) return backOff();
        const session = (await r.json()) as { user?: unknown } | null;
        if (session?.user) return backOff();
        clearBrowserOutboxes();
        window.location.assign(
          `/signin?callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`,
        );
      })
      .catch(backOff);
  };
  // The browser knows about a lost network long before a ping times out: drop and resume at once.
  window.addEventListener("offline", () => {
    cancelRetry();
    s.disconnect();
  });
  window.addEventListener("online", () => {
    cancelRetry();
    if (!closedByServer) s.connect();
  });
  s.on("connect", () => {
    refused = 0;
    cancelRetry();
    if (closedByServer) setClosedByServer(null);
  });
  // The server says why it is about to close this socket (docs/protocol.md, socket:closing).
  let closing: SocketClosing | undefined;
  s.on("socket:closing", (why) => {
    closing = why;
  });
  s.on("disconnect", (reason) => {
    const why = closing;
    closing = undefined;
    // Socket.IO does not retry a disconnect the server made on purpose by itself.
    if (reason !== "io server disconnect") return;
    // token_revoked never reaches a browser (pages use the session cookie); like too_many_sockets,
    // reconnecting would not help.
    if (why?.reason === "too_many_sockets" || why?.reason === "token_revoked") return setClosedByServer(why);
    if (why?.reason === "signed_out") return signingOut ? undefined : checkSession();
    if (why?.reason === "deactivated") {
      // Every session of the account ended: nothing here can be sent any more.
      clearBrowserOutboxes();
      window.location.assign("/signin?reason=deactivated");
      return;
    }
    retryIn(250 + Math.random() * 750); // a node shutting down: reconnect, through the balancer
  });
  trackActivity(s);
  s.on("connect_error", (err) => {
    const action = connectErrorAction(err, s.active, refused);
    if (action.kind === "none") return;
    if (action.kind === "retry") {
      // Refused by the server ("unavailable": a database hiccup; "rate_limited"): try again later.
      refused++;
      retryIn(action.delayMs);
      return;
    }
    // Refused for "unauthorized" (session expired, or ended by a password change elsewhere).
    checkSession();
  });
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

// PayloadOf stays importable from here for the browser code that already does.
export type { PayloadOf };

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
