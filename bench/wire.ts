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

/** Finds the marker in a frame: the message's global id and its send stamp, or null. */
export function readBody(frame: string): { gid: number; stamp: bigint } | null {
  const at = frame.indexOf("b|");
  if (at < 0) return null;
  const a = frame.indexOf("|", at + 2);
  const b = frame.indexOf("|", a + 1);
  if (a < 0 || b < 0) return null;
  return { gid: Number(frame.slice(at + 2, a)), stamp: BigInt(frame.slice(a + 1, b)) };
}

export interface WireOptions {
  kind: ServerKind;
  /** http://host:port of the server. */
  base: string;
  roomId: string;
  cookie?: string;
  onMessage: (frame: string) => void;
}

/** One connected client. `ready` resolves once it can send (Socket.IO namespace joined). */
export class WireClient {
  readonly ws: WebSocket;
  readonly ready: Promise<void>;
  private ackId = 0;

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
          return; // "43…" acks: latency is measured at the receivers
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
    // Beacon's message:send payload; the bare Socket.IO server accepts the same.
    this.ws.send(
      `42${id}["message:send",{"roomId":"${this.opts.roomId}","clientId":"${randomUUID()}","body":"${body}"}]`,
    );
  }

  close(): void {
    this.ws.terminate();
  }
}
