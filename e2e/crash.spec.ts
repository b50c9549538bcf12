// Crash safety: SIGKILL the server (embedded PostgreSQL included) in the middle of a sustained send
// load, restart it on the same data, and check that every acked message is stored exactly once,
// that the clients' outboxes re-send what was not acked, and that every member ends up with each
// message exactly once, in seq order.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type RunningServer, signInCookie, startServer } from "@/scripts/server-harness";
import { ChatClient, sleep } from "@/tests/helpers/chat-client";

test("SIGKILL under load loses and duplicates nothing", async () => {
  test.setTimeout(180_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "beacon-crash-"));
  let server: RunningServer | null = await startServer({ DATA_DIR: dataDir, DATABASE_URL: "" });
  const urls = () => (server ? [server.url] : []);
  try {
    const base = server.url;
    const stamp = Date.now().toString(36);
    const cookies = await Promise.all(
      ["a", "b", "c", "w"].map((n) => signInCookie(base, `crash${n}${stamp}`)),
    );
    const created = await fetch(`${base}/api/rooms`, {
      method: "POST",
      headers: { cookie: cookies[0] as string, "content-type": "application/json" },
      body: JSON.stringify({ name: `crash-${stamp}` }),
    });
    const roomId = ((await created.json()) as { room: { id: string } }).room.id;
    for (const c of cookies.slice(1)) {
      expect(
        (await fetch(`${base}/api/rooms/${roomId}/join`, { method: "POST", headers: { cookie: c } })).status,
      ).toBe(200);
    }
    const senders = cookies.slice(0, 3).map((c) => new ChatClient(urls, c, roomId));
    const watcher = new ChatClient(urls, cookies[3] as string, roomId);
    for (const c of [...senders, watcher]) await c.start();

    let load = true;
    const loops = senders.map(async (c, k) => {
      for (let i = 0; load; i++) {
        c.send(`crash ${k}-${i}`);
        await sleep(15);
        while (c.outbox.length > 30 && load) await sleep(20);
      }
    });
    await sleep(2000);
    const victim = server;
    server = null;
    victim.proc.kill("SIGKILL");
    await new Promise((r) => victim.proc.once("exit", r));
    const ackedBefore = senders.reduce((n, c) => n + c.acked.size, 0);
    await sleep(500);
    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: "" }); // stale postmaster is recovered
    await sleep(2000);
    load = false;
    await Promise.all(loops);
    for (const c of senders) await expect.poll(() => c.outbox.length, { timeout: 60_000 }).toBe(0);

    const stored: { seq: number; clientId: string }[] = [];
    for (let after = 0; ; ) {
      const res = await fetch(`${server.url}/api/rooms/${roomId}/messages?after=${after}&limit=100`, {
        headers: { cookie: cookies[3] as string },
      });
      const page = (await res.json()) as { messages: { seq: number; clientId: string }[]; hasMore: boolean };
      stored.push(...page.messages);
      after = stored.at(-1)?.seq ?? after;
      if (!page.hasMore) break;
    }
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    const byClient = new Map(stored.map((m) => [m.clientId, m.seq]));
    expect(byClient.size).toBe(stored.length);
    let acked = 0;
    for (const c of senders) {
      for (const [clientId, seq] of c.acked) {
        expect(byClient.get(clientId)).toBe(seq);
        acked++;
      }
    }
    // Everything sent was eventually acked (outboxes empty) and is stored: nothing lost.
    expect(acked).toBe(stored.length);
    expect(ackedBefore).toBeGreaterThan(20);
    for (const c of [...senders, watcher]) {
      await expect.poll(() => c.seqs().length, { timeout: 30_000 }).toBe(stored.length);
      expect(c.seqs()).toEqual(stored.map((m) => m.seq));
      expect(c.connections).toBeGreaterThan(1);
    }
    test.info().annotations.push({
      type: "crash",
      description: `${acked} messages, ${ackedBefore} acked before SIGKILL`,
    });
    for (const c of [...senders, watcher]) c.close();
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
