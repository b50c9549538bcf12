// One storage contract, run against both drivers: the disk under a temp dir, and S3 against a real
// S3-compatible server (s3rver) on a loopback port.
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileKey } from "@/lib/files/storage";
import { DiskStorage } from "@/lib/files/storage/disk";
import { S3Storage } from "@/lib/files/storage/s3";
import { checkKey, type Storage, StorageLimitError, StorageNotFoundError } from "@/lib/files/storage/storage";
import { startS3rver } from "./helpers/s3";

async function text(s: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts).toString();
}

/** A stream of `total` bytes in 64 KiB chunks, made on demand. */
function bytes(total: number, fill = 97): Readable {
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 64 * 1024);
      left -= n;
      this.push(Buffer.alloc(n, fill));
    },
  });
}

type Setup = { storage: Storage; cleanup: () => Promise<void>; leftovers: () => Promise<string[]> };

const drivers: [string, () => Promise<Setup>][] = [
  [
    "disk",
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-files-"));
      return {
        storage: new DiskStorage(dir),
        cleanup: () => rm(dir, { recursive: true, force: true }),
        leftovers: async () => readdir(path.join(dir, ".tmp")).catch(() => []),
      };
    },
  ],
  [
    "s3",
    async () => {
      const s3 = await startS3rver();
      const storage = new S3Storage({
        endpoint: s3.endpoint,
        bucket: "beacon",
        region: "us-east-1",
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        forcePathStyle: true,
      });
      return { storage, cleanup: s3.close, leftovers: async () => [] };
    },
  ],
];

describe.each(drivers)("storage contract: %s", (_name, make) => {
  let s: Setup;
  beforeAll(async () => {
    s = await make();
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it("stores a stream and reads it back, whole and by byte range", async () => {
    const key = fileKey(randomUUID());
    expect(await s.storage.exists(key)).toBe(false);
    expect(
      await s.storage.put(key, Readable.from([Buffer.from("hello "), Buffer.from("world")]), {
        maxBytes: 100,
      }),
    ).toEqual({
      size: 11,
    });
    expect(await s.storage.exists(key)).toBe(true);
    expect(await s.storage.stat(key)).toEqual({ size: 11 });
    expect(await text(await s.storage.get(key))).toBe("hello world");
    expect(await text(await s.storage.get(key, { start: 6, end: 10 }))).toBe("world");
    expect(await text(await s.storage.get(key, { start: 1, end: 1 }))).toBe("e");
  });

  it("streams a multi-part object (12 MiB) without changing a byte", async () => {
    const key = fileKey(randomUUID());
    const total = 12 * 1024 * 1024 + 17;
    expect((await s.storage.put(key, bytes(total, 120), { maxBytes: total })).size).toBe(total);
    expect(await s.storage.stat(key)).toEqual({ size: total });
    const tail = await text(await s.storage.get(key, { start: total - 3, end: total - 1 }));
    expect(tail).toBe("xxx");
  });

  it("refuses an object over the cap while streaming and keeps nothing", async () => {
    const key = fileKey(randomUUID());
    let produced = 0;
    const total = 40 * 1024 * 1024;
    const src = new Readable({
      read() {
        if (produced >= total) return void this.push(null);
        produced += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, 1));
      },
    });
    await expect(s.storage.put(key, src, { maxBytes: 6 * 1024 * 1024 })).rejects.toBeInstanceOf(
      StorageLimitError,
    );
    expect(produced).toBeLessThan(total / 2); // stopped reading soon after the cap, not at the end
    expect(await s.storage.exists(key)).toBe(false);
    expect(await s.leftovers()).toEqual([]);
  });

  it("keeps nothing when the source fails mid-stream, and an old object stays as it was", async () => {
    const key = fileKey(randomUUID());
    await s.storage.put(key, Readable.from([Buffer.from("v1")]), { maxBytes: 10 });
    const src = new PassThrough();
    const put = s.storage.put(key, src, { maxBytes: 100 * 1024 * 1024 });
    src.write(Buffer.alloc(6 * 1024 * 1024, 2));
    setTimeout(() => src.destroy(new Error("client went away")), 50);
    await expect(put).rejects.toThrow("client went away");
    expect(await text(await s.storage.get(key))).toBe("v1");
    expect(await s.leftovers()).toEqual([]);
  });

  it("replaces an object, deletes it, and deleting a missing one is fine", async () => {
    const key = fileKey(randomUUID(), "thumb");
    await s.storage.put(key, Readable.from([Buffer.from("one")]), { maxBytes: 10 });
    await s.storage.put(key, Readable.from([Buffer.from("two!")]), { maxBytes: 10 });
    expect(await text(await s.storage.get(key))).toBe("two!");
    await s.storage.delete(key);
    expect(await s.storage.exists(key)).toBe(false);
    expect(await s.storage.stat(key)).toBeNull();
    await s.storage.delete(key);
    await expect(s.storage.get(key)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it("accepts only keys Beacon makes", async () => {
    for (const bad of ["../etc/passwd", "files/../../x", "files/abc", "/files/x", "avatars/a-b-c", ""])
      await expect(s.storage.exists(bad)).rejects.toThrow("invalid storage key");
    expect(checkKey(fileKey("0b6f3f2e-8d3c-4a8b-9c1e-2f1d3c4b5a69", "preview"))).toContain("preview");
  });
});
