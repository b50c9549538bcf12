// The storage this process uses: S3 when S3_BUCKET is set, else the disk under DATA_DIR/files. One
// instance per process on globalThis (server.ts and the Next bundle are separate module instances).
import path from "node:path";
import { dataDir, env } from "@/lib/env";
import { DiskStorage } from "./disk";
import { S3Storage } from "./s3";
import type { Storage } from "./storage";

export { avatarKey, fileKey } from "./keys";
export type { ByteRange, Storage } from "./storage";
export { StorageLimitError, StorageNotFoundError } from "./storage";

const g = globalThis as unknown as { __beaconStorage?: Storage };

export function createStorage(): Storage {
  const e = env();
  if (e.S3_BUCKET)
    return new S3Storage({
      endpoint: e.S3_ENDPOINT,
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
    });
  return new DiskStorage(path.join(dataDir(), "files"));
}

export function storage(): Storage {
  g.__beaconStorage ??= createStorage();
  return g.__beaconStorage;
}

/** For tests: use this storage (or, with none, build it again from the environment). */
export function setStorage(s: Storage | undefined): void {
  g.__beaconStorage = s;
}

/**
 * The boot warning for several nodes on local disks: with REDIS_URL (several nodes) and no S3, a file
 * uploaded to one node is missing on the others unless DATA_DIR/files is a shared mount.
 */
export function storageWarning(e = env()): string | null {
  if (e.REDIS_URL && !e.S3_BUCKET && !e.FILES_SHARED)
    return "REDIS_URL is set (several nodes) but files are stored on this node's disk (DATA_DIR/files): a file uploaded to one node will be missing on the others. Set S3_BUCKET (and S3_ENDPOINT…) for shared storage, or FILES_SHARED=true if DATA_DIR/files is a mount every node shares.";
  return null;
}
