// The browser socket of lib/realtime/client/socket.ts, run in Node against a real Socket.IO server on port 0:
// `window`, `document` and `location` are stubbed with EventTargets so getSocket() builds the socket
// exactly as in a tab (same options, same listeners).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";

type ClientModule = typeof import("@/lib/realtime/client/socket");

interface FakeWindow extends EventTarget {
  location: {
    protocol: string;
    host: string;
    hostname: string;
    port: string;
    pathname: string;
    search: string;
    assign: (url: string) => void;
  };
}

let http: HttpServer | undefined;
let io: Server | undefined;
let client: ReturnType<ClientModule["getSocket"]> | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  vi.unstubAllGlobals();
  await new Promise<void>((r) => (io ? io.close(() => r()) : r()));
  io = undefined;
  http = undefined;
});

/** A fresh socket.ts (its socket is a module singleton) in a fake browser tab pointed at `port`. */
async function loadClient(port: number): Promise<{ mod: ClientModule; win: FakeWindow; doc: EventTarget }> {
  const location = {
    protocol: "http:",
    host: `127.0.0.1:${port}`,
    hostname: "127.0.0.1",
    port: String(port),
    pathname: "/rooms/x",
    search: "",
    assign: vi.fn(),
  };
  const win = Object.assign(new EventTarget(), { location }) as FakeWindow;
  const doc = Object.assign(new EventTarget(), { visibilityState: "visible" });
  vi.stubGlobal("window", win);
  vi.stubGlobal("document", doc);
  vi.stubGlobal("location", location);
  vi.resetModules();
  const mod = await import("@/lib/realtime/client/socket");
  return { mod, win, doc };
}

/** A Socket.IO server on port 0 (or `port`) whose handshake middleware is `middleware`. */
async function startServer(
  middleware: Parameters<Server["use"]>[0] = (_s, next) => next(),
  port = 0,
): Promise<number> {
  http = createServer();
  io = new Server(http, { transports: ["websocket"] });
  io.use(middleware);
  await new Promise<void>((r) => http?.listen(port, "127.0.0.1", r));
  return (http.address() as AddressInfo).port;
}

