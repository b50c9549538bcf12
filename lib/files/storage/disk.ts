// Local disk storage under DATA_DIR/files. A put writes a temp file in `.tmp/`, fsyncs it, renames it
// into place and fsyncs the directory: a crash or a kill mid-upload leaves at most a temp file (never
// served, swept by sweepTemp), never a half object under a real key.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import {
  ByteCap,
  type ByteRange,
  checkKey,
  type PutOptions,
  type Storage,
  StorageNotFoundError,
} from "./storage";

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException)?.code === "ENOENT";

export class DiskStorage implements Storage {
  readonly driver = "disk" as const;
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, ".tmp");
  }

  private pathOf(key: string): string {
    // checkKey allows only `<dir>/<name>` of [0-9a-z.-]: the result is always inside root.
    return path.join(this.root, ...checkKey(key).split("/"));
  }

  async put(key: string, body: NodeJS.ReadableStream, opts: PutOptions): Promise<{ size: number }> {
    const target = this.pathOf(key);
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    const cap = new ByteCap(opts.maxBytes);
    try {
      // flush: fsync before close, so the rename below never publishes bytes still in the page cache.
      await pipeline(body, cap, createWriteStream(tmp, { flags: "wx", mode: 0o600, flush: true }));
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    await syncDir(path.dirname(target));
    return { size: cap.bytes };
  }

  async get(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    const file = this.pathOf(key);
    // Open first, so a missing object is an error here rather than on the stream later.
    const handle = await open(file, "r").catch((err) => {
      throw isMissing(err) ? new StorageNotFoundError(key) : err;
    });
    return handle.createReadStream({ start: range?.start, end: range?.end, autoClose: true });
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.pathOf(key));
      return { size: s.size };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /** Removes temp files older than `olderThanMs` (left by a process killed mid-upload). */
  async sweepTemp(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (err) {
      if (isMissing(err)) return 0;
      throw err;
    }
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of names) {
      const p = path.join(this.tmpDir, name);
      const s = await stat(p).catch(() => null);
      if (s && s.mtimeMs < cutoff) {
        await rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await h.close();
  }
}
