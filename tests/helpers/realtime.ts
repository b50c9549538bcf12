// A real Socket.IO server (Beacon's factory) on an ephemeral port, and real clients that carry a
// real next-auth session cookie.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { io as connect, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { OFFLINE_GRACE_MS, PRESENCE_COALESCE_MS } from "@/lib/realtime/server/presence-handlers";
import { type BeaconServer, createRealtimeServer } from "@/lib/realtime/server/server";
import { newSessionId } from "@/lib/sessions/sessions.service";
import type { SharedState } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";
import { redisState } from "./services";

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export const SECRET = "test-secret-test-secret-test-secret";

/** A session cookie as sign-in issues it: a new session (sid) each call, at session version `sv`. */
export async function sessionCookie(user: SessionUser, sv = 0): Promise<string> {
  const token = await encode({
    token: { uid: user.id, username: user.username, name: user.displayName, sv, sid: newSessionId() },
    secret: SECRET,
  });
  return `next-auth.session-token=${token}`;
}

export async function startRealtime(
  state?: SharedState,
  redisPrefix?: string,
  opts: { maxSocketsPerUser?: number } = {},
): Promise<{
  url: string;
  io: BeaconServer;
  http: Server;
  close(): Promise<void>;
}> {
  const http = createServer();
  const rt = createRealtimeServer(http, {
    secret: SECRET,
    state,
    redisPrefix: redisPrefix ?? `beacon-test-${process.pid}`,
    ...opts,
  });
  const io = rt.io;
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    io,
    http,
    close: () => rt.close(),
  };
}

export async function connectAs(url: string, user: SessionUser | null, cookie?: string): Promise<TestClient> {
  const headers: Record<string, string> = {};
  const c = cookie ?? (user ? await sessionCookie(user) : undefined);
  if (c) headers.cookie = c;
  return connect(url, {
    transports: ["websocket"],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
}

export function connected(s: TestClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve();
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
}

export function call<T = unknown>(s: TestClient, event: string, ...args: unknown[]): Promise<Ack<T>> {
  // biome-ignore lint/suspicious/noExplicitAny: tests send deliberately malformed events
  return (s.timeout(5000) as any).emitWithAck(event, ...args);
}

export function nextEvent<T>(s: TestClient, event: keyof ServerToClientEvents, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    // biome-ignore lint/suspicious/noExplicitAny: generic event helper
    (s as any).once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** The socket handshake's answer for this cookie: "connected" or the refusal's message. */
export async function handshake(url: string, cookie: string): Promise<string> {
  const s = await connectAs(url, null, cookie);
  try {
    await connected(s);
    return "connected";
  } catch (err) {
    return (err as Error).message;
  } finally {
    s.close();
  }
}

type RealtimeNode = Awaited<ReturnType<typeof startRealtime>>;

/**
 * Two nodes of one deployment: realtime servers sharing one Redis under a fresh prefix. `close`
 * first lets closed sockets announce "offline" (after the grace period, through the adapter's Redis
 * connection), then closes the nodes and their state.
 */
export async function startTwoNodes(redisUrl: string): Promise<{
  nodes: [RealtimeNode, RealtimeNode];
  states: [SharedState, SharedState];
  close(): Promise<void>;
}> {
  const prefix = `beacon-test-${randomUUID().slice(0, 8)}`;
  const states: [SharedState, SharedState] = [
    await redisState(redisUrl, prefix),
    await redisState(redisUrl, prefix),
  ];
  const nodes: [RealtimeNode, RealtimeNode] = [
    await startRealtime(states[0], prefix),
    await startRealtime(states[1], prefix),
  ];
  return {
    nodes,
    states,
    async close() {
      await new Promise((r) => setTimeout(r, OFFLINE_GRACE_MS + PRESENCE_COALESCE_MS + 300));
      for (const n of nodes) await n.close();
      for (const s of states) await s.close();
    },
  };
}
