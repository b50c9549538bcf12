// Keeps the benchmark harness honest (not a timed test): the generator's wire clients speak both
// baselines' protocols, every message reaches every other member exactly once, and the bookkeeping
// (sent × (members − 1) expected, losses, duplicates) adds up.
import { afterAll, describe, expect, it } from "vitest";
import type { ConnectReply, RunReply } from "../bench/generator";
import { type BenchServer, type Generator, startBare, startGenerator } from "../bench/processes";
import { BODY_BYTES, makeBody, readBodies } from "../bench/wire";

describe("bench harness", () => {
  const started: { gen?: Generator; servers: BenchServer[] } = { servers: [] };
  afterAll(async () => {
    started.gen?.stop();
    for (const s of started.servers) await s.stop();
  });

  it("stamps 150-byte bodies and reads them back out of any frame, batches included", () => {
    const stamp = process.hrtime.bigint();
    const body = makeBody(42, stamp);
    expect(Buffer.byteLength(body)).toBe(BODY_BYTES);
    expect(readBodies(`42["message:new",{"seq":7,"body":"${body}"}]`)).toEqual([{ gid: 42, stamp }]);
    expect(readBodies('42["presence:update",{"userId":"u","status":"online"}]')).toEqual([]);
    const batch = `42["message:batch",[{"seq":7,"body":"${body}"},{"seq":8,"body":"${makeBody(43, stamp + 1n)}"}]]`;
    expect(readBodies(batch)).toEqual([
      { gid: 42, stamp },
      { gid: 43, stamp: stamp + 1n },
    ]);
  });

  it.each(["raw", "socketio"] as const)(
    "delivers every message to every other member once (%s)",
    async (kind) => {
      started.gen ??= startGenerator();
      const server = await startBare(kind);
      started.servers.push(server);
      const gen = started.gen;
      const c = await gen.send<ConnectReply>({
        cmd: "connect",
        kind,
        base: server.url,
        roomId: `room-${kind}`,
        count: 5,
        concurrency: 5,
      });
      expect(c.connected).toBe(5);
      const r = await gen.send<RunReply>({ cmd: "run", rate: 200, durationMs: 1_000, drainMs: 500 });
      await gen.send({ cmd: "close" });
      expect(r.sent).toBe(200);
      expect(r.expected).toBe(200 * 4);
      expect(r).toMatchObject({ delivered: 800, lost: 0, duplicates: 0 });
      expect(r.p50).toBeGreaterThan(0);
      expect(r.p99).toBeGreaterThanOrEqual(r.p50);
    },
  );
});
