// Keeps the benchmark harness honest (not a timed test): the generator's wire clients speak both
// baselines' protocols, every message reaches every other member exactly once, and the bookkeeping
// (sent × (members − 1) expected, losses, duplicates) adds up.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { ConnectReply, RunReply } from "../bench/generator";
import { firstLoadChunks, firstLoadJs } from "../bench/page";
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

  it("counts a route's first-load JavaScript from the build output: the route's chunks, each gzipped", async () => {
    const next = await mkdtemp(path.join(os.tmpdir(), "bench-next-"));
    try {
      const chunk = async (name: string, text: string) => {
        await mkdir(path.join(next, "static", "chunks"), { recursive: true });
        await writeFile(path.join(next, "static", "chunks", name), text);
        return `static/chunks/${name}`;
      };
      const root = await chunk("root.js", "framework();".repeat(200));
      const layout = await chunk("layout.js", "layout();".repeat(50));
      const page = await chunk("page.js", "page();".repeat(80));
      await chunk("other.js", "another route's code");
      await writeFile(
        path.join(next, "build-manifest.json"),
        JSON.stringify({ rootMainFiles: [root], polyfillFiles: ["static/chunks/polyfill.js"] }),
      );
      const dir = path.join(next, "server", "app", "(chat)", "rooms", "[roomId]");
      await mkdir(dir, { recursive: true });
      const manifest = {
        entryJSFiles: {
          "[project]/app/layout": [layout],
          "[project]/app/(chat)/rooms/[roomId]/page": [layout, page],
        },
      };
      await writeFile(
        path.join(dir, "page_client-reference-manifest.js"),
        `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["/(chat)/rooms/[roomId]/page"] = ${JSON.stringify(manifest)};`,
      );
      // Without the build's route statistics: the manifests (root chunks + the route's entries).
      expect(firstLoadChunks(next)).toEqual({ source: "manifests", files: [root, layout, page] });
      // With them (what Next 16 writes): their list for the route.
      await mkdir(path.join(next, "diagnostics"));
      await writeFile(
        path.join(next, "diagnostics", "route-bundle-stats.json"),
        JSON.stringify([
          { route: "/rooms/[roomId]", firstLoadChunkPaths: [`.next/${layout}`, `.next/${root}`] },
        ]),
      );
      const fl = firstLoadJs(next);
      expect(fl.source).toBe("route-bundle-stats");
      expect(fl.chunks.map((c) => c.file).sort()).toEqual([layout, root].sort());
      const gz = (t: string) => gzipSync(Buffer.from(t)).length;
      expect(fl.gzipBytes).toBe(gz("framework();".repeat(200)) + gz("layout();".repeat(50)));
      expect(fl.kib).toBe(Number((fl.gzipBytes / 1024).toFixed(1)));
    } finally {
      await rm(next, { recursive: true, force: true });
    }
  });
});
