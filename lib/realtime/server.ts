// The Socket.IO server factory: authenticates handshakes, wires the Redis adapter when there is one,
// registers handlers, and exposes itself on globalThis for route handlers (ARCHITECTURE §1).
import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Logger } from "pino";
import { Server, type Socket } from "socket.io";
import { toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/ops/metrics";
import { originAllowed } from "@/lib/origin";
import { limits } from "@/lib/ratelimit/limits";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "./events";
import { roomChannel, userChannel } from "./events";
import { dispatch, type HandlerTable } from "./handler";
import { messageHandlers } from "./message-handlers";
import {
  presenceHandlers,
  startPresenceHeartbeat,
  trackPresence,
  untrackPresence,
} from "./presence-handlers";
import { type BeaconServer, setRealtime } from "./registry";
import { mendMemberRooms, roomHandlers } from "./room-handlers";
import { MemoryState, RedisState, type SharedState } from "./shared-state";
import { userFromHandshake } from "./socket-auth";
import { typingHandlers } from "./typing-handlers";

export type { BeaconServer };
export type BeaconSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What every handler gets: its socket, the server, shared state and a logger. */
export interface HandlerContext {
  socket: BeaconSocket;
  io: BeaconServer;
  state: SharedState;
  log: Logger;
}

export interface RealtimeOptions {
  /** The next-auth secret that signs session cookies. */
  secret: string;
  /** Shared state; a RedisState also switches Socket.IO to the Redis adapter (multi-node). */
  state?: SharedState;
  /** Prefix for the adapter's Redis channels (isolates several Beacon deployments on one Redis). */
  redisPrefix?: string;
  /** Extra origins allowed to open sockets (the app's own origin always is). */
  allowedOrigins?: readonly string[];
  trustProxy?: boolean;
}

export interface Realtime {
  io: BeaconServer;
  state: SharedState;
  close(): Promise<void>;
}

const log = logger.child({ module: "realtime" });

/** Every client event the server handles, in one table (anything else gets an "Unknown event" ack). */
const HANDLERS: HandlerTable = {
  ...roomHandlers,
  ...messageHandlers,
  ...presenceHandlers,
  ...typingHandlers,
};
export const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

/** Largest legitimate payload: a 4,000-character message (≤ 16 KB UTF-8) plus envelope. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export function createRealtimeServer(httpServer: HttpServer, opts: RealtimeOptions): Realtime {
  const state = opts.state ?? new MemoryState();
  const io: BeaconServer = new Server(httpServer, {
    // WebSocket only: every packet of a connection goes to one node, so a load balancer needs no
    // sticky sessions (long-polling would need them).
    transports: ["websocket"],
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    // Cross-site WebSocket hijacking: a page on another origin must not ride the session cookie.
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers, opts.allowedOrigins ?? [], opts.trustProxy ?? false);
      callback(ok ? null : "origin not allowed", ok);
    },
  });
  const extraClose: (() => Promise<void>)[] = [];
  if (state instanceof RedisState) {
    const pub = state.redis.duplicate();
    const sub = state.redis.duplicate();
    io.adapter(createAdapter(pub, sub, { key: `${opts.redisPrefix ?? "beacon"}:socket.io` }));
    extraClose.push(async () => {
      pub.disconnect();
      sub.disconnect();
    });
  }

  /** The rooms each handshake joined, until "connection" checks them again (mendMemberRooms). */
  const handshakeRooms = new WeakMap<BeaconSocket, string[]>();
  io.use(async (socket, next) => {
    try {
      const auth = await userFromHandshake(socket.handshake.headers, opts.secret);
      if (!auth) return next(new Error("unauthorized"));
      const { user, roomIds } = auth;
      await limits().consume("connect", user.id);
      socket.data.user = user;
      // Join the user's channels before the client hears "connected": a client that refreshes its
      // counts on connect must not miss a message sent between that refresh and a later join.
      // (Socket.IO drops these rooms again if the handshake does not complete.) The list is read
      // again once connected (mendMemberRooms, below).
      await socket.join([userChannel(user.id), ...roomIds.map(roomChannel)]);
      handshakeRooms.set(socket, roomIds);
      next();
    } catch (err) {
      const e = toAppError(err);
      if (e.code === "rate_limited")
        return next(Object.assign(new Error("rate_limited"), { data: e.toJSON() }));
      log.error({ err }, "handshake failed");
      next(new Error("unavailable"));
    }
  });

  const m = metrics();
  io.on("connection", (socket) => {
    // Nothing after the handshake needs the HTTP request or its headers (the cookie was read above):
    // do not keep them alive for the life of every connection.
    (socket.conn as unknown as { request: unknown }).request = null;
    socket.handshake.headers = {};
    m.connections.inc();
    const ctx: HandlerContext = { socket, io, state, log };
    const joined = handshakeRooms.get(socket) ?? [];
    handshakeRooms.delete(socket);
    mendMemberRooms(socket, joined).catch((err: unknown) => {
      // Unverified channels must not stay: drop the socket, the client reconnects and tries again.
      log.error({ err, sid: socket.id }, "re-reading the rooms of a new connection failed");
      socket.disconnect(true);
    });
    trackPresence(ctx);
    socket.on("disconnect", () => {
      m.connections.dec();
      untrackPresence(ctx);
    });
    socket.on("error", (err) => log.warn({ err: err.message, sid: socket.id }, "socket error"));
    // One listener per socket; the handler table is shared by all of them.
    socket.onAny((event: unknown, ...args: unknown[]) => void dispatch(HANDLERS, ctx, event, args));
  });
  const stopHeartbeat = startPresenceHeartbeat({ io, state, log });

  setRealtime(io);
  return {
    io,
    state,
    async close() {
      stopHeartbeat();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of extraClose) await c();
      setRealtime(undefined);
    },
  };
}
