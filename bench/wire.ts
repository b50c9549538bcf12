// The load generator's clients. One small client per protocol, all on the `ws` package, so the
// generator spends as little CPU per delivery as possible and the same code drives all three servers:
//  - "raw": the raw ws broadcast server's JSON frames;
//  - "socketio" / "beacon": the Socket.IO wire protocol (Engine.IO v4 over WebSocket), spoken
//    directly: open "0{…}", namespace connect "40", ping "2" → pong "3", events "42[…]", acks "43id[…]".
// A received message is recognised by scanning the frame for the body's marker, not by JSON-parsing it.
import { randomUUID } from "node:crypto";
import WebSocket from "ws";

export type ServerKind = "raw" | "socketio" | "beacon";

/** The body of every bench message: `b|<gid>|<hrtime ns>|` padded with "x" to exactly 150 bytes. */
export const BODY_BYTES = 150;

export function makeBody(gid: number, stamp: bigint): string {
  const head = `b|${gid}|${stamp}|`;
  return head + "x".repeat(Math.max(0, BODY_BYTES - head.length));
}

/** Every message marker in a frame (its global id and send stamp; a message:batch carries several). */
export function readBodies(frame: string): { gid: number; stamp: bigint }[] {
  const found: { gid: number; stamp: bigint }[] = [];
  for (let at = frame.indexOf("b|"); at >= 0; at = frame.indexOf("b|", at + 2)) {
    const a = frame.indexOf("|", at + 2);
    const b = frame.indexOf("|", a + 1);
    if (a < 0 || b < 0) break;
    found.push({ gid: Number(frame.slice(at + 2, a)), stamp: BigInt(frame.slice(a + 1, b)) });
    at = b;
  }
  return found;
}

export interface WireOptions {
  kind: ServerKind;
  /** http://host:port of the server. */
  base: string;
  roomId: string;
  cookie?: string;
  onMessage: (frame: string) => void;
  /** Socket.IO kinds: a send's ack arrived, `us` after the send; `ok` false when it was refused. */
  onAck?: (us: number, ok: boolean) => void;
}

/** One connected client. `ready` resolves once it can send (Socket.IO namespace joined). */
export class WireClient {
  readonly ws: WebSocket;
  readonly ready: Promise<void>;
  private ackId = 0;
  private readonly sentAt = new Map<number, bigint>();

  constructor(private readonly opts: WireOptions) {
    const u = new URL(opts.base);
    const wsBase = `ws://${u.host}`;
    const url =
      opts.kind === "raw"
        ? `${wsBase}/?room=${encodeURIComponent(opts.roomId)}`
        : `${wsBase}/socket.io/?EIO=4&transport=websocket${opts.kind === "socketio" ? `&room=${encodeURIComponent(opts.roomId)}` : ""}`;
    this.ws = new WebSocket(url, {
      perMessageDeflate: false,
      headers: opts.cookie ? { cookie: opts.cookie, origin: u.origin } : { origin: u.origin },
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.ws.once("error", reject);
      this.ws.once("close", (code) => reject(new Error(`closed before ready (${code})`)));
      if (opts.kind === "raw") this.ws.once("open", () => resolve());
      this.ws.on("message", (data) => {
        const s = String(data);
        if (opts.kind === "raw") return opts.onMessage(s);
        const t = s.charCodeAt(0);
        if (t === 52 /* "4" message */) {
          if (s.startsWith("42")) return opts.onMessage(s);
          if (s.startsWith("40")) return resolve();
          if (s.startsWith("44")) return reject(new Error(`connect refused: ${s.slice(2)}`));
          if (s.startsWith("43")) return this.acked(s);
          return;
        }
        if (t === 50 /* "2" ping */) return this.ws.send("3");
        if (t === 48 /* "0" open */) return this.ws.send("40");
      });
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
  }

  send(body: string): void {
    if (this.opts.kind === "raw") {
      this.ws.send(`{"b":"${body}"}`);
      return;
    }
    const id = this.ackId++;
    this.sentAt.set(id, process.hrtime.bigint());
    // Beacon's message:send payload; the bare Socket.IO server accepts the same.
    this.ws.send(
      `42${id}["message:send",{"roomId":"${this.opts.roomId}","clientId":"${randomUUID()}","body":"${body}"}]`,
    );
  }

  /** "43<id>[{ok:…}]": time from send to ack (the server stored the message, or refused it). */
  private acked(frame: string): void {
    const open = frame.indexOf("[");
    const id = Number(frame.slice(2, open));
    const at = this.sentAt.get(id);
    if (at === undefined) return;
    this.sentAt.delete(id);
    this.opts.onAck?.(
      Number((process.hrtime.bigint() - at) / 1000n),
      frame.startsWith('{"ok":true', open + 1),
    );
  }

  close(): void {
    this.ws.terminate();
  }
}
