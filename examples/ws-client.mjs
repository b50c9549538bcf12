// A complete client of Beacon's plain WebSocket API (docs/protocol.md, "Plain WebSocket API"): it
// follows one room, prints every message once and in order (catching up by seq after every
// reconnect), and sends each line typed on stdin as a message.
//   BEACON_URL=http://localhost:3000 BEACON_TOKEN=bcn_… BEACON_ROOM=<room id> node examples/ws-client.mjs
// Node 22+ has a global WebSocket; on Node 20 it uses the `ws` package (npm i ws).
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";

const WebSocket = globalThis.WebSocket ?? (await import("ws")).default;
const base = process.env.BEACON_URL ?? "http://localhost:3000";
const token = process.env.BEACON_TOKEN;
const roomId = process.env.BEACON_ROOM;
if (!token || !roomId) {
  console.error("Set BEACON_TOKEN and BEACON_ROOM");
  process.exit(1);
}
const url = `${base.replace(/^http/, "ws")}/api/v1/ws?token=${encodeURIComponent(token)}`;

let ws;
let lastSeq = -1; // the highest seq printed; -1: nothing yet (start from the latest)
let nextId = 0;
const waiting = new Map(); // request id → resolve
const outbox = []; // lines not acknowledged yet: {clientId, body} (resent with the same clientId)
let attempt = 0;

function request(event, data) {
  const id = ++nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, event, data }));
  });
}

function show(m) {
  if (m.roomId !== roomId || m.seq <= lastSeq) return; // duplicates and other rooms
  if (lastSeq >= 0 && m.seq > lastSeq + 1) return void catchUp(); // a gap: fetch what is missing
  lastSeq = m.seq;
  const who = m.author.displayName;
  console.info(m.kind === "action" ? `#${m.seq} * ${who} ${m.body}` : `#${m.seq} ${who}: ${m.body}`);
}

let catching = false;
async function catchUp() {
  if (catching) return;
  catching = true;
  try {
    for (;;) {
      const page = await request("message:list", lastSeq < 0 ? { roomId } : { roomId, after: lastSeq });
      if (!page.ok) throw new Error(page.error.message);
      for (const m of page.data.messages) show(m);
      if (lastSeq < 0 || !page.data.hasMore) break; // a first visit shows the latest page only
    }
  } finally {
    catching = false;
  }
}

let flushing = false;
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    await sendAll();
  } finally {
    flushing = false;
  }
}
async function sendAll() {
  while (outbox.length > 0 && ws.readyState === WebSocket.OPEN) {
    const item = outbox[0];
    const ack = await request("message:send", { roomId, clientId: item.clientId, body: item.body });
    if (!ack.ok && ["rate_limited", "unavailable"].includes(ack.error.code)) {
      await new Promise((r) => setTimeout(r, ack.error.retryAfterMs ?? 1000));
      continue; // the same clientId again: stored once
    }
    outbox.shift();
    if (ack.ok) show(ack.data);
    else console.error(`not sent: ${ack.error.message}`);
  }
}

function connect() {
  ws = new WebSocket(url);
  ws.onmessage = async (e) => {
    const f = JSON.parse(String(e.data));
    if (f.id !== undefined && f.id !== null && !f.event) {
      waiting.get(f.id)?.(f);
      waiting.delete(f.id);
      return;
    }
    if (f.event === "ready") {
      attempt = 0;
      const joined = await request("room:join", { roomId });
      if (!joined.ok) {
        console.error(`cannot follow the room: ${joined.error.message}`);
        return ws.close();
      }
      console.info(`joined #${joined.data.room.name} as @${f.data.user.username}`);
      await catchUp(); // everything after the last seq printed (all of it on the first visit)
      await flush();
    } else if (f.event === "message:new") show(f.data);
    else if (f.event === "message:batch") for (const m of f.data) show(m);
    else if (f.event === "message:updated") console.info(`#${f.data.seq} was edited: ${f.data.body}`);
    else if (f.event === "socket:closing") console.error(f.data.message);
  };
  ws.onclose = (e) => {
    for (const resolve of waiting.values())
      resolve({ ok: false, error: { code: "unavailable", message: "connection closed" } });
    waiting.clear();
    // 4001 signed out / revoked, 4003 deactivated, 4401 bad token: reconnecting would not help.
    if ([4001, 4002, 4003, 4401, 4403].includes(e.code)) {
      console.error(`closed: ${e.reason}`);
      process.exit(1);
    }
    const delay = Math.min(30_000, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
    setTimeout(connect, delay); // then catch up by seq (on "ready")
  };
  ws.onerror = () => {}; // onclose follows
}

connect();
createInterface({ input: process.stdin }).on("line", (line) => {
  const body = line.trim();
  if (!body) return;
  outbox.push({ clientId: randomUUID(), body });
  if (ws.readyState === WebSocket.OPEN) void flush();
});
