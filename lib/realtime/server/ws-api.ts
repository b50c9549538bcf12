// The plain WebSocket API (/api/v1/ws) for clients that do not speak Socket.IO: JSON frames over a
// bare WebSocket. Every connection is bridged to a real Socket.IO connection of this same server (an
// in-process socket.io-client over loopback), so it runs through the one handshake (token or cookie,
// connect budget, socket limit), the one handler table and dispatcher (limits, ack shape,
// authorization), the same channels (room:, user:, sid:) and the same adapter: broadcasts from any
// node, sign-outs, token revokes and closeSockets reach it unchanged. Nothing about events is
// implemented here; this file only translates frames (docs/protocol.md, "Plain WebSocket API").
//   client → server  {id?, event, data}          (id: any string or number the client chooses)
//   server → client  {id, ok: true, data} | {id, ok: false, error: {code, message}}   (the ack of `id`)
//                    {event, data}                (a push: message:new, room:updated, …)
// Cost: the bridge is a second (loopback) connection per client, measured in docs/performance.md.
import { randomBytes } from "node:crypto";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type Socket as BridgeSocket, io as connectBridge } from "socket.io-client";
import { type WebSocket, WebSocketServer } from "ws";
import { logger } from "@/lib/logger";
import { originAllowed } from "@/lib/origin";
import type { SocketCloseReason, SocketClosing } from "@/lib/realtime/events";
import type { BeaconServer } from "./registry";
import { parseCookies } from "./socket-auth";

const log = logger.child({ module: "ws-api" });

export const WS_API_PATH = "/api/v1/ws";

/**
 * Close codes of the WebSocket API (the reason is the code's name, readable in `event.reason`).
 * 1009 (frame larger than MAX_PAYLOAD_BYTES), 1011 and 1012 come from the WebSocket standard.
 */
export const WS_CLOSE = {
  /** The node is shutting down or the connection to it broke: reconnect (with backoff) and catch up. */
  restart: 1012,
  /** The server could not check the credentials right now (database down): try again later. */
  unavailable: 1013,
  /** The session was signed out (socket:closing `signed_out`). */
  signed_out: 4001,
  /** The token this connection authenticated with was revoked (socket:closing `token_revoked`). */
  token_revoked: 4004,
  /** Too many connections for this user: this was the oldest. Do not reconnect by yourself. */
  too_many_sockets: 4002,
  /** The account was deactivated. Do not reconnect. */
  deactivated: 4003,
  /** No credentials, or a bad, expired or revoked token / session. */
  unauthorized: 4401,
  /** The workspace requires two-factor and this account has not set it up (sign in in a browser). */
  two_factor_required: 4403,
  /** The connect budget is spent: wait and reconnect. */
  rate_limited: 4429,
  /** The client reads its frames too slowly (more than MAX_BUFFERED_BYTES waiting). */
  too_slow: 4008,
} as const;

/** How long a connection may stay unauthenticated waiting for its {type:"auth"} frame. */
const AUTH_TIMEOUT_MS = 10_000;
/** Requests (frames with an id) one connection may have in flight; beyond that they are refused. */
export const MAX_IN_FLIGHT = 64;
/** Frames waiting in the client's socket before it is closed as too slow. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Frames received before the bridge is connected are held (at most this many). */
const MAX_EARLY_FRAMES = 64;
const PING_INTERVAL_MS = 25_000;
/** Ack timeout of one request through the bridge (a handler never takes this long). */
const ACK_TIMEOUT_MS = 30_000;

/**
 * Marks the bridge's own handshakes: it carries the real client's address and user agent (for
 * "Your devices" and the token's last use), which the handshake trusts only with this process's key.
 */
const BRIDGE_KEY = randomBytes(24).toString("base64url");
export function bridgedClient(headers: Record<string, unknown>): { ip: string; userAgent: string } | null {
  if (headers["x-beacon-bridge-key"] !== BRIDGE_KEY) return null;
  return {
    ip: String(headers["x-beacon-bridge-ip"] ?? "unknown"),
    userAgent: String(headers["x-beacon-bridge-ua"] ?? ""),
  };
}

export interface WsApiOptions {
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  maxPayloadBytes: number;
}

type Credentials = { token: string } | { cookie: string };

export interface WsApi {
  close(): void;
  /** Open plain WebSocket connections on this node. */
  size(): number;
}

