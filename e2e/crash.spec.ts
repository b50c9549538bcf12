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

/** Every stored object under DATA_DIR/files, leaving out the temp dir of unfinished writes. */
async function storedObjects(root: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (rel === "" && e.name === ".tmp") continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else out.push(r);
    }
  };
  await walk(root, "");
  return out;
}

test("SIGKILL in the middle of an upload: no orphan listed, no half file stored or served", async () => {
  test.setTimeout(180_000);
  const http = await import("node:http");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "beacon-upload-crash-"));
  let server: RunningServer = await startServer({ DATA_DIR: dataDir, DATABASE_URL: "" });
  try {
    const stamp = Date.now().toString(36);
    const cookie = await signInCookie(server.url, `upcrash${stamp}`);
    const created = await fetch(`${server.url}/api/rooms`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: `upcrash-${stamp}` }),
    });
    const roomId = ((await created.json()) as { room: { id: string } }).room.id;

    // A 20 MiB text file sent in 256 KiB chunks, slowly; the server is killed after ~5 MiB.
    const boundary = `----beacon${stamp}`;
    const url = new URL(`${server.url}/api/files`);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    const ended = new Promise<string>((resolve) => {
      req.on("error", (err) => resolve(`error: ${err.message}`));
      req.on("response", (res) => resolve(`status ${res.statusCode}`));
    });
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="roomId"\r\n\r\n${roomId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const chunk = Buffer.alloc(256 * 1024, "a");
    for (let i = 0; i < 20; i++) {
      req.write(chunk);
      await new Promise((r) => setTimeout(r, 50));
    }
    const victim = server;
    victim.proc.kill("SIGKILL");
    await new Promise((r) => victim.proc.once("exit", r));
    expect(await ended).toMatch(/^error|^status 5/); // never a 201 for a file that was not stored
    req.destroy();

    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const cookie2 = await signInCookie(server.url, `upcrash${stamp}`, undefined, { existing: true });
    // Nothing from the killed upload is listed in the room or stored outside the temp dir.
    const files = async () =>
      (await (
        await fetch(`${server.url}/api/rooms/${roomId}/files`, { headers: { cookie: cookie2 } })
      ).json()) as {
        files: { id: string; name: string }[];
      };
    expect((await files()).files).toEqual([]);
    expect(await storedObjects(path.join(dataDir, "files"))).toEqual([]);

    // The restarted server stores, attaches and serves a whole file as usual.
    const form = new FormData();
    form.append("roomId", roomId);
    form.append("file", new Blob(["whole file"], { type: "text/plain" }), "whole.txt");
    const up = await fetch(`${server.url}/api/files`, {
      method: "POST",
      headers: { cookie: cookie2 },
      body: form,
    });
    expect(up.status).toBe(201);
    const fileId = ((await up.json()) as { file: { id: string } }).file.id;
    const { io } = await import("socket.io-client");
    const s = io(server.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: cookie2 },
      reconnection: false,
    });
    await new Promise<void>((r, j) => {
      s.once("connect", () => r());
      s.once("connect_error", j);
    });
    const ack = await s
      .timeout(10_000)
      .emitWithAck("message:send", { roomId, clientId: crypto.randomUUID(), body: "", fileIds: [fileId] });
    s.disconnect();
    expect(ack).toMatchObject({ ok: true });
    expect((await files()).files.map((f) => f.name)).toEqual(["whole.txt"]);
    const got = await fetch(`${server.url}/api/files/${fileId}`, { headers: { cookie: cookie2 } });
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("whole file");
    expect(await storedObjects(path.join(dataDir, "files"))).toHaveLength(1);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
