// The Socket.IO server factory: authenticates handshakes, registers handlers, exposes itself on
// globalThis so route handlers in the Next bundle can reach sockets (ARCHITECTURE §1).
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { logger } from "@/lib/logger";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "./events";
import { userChannel } from "./events";
import { registerMessageHandlers } from "./message-handlers";
import { type BeaconServer, setRealtime } from "./registry";
import { registerRoomHandlers } from "./room-handlers";
import { userFromHandshake } from "./socket-auth";

export type { BeaconServer };
export type BeaconSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RealtimeOptions {
  /** The next-auth secret that signs session cookies. */
  secret: string;
}

const log = logger.child({ module: "realtime" });

/** Largest legitimate payload: a 4,000-character message (≤ 16 KB UTF-8) plus envelope. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export function createRealtimeServer(httpServer: HttpServer, opts: RealtimeOptions): BeaconServer {
  const io: BeaconServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });

  io.use(async (socket, next) => {
    try {
      const user = await userFromHandshake(socket.handshake.headers, opts.secret);
      if (!user) return next(new Error("unauthorized"));
      socket.data.user = user;
      next();
    } catch (err) {
      log.error({ err }, "handshake failed");
      next(new Error("unavailable"));
    }
  });

  io.on("connection", (socket) => {
    const slog = log.child({ sid: socket.id, uid: socket.data.user.id });
    void socket.join(userChannel(socket.data.user.id));
    registerRoomHandlers(socket, slog);
    registerMessageHandlers(socket, slog);
    socket.on("error", (err) => slog.warn({ err: err.message }, "socket error"));
  });

  setRealtime(io);
  return io;
}
