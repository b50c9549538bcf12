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
import { userChannel } from "./events";
import { registerMessageHandlers } from "./message-handlers";
import { registerPresenceHandlers, startPresenceHeartbeat } from "./presence-handlers";
import { type BeaconServer, setRealtime } from "./registry";
import { joinMemberRooms, registerRoomHandlers } from "./room-handlers";
import { MemoryState, RedisState, type SharedState } from "./shared-state";
import { userFromHandshake } from "./socket-auth";
import { registerTypingHandlers } from "./typing-handlers";

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

/** Every client event the server handles (anything else gets an "Unknown event" error ack). */
export const KNOWN_EVENTS = new Set([
  "room:join",
  "room:leave",
  "room:read",
  "room:mute",
  "message:send",
  "message:list",
  "message:changes",
  "message:edit",
  "message:delete",
  "reaction:toggle",
  "presence:set",
  "presence:list",
  "typing:start",
  "typing:stop",
]);

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

  io.use(async (socket, next) => {
    try {
      const user = await userFromHandshake(socket.handshake.headers, opts.secret);
      if (!user) return next(new Error("unauthorized"));
      await limits().consume("connect", user.id);
      socket.data.user = user;
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
    socket.on("disconnect", () => m.connections.dec());
    const ctx: HandlerContext = {
      socket,
      io,
      state,
      log: log.child({ sid: socket.id, uid: socket.data.user.id }),
    };
    void socket.join(userChannel(socket.data.user.id));
    void joinMemberRooms(socket).catch((err) => ctx.log.warn({ err }, "joining member rooms failed"));
    registerRoomHandlers(socket, ctx);
    registerMessageHandlers(socket, ctx);
    registerPresenceHandlers(socket, ctx);
    registerTypingHandlers(socket, ctx);
    socket.on("error", (err) => ctx.log.warn({ err: err.message }, "socket error"));
    // An unknown event that asks for an ack still gets one (an error), never silence.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack === "function" && !KNOWN_EVENTS.has(String(event))) {
        ack({ ok: false, error: { code: "bad_request", message: "Unknown event" } });
      }
    });
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
