// Admission control for socket handshakes (lib/realtime/server/admission.ts): a node authenticates a
// bounded number of handshakes at once, lets a bounded number wait, and answers the rest at once with
// connect_error `retry_after` and `data: {code, message, retryAfterMs}`, which is not a failure: a
// client following the app's reconnect rules (followServer, as every browser tab does) comes back and
// connects. Real Beacon realtime server, real PostgreSQL, real sockets; a turn is held through the
// node's own admission object, as a slow handshake would hold it.
import { io as connect } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { type ClientSocket, followServer, SOCKET_OPTIONS } from "@/lib/realtime/client/socket";
import { Admission, RETRY_AFTER_MAX_MS, RETRY_AFTER_MIN_MS } from "@/lib/realtime/server/admission";
import { MemoryState } from "@/lib/state/shared-state";
import { makeUser } from "./helpers/fixtures";
import { connected, handshake, sessionCookie, startRealtime, type TestClient } from "./helpers/realtime";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Holds one of the node's turns, as a handshake being authenticated does. */
async function holdTurn(admission: Admission): Promise<() => void> {
  const turn = admission.enter();
  if (!(turn instanceof Promise)) throw new Error("no free turn");
  return turn;
}

/** A tab's socket: the app's options and reconnect rules; what the server answered, in order. */
function tab(url: string, cookie: string) {
  const s: ClientSocket = connect(url, { ...SOCKET_OPTIONS, forceNew: true, extraHeaders: { cookie } });
  const refusals: { message: string; data: unknown }[] = [];
  const problems: string[] = [];
  s.on("connect_error", (err: Error & { data?: unknown }) => {
    if (!s.active) refusals.push({ message: err.message, data: err.data });
  });
  followServer(s, {
    sessionInDoubt: (_retry, why) => problems.push(why),
    closedForGood: (why) => problems.push(why.reason),
  });
  cleanup.push(() => {
    s.disconnect();
  });
  return { s, refusals, problems };
}

function untilConnected(s: ClientSocket, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve();
    const timer = setTimeout(() => reject(new Error(`not connected within ${ms} ms`)), ms);
    s.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function nextRefusal(s: ClientSocket): Promise<Error & { data?: unknown }> {
  return new Promise((resolve) => s.once("connect_error", resolve));
}

describe("handshake admission control", () => {
  it("over the limit a handshake is answered retry_after (not an error), and the tab then connects", async () => {
    const node = await startRealtime(new MemoryState(), undefined, {
      handshakeConcurrency: 1,
      handshakeQueue: 0,
    });
    cleanup.push(() => node.close());
    const user = await makeUser("storm");
    const cookie = await sessionCookie(user);
    const release = await holdTurn(node.admission);

    const t = tab(node.url, cookie);
    const refused = await nextRefusal(t.s);
    expect(refused.message).toBe("retry_after");
    expect(refused.data).toEqual({
      code: "retry_after",
      message: expect.stringMatching(/busy/),
      retryAfterMs: expect.any(Number),
    });
    const { retryAfterMs } = refused.data as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThanOrEqual(RETRY_AFTER_MIN_MS);
    expect(retryAfterMs).toBeLessThanOrEqual(RETRY_AFTER_MAX_MS);
    expect(node.admission.refusals).toBeGreaterThanOrEqual(1);

    // The turn frees up: the tab comes back by itself (its rules, not the test) and is let in.
    release();
    await untilConnected(t.s);
    expect(t.refusals.length).toBeGreaterThanOrEqual(1);
    expect(t.refusals.every((r) => r.message === "retry_after")).toBe(true);
    expect(t.problems).toEqual([]);
    expect(node.io.of("/").sockets.size).toBe(1);
  });

  it("waits in the queue while it has room (no refusal), and refuses only beyond it", async () => {
    const node = await startRealtime(new MemoryState(), undefined, {
      handshakeConcurrency: 1,
      handshakeQueue: 1,
    });
    cleanup.push(() => node.close());
    const user = await makeUser("queue");
    const release = await holdTurn(node.admission);

    const first = tab(node.url, await sessionCookie(user));
    await expect.poll(() => node.admission.waiting).toBe(1); // queued, not refused
    const second = tab(node.url, await sessionCookie(user));
    expect((await nextRefusal(second.s)).message).toBe("retry_after");
    expect(first.refusals).toEqual([]);

    release();
    await untilConnected(first.s);
    await untilConnected(second.s);
    expect(first.refusals).toEqual([]);
    expect(second.problems).toEqual([]);
    expect(node.admission.running + node.admission.waiting).toBe(0);
  });

  it("refuses before reading anything: a bad cookie over the limit is retry_after, not unauthorized", async () => {
    const node = await startRealtime(new MemoryState(), undefined, {
      handshakeConcurrency: 1,
      handshakeQueue: 0,
    });
    cleanup.push(() => node.close());
    const release = await holdTurn(node.admission);
    expect(await handshake(node.url, "next-auth.session-token=forged")).toBe("retry_after");
    release();
    expect(await handshake(node.url, "next-auth.session-token=forged")).toBe("unauthorized");
  });

  it("a plain socket.io client is told when to come back", async () => {
    const node = await startRealtime(new MemoryState(), undefined, {
      handshakeConcurrency: 1,
      handshakeQueue: 0,
    });
    cleanup.push(() => node.close());
    const user = await makeUser("plain");
    const release = await holdTurn(node.admission);
    const s = connect(node.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: await sessionCookie(user) },
      reconnection: false,
      forceNew: true,
    }) as TestClient;
    cleanup.push(() => {
      s.close();
    });
    const err = await connected(s).then(
      () => null,
      (e: Error & { data?: { retryAfterMs?: number } }) => e,
    );
    expect(err?.message).toBe("retry_after");
    expect(err?.data?.retryAfterMs).toEqual(expect.any(Number));
    release();
    s.connect(); // as docs/protocol.md tells a client without the app's rules to
    await connected(s);
  });
});

describe("Admission", () => {
  it("passes turns on in order, and asks refused clients to come back later the more are ahead", async () => {
    let now = 0;
    const a = new Admission({ concurrency: 2, maxQueue: 2, now: () => now });
    const r1 = await (a.enter() as Promise<() => void>);
    const r2 = await (a.enter() as Promise<() => void>);
    const order: number[] = [];
    const q1 = (a.enter() as Promise<() => void>).then((r) => {
      order.push(1);
      return r;
    });
    const q2 = (a.enter() as Promise<() => void>).then((r) => {
      order.push(2);
      return r;
    });
    const refused = a.enter();
    expect(refused).toMatchObject({ code: "retry_after" });
    const first = (refused as { retryAfterMs: number }).retryAfterMs;
    for (let i = 0; i < 100; i++) a.enter(); // a crowd refused in the same second
    const later = (a.enter() as { retryAfterMs: number }).retryAfterMs;
    expect(later).toBeGreaterThan(first);
    r1();
    r1(); // a second release of the same turn does nothing
    r2();
    (await q1)();
    (await q2)();
    expect(order).toEqual([1, 2]);
    expect(a.running).toBe(0);
    now += 10_000;
    expect(a.retryAfter().retryAfterMs).toBe(RETRY_AFTER_MIN_MS);
  });
});
