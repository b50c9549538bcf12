// Baseline 2: a bare Socket.IO server: rooms, the in-memory adapter, no auth, no storage. It speaks
// Beacon's message:send (ack to the sender, then message:new to the rest of the room), so the same
// generator drives both. Run: node --import tsx bench/servers/socketio.ts (prints its port).
import http from "node:http";
import { Server } from "socket.io";
import { announce, statsHandler } from "./stats";

const server = http.createServer((req, res) => {
  if (!statsHandler(req, res)) res.writeHead(404).end();
});
const io = new Server(server, { transports: ["websocket"], serveClient: false });
let seq = 0;
io.on("connection", (socket) => {
  const room = String(socket.handshake.query.room ?? "");
  void socket.join(room);
  socket.on(
    "message:send",
    (payload: { roomId: string; clientId: string; body: string }, ack: (r: unknown) => void) => {
      const message = {
        id: String(seq),
        roomId: payload.roomId,
        seq: seq++,
        clientId: payload.clientId,
        body: payload.body,
      };
      ack({ ok: true, data: message });
      socket.to(room).emit("message:new", message);
    },
  );
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  announce((server.address() as { port: number }).port);
});