/** Attach the WebSocket API to `httpServer`'s upgrade event (Socket.IO keeps its own path). */
export function attachWsApi(httpServer: HttpServer, io: BeaconServer, opts: WsApiOptions): WsApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== WS_API_PATH) return; // Socket.IO's (or nobody's: engine.io ends it)
    // Synchronously: engine.io ends an upgrade nobody has answered within a second.
    wss.handleUpgrade(req, socket, head, (ws) => {
      onConnection(ws, req, url, httpServer, io, opts).catch((err: unknown) => {
        log.error({ err }, "WebSocket API connection failed");
        ws.close(WS_CLOSE.unavailable, "unavailable");
      });
    });
  };
  httpServer.on("upgrade", onUpgrade);
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      const alive = ws as WebSocket & { beaconAlive?: boolean };
      if (alive.beaconAlive === false) {
        ws.terminate();
        continue;
      }
      alive.beaconAlive = false;
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  heartbeat.unref();
  return {
    close() {
      clearInterval(heartbeat);
      httpServer.off("upgrade", onUpgrade);
      for (const ws of wss.clients) ws.close(WS_CLOSE.restart, "restart");
      wss.close();
    },
    size: () => wss.clients.size,
  };
}

/** Where the bridge connects: this server's own listening address, over loopback. */
function selfUrl(httpServer: HttpServer): string {
  const a = httpServer.address() as AddressInfo | null;
  if (!a) throw new Error("the HTTP server is not listening");
  const host =
    a.address === "0.0.0.0" || a.address === "::"
      ? "127.0.0.1"
      : a.family === "IPv6"
        ? `[${a.address}]`
        : a.address;
  return `http://${host}:${a.port}`;
}

function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const xff = req.headers["x-forwarded-for"];
  const forwarded = trustProxy && typeof xff === "string" ? xff.split(",").at(-1)?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || "unknown";
}

/** The credentials an upgrade request carries: a token (header, query), else a same-origin session cookie. */
function upgradeCredentials(req: IncomingMessage, url: URL, opts: WsApiOptions): Credentials | null {
  const auth = req.headers.authorization;
  const bearer = typeof auth === "string" ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
  const token = bearer ?? url.searchParams.get("token") ?? undefined;
  if (token) return { token };
  const cookie = req.headers.cookie;
  // A page on another origin must not ride the session cookie (as for Socket.IO's handshake); it
  // may still authenticate with a token in its first frame.
  if (cookie && originAllowed(req.headers, opts.allowedOrigins, opts.trustProxy)) {
    const names = Object.keys(parseCookies(cookie));
    if (names.some((n) => n.includes("next-auth.session-token"))) return { cookie };
  }
  return null;
}

function send(ws: WebSocket, frame: unknown): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.close(WS_CLOSE.too_slow, "too_slow");
    return;
  }
  ws.send(JSON.stringify(frame));
}

type Frame = { id?: string | number; event: string; data?: unknown };

function parseFrame(raw: string): Frame | { error: string; id?: string | number } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { error: "Frames must be JSON: {id, event, data}" };
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return { error: "Frames must be JSON objects" };
  const f = v as Record<string, unknown>;
  const id = f.id;
  if (id !== undefined && typeof id !== "string" && typeof id !== "number")
    return { error: "id must be a string or a number" };
  if (typeof id === "string" && id.length > 128) return { error: "id is too long (max 128 characters)" };
  if (typeof f.event !== "string" || !f.event) return { error: "Missing event name", id };
  return { id, event: f.event, data: f.data };
}

