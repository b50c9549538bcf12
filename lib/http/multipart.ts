// Streaming multipart/form-data for upload routes (busboy): fields are collected as they come, and
// the one file part is handed over as a stream while the body is still arriving, so a file is never
// held in memory whole. The fields a handler needs must come before the file part. When the handler
// fails (too large, not allowed), the answer goes out at once: the rest of the body is read and
// discarded (up to DISCARD_BYTES, then the connection is cut) instead of being stored.
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/errors";

/** After a refusal, at most this much more of the body is read (and dropped) before the socket is cut. */
const DISCARD_BYTES = 8 * 1024 * 1024;

/**
 * The most a multipart body can hold besides the file: the field values and every part's headers
 * (within busboy's limits below). A declared Content-Length over a file cap plus this is surely too
 * large, so it can be refused before the file's bytes are read.
 */
export const MULTIPART_OVERHEAD = 64 * 1024;

export interface FilePart {
  /** The fields that arrived before the file part */
  fields: Record<string, string>;
  /** The request's declared Content-Length (null when chunked) */
  declaredLength: number | null;
  /** The client's file name (untrusted: display only) */
  filename: string | undefined;
  stream: Readable;
}

/**
 * Reads `req` as multipart/form-data and calls `onFile` for the part named `fileField`. Resolves with
 * what `onFile` resolved with, once the whole body has been read.
 */
export async function withUploadedFile<T>(
  req: Request,
  fileField: string,
  onFile: (part: FilePart) => Promise<T>,
): Promise<T> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type) || !req.body)
    throw new AppError("bad_request", "Send the file as multipart/form-data");
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: { "content-type": type },
      // Browsers send file names in UTF-8 (busboy's default would read them as latin1).
      defParamCharset: "utf8",
      limits: { files: 1, fields: 10, fieldSize: 4096, parts: 12, headerPairs: 20 },
    });
  } catch {
    throw new AppError("bad_request", "Send the file as multipart/form-data");
  }
  const source = Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>);
  const fields: Record<string, string> = {};
  const length = req.headers.get("content-length");
  const declaredLength = length && /^\d+$/.test(length.trim()) ? Number(length) : null;
  let result: Promise<T> | undefined;

  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err);
      discard(source, bb);
    };
    source.on("error", (err) => {
      bb.destroy(err);
      fail(new AppError("bad_request", "The upload was interrupted"));
    });
    bb.on("field", (name, value) => {
      if (Object.keys(fields).length < 10) fields[name] = value;
    });
    bb.on("file", (name, stream, info) => {
      if (name !== fileField || result) {
        stream.resume(); // not ours: read past it
        return;
      }
      result = onFile({ fields: { ...fields }, declaredLength, filename: info.filename, stream });
      result.catch(fail);
    });
    bb.on("error", (err) =>
      fail(
        err instanceof AppError
          ? err
          : new AppError("bad_request", "The upload is not valid multipart/form-data"),
      ),
    );
    bb.on("close", () => {
      if (settled) return;
      if (!result) {
        fail(new AppError("validation", `Attach a file in the "${fileField}" field`));
        return;
      }
      result.then((v) => {
        if (!settled) {
          settled = true;
          resolve(v);
        }
      }, fail);
    });
    source.pipe(bb);
  });
}

/** Stop parsing and drop the rest of the body (bounded), so a refusal is answered right away. */
function discard(source: Readable, bb: busboy.Busboy): void {
  source.unpipe(bb);
  bb.removeAllListeners("file");
  bb.on("error", () => {});
  let dropped = 0;
  source.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_BYTES) source.destroy();
  });
  source.on("error", () => {});
  source.resume();
}
