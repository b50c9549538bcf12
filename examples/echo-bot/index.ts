// An example Beacon bot: echoes "!echo <text>" and sends reminders for "!remind <n>s|m|h <text>".
// It speaks the Socket.IO protocol (docs/protocol.md) with an API token; see README.md next to it.
//   BEACON_URL=http://localhost:3000 BEACON_TOKEN=bcn_… npx tsx examples/echo-bot/index.ts
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";

interface Message {
  id: string;
  roomId: string;
  seq: number;
  clientId: string;
  body: string;
  deleted: boolean;
  author: { id: string; username: string; displayName: string };
}
type Ack<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; retryAfterMs?: number } };

const url = process.env.BEACON_URL ?? "http://localhost:3000";
const token = process.env.BEACON_TOKEN;
if (!token) {
  console.error("Set BEACON_TOKEN to a token of the bot (Settings → API tokens, or the bot's page).");
  process.exit(1);
}

// WebSocket only (like Beacon's own clients); the token replaces the browser's session cookie.
const socket = io(url, { transports: ["websocket"], auth: { token } });
/** The clientIds of what this bot sent (the server never echoes a send to its own socket, but be sure). */
const mine = new Set<string>();
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };
const MAX_DELAY_MS = 24 * 3_600_000;

/** Send a message, retrying with the same clientId (the server stores it once) until it is stored. */
async function send(roomId: string, body: string): Promise<void> {
  const clientId = randomUUID();
  mine.add(clientId);
  if (mine.size > 10_000) mine.delete(mine.values().next().value as string);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const ack = (await socket
        .timeout(10_000)
        .emitWithAck("message:send", { roomId, clientId, body })) as Ack<Message>;
      if (ack.ok) return;
      if (ack.error.code !== "rate_limited" && ack.error.code !== "unavailable") {
        console.error(`could not send to ${roomId}: ${ack.error.message}`);
        return;
      }
      await sleep(ack.error.retryAfterMs ?? 1_000);
    } catch {
      await sleep(1_000); // no answer in time (reconnecting): the same clientId again
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function onMessage(m: Message): void {
  if (m.deleted || mine.has(m.clientId)) return; // never answer myself
  const text = m.body.trim();
  const echo = /^!echo\s+([\s\S]+)$/i.exec(text);
  if (echo?.[1]) {
    void send(m.roomId, echo[1]);
    return;
  }
  const remind = /^!remind\s+(\d+)([smh])\s+([\s\S]+)$/i.exec(text);
  if (remind) {
    const [, n, unit, what] = remind;
    const ms = Number(n) * (UNITS[(unit ?? "s").toLowerCase()] ?? 1_000);
    if (ms > MAX_DELAY_MS) {
      void send(m.roomId, "I can only remind you within 24 hours.");
      return;
    }
    void send(m.roomId, `OK @${m.author.username}, I will remind you in ${n}${unit}.`);
    setTimeout(() => void send(m.roomId, `⏰ @${m.author.username}: ${what}`), ms);
    return;
  }
  if (/^!help\b/i.test(text)) void send(m.roomId, "Try `!echo hello` or `!remind 10m stretch`.");
}

socket.on("connect", () => {
  console.info(`connected to ${url}`);
});
// The socket follows every room the bot is a member of (and rooms it is added to later).
socket.on("message:new", onMessage);
socket.on("message:batch", (ms: Message[]) => ms.forEach(onMessage));
socket.on("socket:closing", (c: { reason: string; message: string }) => {
  console.error(`Beacon closed the connection: ${c.message}`);
  if (c.reason !== "too_many_sockets") process.exit(2); // token revoked or bot deactivated
});
socket.on("connect_error", (err) => {
  if (err.message === "unauthorized") {
    console.error("The token was refused (wrong, expired or revoked).");
    process.exit(1);
  }
  console.error(`connection failed (${err.message}), retrying…`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    socket.close();
    process.exit(0);
  });