async function onConnection(
  ws: WebSocket,
  req: IncomingMessage,
  url: URL,
  httpServer: HttpServer,
  io: BeaconServer,
  opts: WsApiOptions,
): Promise<void> {
  const creds = upgradeCredentials(req, url, opts);
  let pendingAuth = creds === null;
  const authTimer = creds
    ? undefined
    : setTimeout(() => {
        if (pendingAuth) close(WS_CLOSE.unauthorized, "unauthorized");
      }, AUTH_TIMEOUT_MS);
  const alive = ws as WebSocket & { beaconAlive?: boolean };
  alive.beaconAlive = true;
  ws.on("pong", () => {
    alive.beaconAlive = true;
  });
  ws.on("error", (err) => log.debug({ err: err.message }, "WebSocket API socket error"));
  const ip = clientAddress(req, opts.trustProxy);
  const userAgent = String(req.headers["user-agent"] ?? "");
  let bridge: BridgeSocket | null = null;
  let closing: SocketClosing | null = null;
  let inFlight = 0;
  const early: string[] = [];

  function close(code: number, reason: string) {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
  }

  const request = (raw: string) => {
    const f = parseFrame(raw);
    if ("error" in f) {
      send(ws, { id: f.id ?? null, ok: false, error: { code: "bad_request", message: f.error } });
      return;
    }
    const b = bridge;
    if (!b) return;
    if (f.event === "ping") {
      if (f.id !== undefined) send(ws, { id: f.id, ok: true, data: "pong" });
      return;
    }
    if (f.id === undefined) {
      // Fire and forget: it still runs (with its budget); the answer is dropped.
      b.emit(f.event, f.data, () => {});
      return;
    }
    const id = f.id;
    if (inFlight >= MAX_IN_FLIGHT) {
      const message = `Too many requests in flight (max ${MAX_IN_FLIGHT}): wait for their answers`;
      send(ws, { id, ok: false, error: { code: "rate_limited", message, retryAfterMs: 100 } });
      return;
    }
    inFlight++;
    b.timeout(ACK_TIMEOUT_MS).emit(f.event, f.data, (err: Error | null, ack: unknown) => {
      inFlight--;
      if (err) {
        send(ws, {
          id,
          ok: false,
          error: { code: "unavailable", message: "The server did not answer in time" },
        });
        return;
      }
      const a = (ack ?? {}) as Record<string, unknown>;
      send(ws, { id, ...a });
    });
  };

  ws.on("message", (data, isBinary) => {
    const raw = isBinary ? "" : data.toString();
    if (bridge?.connected) return request(raw);
    if (!bridge && !pendingAuth) return; // closing
    if (pendingAuth) {
      // Not authenticated yet: the first frame must be {type:"auth", token}.
      let token: unknown;
      try {
        const v = JSON.parse(raw) as { type?: unknown; token?: unknown };
        if (v && v.type === "auth") token = v.token;
      } catch {}
      if (typeof token !== "string" || !token) return close(WS_CLOSE.unauthorized, "unauthorized");
      pendingAuth = false;
      clearTimeout(authTimer);
      open({ token });
      return;
    }
    if (early.length >= MAX_EARLY_FRAMES) return close(WS_CLOSE.too_slow, "too_slow");
    early.push(raw);
  });
  ws.on("close", () => {
    clearTimeout(authTimer);
    pendingAuth = false;
    const b = bridge;
    bridge = null;
    b?.disconnect();
  });

  const open = (creds: Credentials) => {
    const headers: Record<string, string> = {
      "x-beacon-bridge-key": BRIDGE_KEY,
      "x-beacon-bridge-ip": ip,
      "x-beacon-bridge-ua": userAgent.slice(0, 512),
    };
    if ("cookie" in creds) headers.cookie = creds.cookie;
    const b = connectBridge(selfUrl(httpServer), {
      transports: ["websocket"],
      // Never reconnect on the bridge side: the client decides (its token may have been revoked).
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
      auth: "token" in creds ? { token: creds.token } : {},
    });
    bridge = b;
    b.on("connect", () => {
      // The bridge's server-side socket is in this process (same id): who this connection is.
      const data = b.id ? io.of("/").sockets.get(b.id)?.data : undefined;
      send(ws, { event: "ready", data: { user: data?.user ?? null, scopes: data?.tokenScopes ?? null } });
      for (const raw of early.splice(0)) request(raw);
    });
    b.on("connect_error", (err) => {
      const code = err.message as keyof typeof WS_CLOSE;
      if (code in WS_CLOSE) close(WS_CLOSE[code], code);
      else close(WS_CLOSE.unavailable, "unavailable");
    });
    b.onAny((event: string, ...args: unknown[]) => {
      if (event === "socket:closing") closing = args[0] as SocketClosing;
      send(ws, { event, data: args[0] ?? null });
    });
    b.on("disconnect", (reason) => {
      if (bridge !== b) return; // the client closed first
      bridge = null;
      const why: SocketCloseReason | undefined = closing?.reason;
      // Without socket:closing: a node shutting down ("io server disconnect") or a broken link.
      if (why) close(WS_CLOSE[why], why);
      else close(WS_CLOSE.restart, reason === "io server disconnect" ? "restart" : "connection_lost");
    });
  };

  if (creds) open(creds);
}
