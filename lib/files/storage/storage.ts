// The one storage interface every driver implements (disk.ts, s3.ts), and the key rules. Keys are
// made by Beacon only (keys.ts: ids it generated), never from anything a user sent, so no path from
// user input can reach the file system or the bucket.
import { Transform, type TransformCallback } from "node:stream";

export interface ByteRange {
  /** First byte, inclusive */
  start: number;
  /** Last byte, inclusive */
  end: number;
}

export interface PutOptions {
  /** Refuse (and keep nothing) once more than this many bytes have arrived. */
  maxBytes: number;
  contentType?: string;
}

export interface Storage {
  readonly driver: "disk" | "s3";
  /**
   * Stores the stream under `key`, replacing what was there only once every byte is durably stored
   * (a reader never sees a half object). Over `maxBytes`: rejects with StorageLimitError and keeps
   * nothing. A stream error: rejects with it and keeps nothing.
   */
  put(key: string, body: NodeJS.ReadableStream, opts: PutOptions): Promise<{ size: number }>;
  /** The object's bytes (only `range` when given). Rejects with StorageNotFoundError when missing. */
  get(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream>;
  stat(key: string): Promise<{ size: number } | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class StorageLimitError extends Error {
  constructor(public readonly maxBytes: number) {
    super(`object is larger than ${maxBytes} bytes`);
    this.name = "StorageLimitError";
  }
}

export class StorageNotFoundError extends Error {
  constructor(key: string) {
    super(`no object ${key}`);
    this.name = "StorageNotFoundError";
  }
}

/** Keys Beacon makes: `files/<uuid>[.variant]` and `avatars/<uuid>-<version>-<size>`. */
const KEY = /^(files\/[0-9a-f-]{36}(\.(thumb|preview))?|avatars\/[0-9a-f-]{36}-\d{1,9}-\d{1,4})$/;

/** Throws on anything that is not a key Beacon made (defence in depth: keys never come from input). */
export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/** Counts bytes as they pass and fails the stream as soon as there are more than `maxBytes`. */
export class ByteCap extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) done(new StorageLimitError(this.maxBytes));
    else done(null, chunk);
  }
}
