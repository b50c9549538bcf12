// S3-compatible storage (AWS S3, MinIO, Garage, Ceph, s3rver in tests) with @aws-sdk/client-s3. A put
// streams through lib-storage's multipart Upload (one part in memory at a time per upload); an
// object appears only when the upload completes, so a kill mid-upload leaves nothing readable (an
// incomplete multipart upload, which a bucket lifecycle rule should expire: docs/configuration.md).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  ByteCap,
  type ByteRange,
  checkKey,
  type PutOptions,
  type Storage,
  StorageNotFoundError,
} from "./storage";

export interface S3Options {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

const PART_SIZE = 5 * 1024 * 1024; // S3's smallest part

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

export class S3Storage implements Storage {
  readonly driver = "s3" as const;
  readonly client: S3Client;
  private readonly bucket: string;

  constructor(opts: S3Options) {
    const config: S3ClientConfig = {
      region: opts.region,
      forcePathStyle: opts.forcePathStyle,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.accessKeyId && opts.secretAccessKey
        ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
        : {}),
      // Third-party S3 servers do not all speak the newer default checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    };
    this.client = new S3Client(config);
    this.bucket = opts.bucket;
  }

  async put(key: string, body: NodeJS.ReadableStream, opts: PutOptions): Promise<{ size: number }> {
    checkKey(key);
    const cap = new ByteCap(opts.maxBytes);
    let failure: unknown;
    body.on("error", (err) => {
      failure ??= err;
      cap.destroy(err as Error);
    });
    body.pipe(cap);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: cap, ContentType: opts.contentType },
      queueSize: 1,
      partSize: PART_SIZE,
      leavePartsOnError: false,
    });
    cap.on("error", (err) => {
      failure ??= err;
      void upload.abort().catch(() => {});
    });
    try {
      await upload.done();
    } catch (err) {
      throw failure ?? err;
    }
    if (failure) {
      // The stream failed after the last part went out: the object must not stay.
      await this.delete(key).catch(() => {});
      throw failure;
    }
    return { size: cap.bytes };
  }

  async get(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: checkKey(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return out.Body as NodeJS.ReadableStream;
    } catch (err) {
      if (isNotFound(err)) throw new StorageNotFoundError(key);
      throw err;
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return { size: Number(out.ContentLength ?? 0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }
}
