// Bench part "uploads": 10 concurrent 100 MiB uploads (POST /api/files, multipart, Content-Length)
// against a real Beacon server process with disk storage in a temp dir, against a plain fs write of
// the same bytes (10 concurrent streams, fsync'd like Beacon's) to the same disk. Reports the server's
// RSS growth (peak during the uploads minus settled RSS before) and the throughput ratio.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { signInCookie, startServerWithOwnDatabase } from "../scripts/server-harness";
import { rssOf } from "./processes";

export interface UploadResult {
  uploads: number;
  mibEach: number;
  seconds: number;
  mibPerSec: number;
  fsSeconds: number;
  fsMibPerSec: number;
  throughputVsFs: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  statuses: number[];
}

const MiB = 1024 * 1024;

/** `total` bytes made of one random MiB repeated, produced as they are read. */
function body(total: number, block: Buffer): Readable {
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, block.length);
      left -= n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

function upload(base: string, cookie: string, roomId: string, bytes: number, block: Buffer): Promise<number> {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="roomId"\r\n\r\n${roomId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL("/api/files", base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        headers: {
          cookie,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": String(head.length + bytes + tail.length),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.write(head);
    const src = body(bytes, block);
    src.pipe(req, { end: false });
    src.on("end", () => req.end(tail));
  });
}

export async function uploadsBench(
  log: (s: string) => void,
  { count = 10, mib = 100 } = {},
): Promise<UploadResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-bench-files-"));
  const { server, stopAll } = await startServerWithOwnDatabase({
    DATA_DIR: dir,
    MAX_UPLOAD_MB: String(mib + 1),
  });
  try {
    const base = server.url;
    const cookie = await signInCookie(base, `up${Date.now().toString(36)}`);
    const created = await fetch(`${base}/api/rooms`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: `uploads-${Date.now().toString(36)}` }),
    });
    const roomId = ((await created.json()) as { room: { id: string } }).room.id;
    const block = randomBytes(MiB);
    // Warm up the route (first compile of the bundle's modules, sharp/file-type loaded).
    await upload(base, cookie, roomId, 4 * MiB, block);
    await new Promise((r) => setTimeout(r, 2000));
    const pid = server.proc.pid as number;
    const rssBefore = rssOf(pid);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 50);
    const t0 = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: count }, () => upload(base, cookie, roomId, mib * MiB, block)),
    );
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));
    log(
      `uploads: ${count} × ${mib} MiB in ${seconds.toFixed(2)} s, statuses ${[...new Set(statuses)].join(",")}`,
    );

    // The same bytes with plain fs streams on the same disk, fsync'd before close like Beacon's.
    const fsDir = await mkdtemp(path.join(dir, "fs-"));
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        pipeline(body(mib * MiB, block), createWriteStream(path.join(fsDir, `f${i}`), { flush: true })),
      ),
    );
    const fsSeconds = (performance.now() - t1) / 1000;
    const total = count * mib;
    const result: UploadResult = {
      uploads: count,
      mibEach: mib,
      seconds: Number(seconds.toFixed(3)),
      mibPerSec: Number((total / seconds).toFixed(1)),
      fsSeconds: Number(fsSeconds.toFixed(3)),
      fsMibPerSec: Number((total / fsSeconds).toFixed(1)),
      throughputVsFs: Number((fsSeconds / seconds).toFixed(3)),
      rssBeforeMiB: Number((rssBefore / MiB).toFixed(1)),
      rssPeakMiB: Number((peak / MiB).toFixed(1)),
      rssGrowthMiB: Number(((peak - rssBefore) / MiB).toFixed(1)),
      statuses,
    };
    log(
      `uploads: ${result.mibPerSec} MiB/s vs fs ${result.fsMibPerSec} MiB/s (${result.throughputVsFs}×), RSS +${result.rssGrowthMiB} MiB`,
    );
    return result;
  } finally {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  }
}
