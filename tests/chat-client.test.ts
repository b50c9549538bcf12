// The e2e specs' protocol client (tests/helpers/chat-client.ts) against a real realtime server: it
// must follow the browser's rules (receiveMessages), or the cluster/crash specs test something else.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMessage } from "@/lib/messages/messages.service";
import { roomChannel } from "@/lib/realtime/events";
import { joinRoom } from "@/lib/rooms/rooms.service";
import { ChatClient, sleep } from "@/tests/helpers/chat-client";
import { makeRoom, makeUser } from "@/tests/helpers/fixtures";
import { sessionCookie, startRealtime } from "@/tests/helpers/realtime";

let server: Awaited<ReturnType<typeof startRealtime>>;
const clients: ChatClient[] = [];
beforeAll(async () => {
  server = await startRealtime();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

async function setup() {
  const ana = await makeUser("ana");
  const bo = await makeUser("bo");
  const room = await makeRoom(ana);
  await joinRoom(bo, room.id);
  const client = new ChatClient(() => [server.url], await sessionCookie(ana), room.id, 0, ana.id);
  clients.push(client);
  await client.start();
  /** A message from bo stored without any broadcast (as if ana missed it). */
  const silent = async (body: string) =>
    (await sendMessage(bo, { roomId: room.id, clientId: randomUUID(), body })).message;
  return { client, room, silent };
}

describe("ChatClient (e2e helper)", () => {
  it("a live message that skips ahead fetches the gap", async () => {
    const { client, room, silent } = await setup();
    await silent("one");
    await silent("two");
    const three = await silent("three");
    server.io.to(roomChannel(room.id)).emit("message:new", three);
    await expect.poll(() => client.seqs(), { timeout: 5000 }).toEqual([1, 2, 3]);
  });

  it("its own send's ack that skips ahead is shown and fetches the gap below it", async () => {
    const { client, silent } = await setup();
    await silent("one");
    await silent("two");
    client.send("mine"); // acked as seq 3; nothing else happens in the room afterwards
    await expect.poll(() => client.acked.size, { timeout: 5000 }).toBe(1);
    await expect.poll(() => client.seqs(), { timeout: 5000 }).toEqual([1, 2, 3]);
    await sleep(100);
    expect(client.timeline).toMatchObject({ oldest: 1, through: 3 });
  });
});