function untilConnected(s: NonNullable<typeof client>, ms: number): Promise<boolean> {
  if (s.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    s.once("connect", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe("getSocket listeners", () => {
  it("registers its window and socket listeners once, however often it is called", async () => {
    const port = await startServer();
    const { mod, win, doc } = await loadClient(port);
    const added = vi.spyOn(win, "addEventListener");
    const addedToDoc = vi.spyOn(doc, "addEventListener");
    client = mod.getSocket();
    const windowListeners = added.mock.calls.length;
    const documentListeners = addedToDoc.mock.calls.length;
    const socketListeners = ["connect", "disconnect", "connect_error"].map(
      (e) => client?.listeners(e as "connect").length,
    );
    expect(windowListeners).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(mod.getSocket()).toBe(client);
    expect(added.mock.calls.length).toBe(windowListeners);
    expect(addedToDoc.mock.calls.length).toBe(documentListeners);
    expect(
      ["connect", "disconnect", "connect_error"].map((e) => client?.listeners(e as "connect").length),
    ).toEqual(socketListeners);
    expect(await untilConnected(client, 5000)).toBe(true);
  });
});

describe("getSocket reconnection", () => {
  it("reconnects after the handshake is refused with unavailable, then rate_limited (honouring retryAfterMs)", async () => {
    const handshakes: number[] = [];
    const port = await startServer((_socket, next) => {
      handshakes.push(Date.now());
      if (handshakes.length === 1) return next(new Error("unavailable"));
      if (handshakes.length === 2) {
        const e = new AppError("rate_limited", "Too many connections — try again in 1 s", {
          retryAfterMs: 1000,
        });
        return next(Object.assign(new Error("rate_limited"), { data: e.toJSON() }));
      }
      next();
    });
    const { mod } = await loadClient(port);
    client = mod.getSocket();
    expect(await untilConnected(client, 8000)).toBe(true);
    expect(handshakes).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = handshakes;
    expect(second - first).toBeGreaterThanOrEqual(100);
    expect(third - second).toBeGreaterThanOrEqual(1000);
  });

  it("comes back after a node drops it and then refuses the first reconnect (failover)", async () => {
    let refuseNext = false;
    let handshakes = 0;
    const port = await startServer((_socket, next) => {
      handshakes++;
      if (refuseNext) {
        refuseNext = false;
        return next(new Error("unavailable"));
      }
      next();
    });
    const { mod } = await loadClient(port);
    client = mod.getSocket();
    expect(await untilConnected(client, 5000)).toBe(true);
    refuseNext = true;
    const dropped = new Promise((r) => client?.once("disconnect", r));
    io?.disconnectSockets(true); // "io server disconnect", as a node shutting down does
    await dropped;
    expect(await untilConnected(client, 8000)).toBe(true);
    expect(handshakes).toBe(3);
    expect(io?.of("/").sockets.size).toBe(1);
  });

  it("leaves transport errors to socket.io's own reconnection (one connection, no extra connect())", async () => {
    // A port with nothing listening yet: the first attempts fail at the transport.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const { mod } = await loadClient(port);
    client = mod.getSocket();
    const connectCalls = vi.spyOn(client, "connect");
    const failed = await new Promise<boolean>((r) =>
      client?.once("connect_error", () => r(client?.active ?? false)),
    );
    expect(failed).toBe(true); // still active: socket.io is retrying by itself
    await startServer(undefined, port);
    expect(await untilConnected(client, 8000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(connectCalls).not.toHaveBeenCalled();
    expect(io?.of("/").sockets.size).toBe(1);
  });
});

/** What GET /api/auth/session answers, in order (the last one repeats). */
function stubSession(...answers: Array<{ status: number; body: unknown }>): string[] {
  const asked: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    asked.push(String(url));
    const a = answers.length > 1 ? answers.shift() : answers[0];
    return new Response(JSON.stringify(a?.body ?? null), {
      status: a?.status ?? 200,
      headers: { "content-type": "application/json" },
    });
  });
  return asked;
}

describe("getSocket after an unauthorized refusal", () => {
  it("still signed in: reconnects with the growing backoff, not every second", async () => {
    const handshakes: number[] = [];
    const port = await startServer((_socket, next) => {
      handshakes.push(Date.now());
      if (handshakes.length <= 4) return next(new Error("unauthorized"));
      next();
    });
    const asked = stubSession({ status: 200, body: { user: { name: "ana" } } });
    const { mod, win } = await loadClient(port);
    client = mod.getSocket();
    expect(await untilConnected(client, 15_000)).toBe(true);
    expect(asked).toHaveLength(4);
    expect(win.location.assign).not.toHaveBeenCalled();
    const gaps = handshakes.slice(1).map((t, i) => t - (handshakes[i] ?? 0));
    // Backoff from RETRY_BASE_MS (500), jittered to 50–100 %: 250–500, 500–1000, 1000–2000, 2000–4000.
    expect(gaps[0]).toBeLessThan(900);
    expect(gaps[3]).toBeGreaterThanOrEqual(1900);
  });

  it("a 503 from /api/auth/session (database down, cookie kept) retries instead of signing out", async () => {
    let handshakes = 0;
    const port = await startServer((_socket, next) => {
      handshakes++;
      if (handshakes <= 2) return next(new Error("unauthorized"));
      next();
    });
    const asked = stubSession(
      { status: 503, body: { error: { code: "unavailable", message: "Database unavailable" } } },
      { status: 503, body: { error: { code: "unavailable", message: "Database unavailable" } } },
      { status: 200, body: { user: { name: "ana" } } },
    );
    const { mod, win } = await loadClient(port);
    client = mod.getSocket();
    expect(await untilConnected(client, 8000)).toBe(true);
    expect(asked).toEqual(["/api/auth/session", "/api/auth/session"]);
    expect(win.location.assign).not.toHaveBeenCalled();
  });

  it("signed out: goes to sign-in, back to this page afterwards", async () => {
    const port = await startServer((_socket, next) => next(new Error("unauthorized")));
    stubSession({ status: 200, body: {} });
    const { mod, win } = await loadClient(port);
    client = mod.getSocket();
    await vi.waitFor(() => expect(win.location.assign).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(win.location.assign).toHaveBeenCalledWith("/signin?callbackUrl=%2Frooms%2Fx");
    await new Promise((r) => setTimeout(r, 1500));
    expect(win.location.assign).toHaveBeenCalledTimes(1);
    expect(client.connected).toBe(false);
  });
});

/** A localStorage for the fake tab (Node has none). */
function stubStorage(entries: Record<string, string>): Map<string, string> {
  const m = new Map(Object.entries(entries));
  vi.stubGlobal("localStorage", {
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => m.set(k, String(v)),
    removeItem: (k: string) => m.delete(k),
  });
  return m;
}

describe("getSocket when the server closes it on purpose (socket:closing)", () => {
  /** A server that, once `close(reason)` is called, tells the tab's socket why and disconnects it. */
  async function closingServer() {
    let handshakes = 0;
    const port = await startServer((_socket, next) => {
      handshakes++;
      next();
    });
    const close = (reason: string) => {
      io?.emit("socket:closing", { reason, message: `closed: ${reason}` });
      io?.disconnectSockets(true);
    };
    return { port, close, handshakes: () => handshakes };
  }

  it("too_many_sockets: stays closed (no reconnect by itself, not even when back online) until asked", async () => {
    const server = await closingServer();
    const { mod, win } = await loadClient(server.port);
    client = mod.getSocket();
    const changes: unknown[] = [];
    mod.onSocketClosedByServer((c) => changes.push(c));
    expect(await untilConnected(client, 5000)).toBe(true);
    server.close("too_many_sockets");
    await vi.waitFor(() => expect(client?.connected).toBe(false));
    // A plain server disconnect is retried within 1 s: wait well past that.
    win.dispatchEvent(new Event("online"));
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.handshakes()).toBe(1);
    expect(client.connected).toBe(false);
    expect(mod.socketClosedByServer()).toEqual({
      reason: "too_many_sockets",
      message: "closed: too_many_sockets",
    });
    // The person chose to reconnect (the Reconnect button).
    mod.reconnectSocket();
    expect(await untilConnected(client, 5000)).toBe(true);
    expect(server.handshakes()).toBe(2);
    expect(mod.socketClosedByServer()).toBeNull();
    expect(changes).toEqual([{ reason: "too_many_sockets", message: "closed: too_many_sockets" }, null]);
  });

  it("signed_out: asks whether still signed in; signed out, drops the outboxes and goes to sign-in", async () => {
    const server = await closingServer();
    const storage = stubStorage({ "beacon.outbox.u1.r1": '{"items":[]}', "beacon.other": "kept" });
    const asked = stubSession({ status: 200, body: {} });
    const { mod, win } = await loadClient(server.port);
    client = mod.getSocket();
    expect(await untilConnected(client, 5000)).toBe(true);
    server.close("signed_out");
    await vi.waitFor(() =>
      expect(win.location.assign).toHaveBeenCalledWith("/signin?callbackUrl=%2Frooms%2Fx"),
    );
    expect(asked).toEqual(["/api/auth/session"]);
    expect([...storage.keys()]).toEqual(["beacon.other"]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(server.handshakes()).toBe(1);
  });

  it("signed_out but signed in again meanwhile (a new cookie): reconnects", async () => {
    const server = await closingServer();
    const storage = stubStorage({ "beacon.outbox.u1.r1": '{"items":[]}' });
    stubSession({ status: 200, body: { user: { name: "ana" } } });
    const { mod, win } = await loadClient(server.port);
    client = mod.getSocket();
    expect(await untilConnected(client, 5000)).toBe(true);
    server.close("signed_out");
    await vi.waitFor(() => expect(server.handshakes()).toBe(2), { timeout: 5000 });
    expect(win.location.assign).not.toHaveBeenCalled();
    expect([...storage.keys()]).toEqual(["beacon.outbox.u1.r1"]);
  });
});

describe("reconnect policy", () => {
  it("backs off exponentially with jitter, capped", async () => {
    const { reconnectDelay, RETRY_BASE_MS, RETRY_MAX_MS } = await import("@/lib/realtime/client/socket");
    expect(reconnectDelay(0, undefined, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(reconnectDelay(0, undefined, () => 1)).toBe(RETRY_BASE_MS);
    expect(reconnectDelay(3, undefined, () => 1)).toBe(RETRY_BASE_MS * 8);
    for (const attempt of [20, 100, 10_000]) {
      expect(reconnectDelay(attempt, undefined, () => 1)).toBe(RETRY_MAX_MS);
      expect(reconnectDelay(attempt, undefined, () => 0)).toBe(RETRY_MAX_MS / 2);
    }
  });

  it("waits at least the server's retryAfterMs, capped, and ignores a bogus one", async () => {
    const { reconnectDelay, RETRY_AFTER_MAX_MS, RETRY_BASE_MS } = await import(
      "@/lib/realtime/client/socket"
    );
    expect(reconnectDelay(0, 7000, () => 0)).toBe(7000);
    expect(reconnectDelay(0, 7000, () => 1)).toBe(7000 + RETRY_BASE_MS);
    expect(reconnectDelay(0, 10 * 60_000, () => 0)).toBe(RETRY_AFTER_MAX_MS);
    for (const bogus of [-5, 0, Number.NaN, "1000", null])
      expect(reconnectDelay(0, bogus, () => 0)).toBe(RETRY_BASE_MS / 2);
  });

  it("retries refusals other than unauthorized, and leaves transport errors to socket.io", async () => {
    const { connectErrorAction } = await import("@/lib/realtime/client/socket");
    const refused = (message: string, data?: unknown) => Object.assign(new Error(message), { data });
    expect(connectErrorAction(new Error("websocket error"), true, 0)).toEqual({ kind: "none" });
    expect(connectErrorAction(refused("unauthorized"), false, 0)).toEqual({ kind: "check-session" });
    expect(connectErrorAction(refused("unavailable"), false, 0, () => 0)).toEqual({
      kind: "retry",
      delayMs: 250,
    });
    expect(
      connectErrorAction(
        refused("rate_limited", { code: "rate_limited", retryAfterMs: 3000 }),
        false,
        0,
        () => 0,
      ),
    ).toEqual({ kind: "retry", delayMs: 3000 });
  });
});
