// The Socket.IO server factory: authenticates handshakes, wires the Redis adapter when there is one,
// registers handlers, and exposes itself on globalThis for route handlers (docs/architecture.md).
import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Server } from "socket.io";
import { env } from "@/lib/env";
import { toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/ops/metrics";
import { originAllowed } from "@/lib/origin";
import { limits } from "@/lib/ratelimit/limits";
import { roomChannel, sessionChannel, userChannel } from "@/lib/realtime/events";
import { touchSession } from "@/lib/sessions/devices.service";
import { MemoryState, RedisState, type SharedState } from "@/lib/state/shared-state";
import { getSessionUserAndRooms } from "@/lib/users/users.service";
import { commandHandlers } from "./command-handlers";
import { type BeaconSocket, dispatch, type HandlerContext, type HandlerTable } from "./dispatcher";
import { draftHandlers } from "./draft-handlers";
import { messageHandlers } from "./message-handlers";
import {
  presenceHandlers,
  startPresenceHeartbeat,
  trackPresence,
  untrackPresence,
} from "./presence-handlers";
import { type BeaconServer, closeSockets, setRealtime } from "./registry";
import { mendMemberRooms, roomHandlers } from "./room-handlers";
import { userFromHandshake, userFromHandshakeToken } from "./socket-auth";
import { limitUserSockets } from "./socket-limit";
import { typingHandlers } from "./typing-handlers";
import { attachWsApi, bridgedClient } from "./ws-api";

export type { BeaconServer };

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
  /** Most sockets one user may have open (default: MAX_SOCKETS_PER_USER). */
  maxSocketsPerUser?: number;
}

export interface Realtime {
  io: BeaconServer;
  state: SharedState;
  close(): Promise<void>;
}

const log = logger.child({ module: "realtime" });

/**
 * Every client event the server handles, in one table (anything else gets an "Unknown event" ack):
 * an event of the protocol without a handler here does not compile.
 */
export const HANDLERS = {
  ...roomHandlers,
  ...messageHandlers,
  ...presenceHandlers,
  ...typingHandlers,
  ...commandHandlers,
  ...draftHandlers,
} satisfies HandlerTable;
export const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

/** The session of a new connection was signed out (or its password changed) during its handshake. */
class SessionEnded extends Error {}

