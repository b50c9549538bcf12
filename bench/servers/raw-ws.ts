// Baseline 1: a raw `ws` broadcast server. Each message is framed once (WebSocket.Sender.frame) and
// the same bytes are written to every other socket in the room; the sender gets a small ack frame.
// No auth, no storage. Run: node --import tsx bench/servers/raw-ws.ts (prints its port).
import http from "node:http";
import type { Socket } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { announce, statsHandler } from "./stats";

const rooms = new Map<string, Set<WebSocket>>();
const server = http.createServer((req, res) => {
  if (!statsHandler(req, res)) res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket;
// ws's frame encoder (public as WebSocket.Sender.frame, missing from @types/ws).
const frameOnce = (WebSocket as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } }).Sender
  .frame;

wss.on("connection", (ws, req) => {
  const room = new URL(req.url ?? "/", "http://x").searchParams.get("room") ?? "";
  const members = rooms.get(room) ?? new Set<WebSocket>();
  rooms.set(room, members);
  members.add(ws);
  ws.on("close", () => members.delete(ws));
  let acks = 0;
  ws.on("message", (data) => {
    const frame = Buffer.concat(
      frameOnce(Buffer.from(`{"m":${String(data)}}`), {
        fin: true,
        rsv1: false,
        opcode: 1,
        mask: false,
        readOnly: false,
      }),
    );
    ws.send(`{"ack":${acks++}}`);
    for (const peer of members)
      if (peer !== ws && peer.readyState === WebSocket.OPEN) rawSocket(peer).write(frame);
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  announce((server.address() as { port: number }).port);
});