/** Largest legitimate payload: a 4,000-character message (≤ 16 KB UTF-8) plus envelope. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export function createRealtimeServer(httpServer: HttpServer, opts: RealtimeOptions): Realtime {
  const state = opts.state ?? new MemoryState();
  const maxSockets = opts.maxSocketsPerUser ?? env().MAX_SOCKETS_PER_USER;
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
      // io.close() left the adapter's unsubscribes queued for the next auto-pipeline flush: let them
      // go out, then quit. A command cut off by disconnect() rejects where nobody handles it.
      await new Promise((r) => setImmediate(r));
      await Promise.all([pub.quit(), sub.quit()]).catch(() => {});
    });
  }

  /**
   * The session and rooms each handshake read, until "connection" reads them again: a sign-out or a
   * leave committed meanwhile closed or left only sockets that had finished their handshake.
   */
  const handshakes = new WeakMap<
    BeaconSocket,
    { roomIds: string[]; readAgain: () => Promise<{ roomIds: string[] } | null> }
  >();
  io.use(async (socket, next) => {
    try {
      // A plain WebSocket API connection (ws-api.ts) arrives over loopback: it names its client.
      const bridged = bridgedClient(socket.handshake.headers);
      const ip = bridged?.ip ?? handshakeIp(socket.handshake, opts.trustProxy ?? false);
      // An API token (`auth: { token }`, lib/tokens) instead of the session cookie: bots, scripts.
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token === "string" && token) {
        const auth = await userFromHandshakeToken(token, ip, (key) => limits().consume("connect", key));
        if (!auth) return next(new Error("unauthorized"));
        socket.data.user = auth.user;
        socket.data.sid = auth.sid;
        socket.data.tokenScopes = auth.scopes;
        // The token's channel is how a revoke finds this socket (registry.ts endSessionSockets).
        await socket.join([
          userChannel(auth.user.id),
          sessionChannel(auth.sid),
          ...auth.roomIds.map(roomChannel),
        ]);
        handshakes.set(socket, {
          roomIds: auth.roomIds,
          readAgain: () => userFromHandshakeToken(token, ip),
        });
        return next();
      }
      // The connect budget is spent before the database is asked anything (a refused handshake costs
      // one counter), per session: a signed-out copy of a cookie cannot use up its owner's budget.
      const auth = await userFromHandshake(socket.handshake.headers, opts.secret, (key) =>
        limits().consume("connect", key),
      );
      if (!auth) return next(new Error("unauthorized"));
      const { user, session, roomIds } = auth;
      // Until the workspace's required two-factor is set up, the app is closed (the page shows set-up).
      if (user.twoFactorSetupRequired) return next(new Error("two_factor_required"));
      // "Your devices": last seen (never awaited, at most once a minute per session).
      touchSession({
        sid: session.sid,
        userId: user.id,
        sessionVersion: typeof session.sv === "number" ? session.sv : 0,
        userAgent: bridged?.userAgent ?? String(socket.handshake.headers["user-agent"] ?? ""),
        ip,
      });
      socket.data.user = user;
      socket.data.sid = session.sid;
      // Join the user's channels before the client hears "connected": a client that refreshes its
      // counts on connect must not miss a message sent between that refresh and a later join.
      // (Socket.IO drops these rooms again if the handshake does not complete.) The list is read
      // again once connected (mendMemberRooms, below).
      // The session channel is how a sign-out finds this socket (registry.ts endSessionSockets).
      await socket.join([userChannel(user.id), sessionChannel(session.sid), ...roomIds.map(roomChannel)]);
      handshakes.set(socket, { roomIds, readAgain: () => getSessionUserAndRooms(session) });
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
    // Sub-millisecond, so sockets of one node are ordered even when they connect in the same ms.
    socket.data.connectedAt = performance.timeOrigin + performance.now();
    const ctx: HandlerContext = { socket, io, state, log };
    const handshake = handshakes.get(socket);
    handshakes.delete(socket);
    // The first read of mendMemberRooms checks the session again with the rooms (one query).
    const readAgain = async () => {
      const again = handshake ? await handshake.readAgain() : null;
      if (!again) throw new SessionEnded();
      return again.roomIds;
    };
    mendMemberRooms(socket, handshake?.roomIds ?? [], readAgain).catch((err: unknown) => {
      if (err instanceof SessionEnded) return closeSockets(io, socket.id, "signed_out");
      // Unverified channels must not stay: drop the socket, the client reconnects and tries again.
      log.error({ err, sid: socket.id }, "re-reading the rooms of a new connection failed");
      socket.disconnect(true);
    });
    void trackPresence(ctx)
      .then(() => limitUserSockets(ctx, maxSockets))
      .catch((err: unknown) => log.warn({ err, sid: socket.id }, "socket limit check failed"));
    socket.on("disconnect", () => {
      m.connections.dec();
      untrackPresence(ctx);
    });
    socket.on("error", (err) => log.warn({ err: err.message, sid: socket.id }, "socket error"));
    // One listener per socket; the handler table is shared by all of them.
    socket.onAny((event: unknown, ...args: unknown[]) => void dispatch(HANDLERS, ctx, event, args));
  });
  const stopHeartbeat = startPresenceHeartbeat({ io, state, log });
  // The plain WebSocket API (/api/v1/ws): each connection bridged to a Socket.IO connection of this server.
  const wsApi = attachWsApi(httpServer, io, {
    allowedOrigins: opts.allowedOrigins ?? [],
    trustProxy: opts.trustProxy ?? false,
    maxPayloadBytes: MAX_PAYLOAD_BYTES,
  });

  setRealtime(io);
  return {
    io,
    state,
    async close() {
      stopHeartbeat();
      wsApi.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of extraClose) await c();
      setRealtime(undefined);
    },
  };
}

/** The client's address for "Your devices": like the HTTP pipeline's (a trusted proxy's last hop). */
function handshakeIp(h: { headers: Record<string, unknown>; address: string }, trustProxy: boolean): string {
  const xff = h.headers["x-forwarded-for"];
  const forwarded = trustProxy && typeof xff === "string" ? xff.split(",").at(-1)?.trim() : undefined;
  return forwarded || h.address || "unknown";
}
