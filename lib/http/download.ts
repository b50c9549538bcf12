// Serving stored objects to the browser: one place for the headers every file and avatar answer
// carries (nosniff, a sandbox CSP, private caching revalidated each time, ETag/304) and for Range
// requests (206/416), so video and audio can seek.
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import type { ByteRange, Storage } from "@/lib/files/storage";
import { StorageNotFoundError } from "@/lib/files/storage";

export interface Download {
  storage: Storage;
  key: string;
  /** Content type to send (sniffed at upload: never the client's claim) */
  type: string;
  /** Strong validator: objects never change under one key (a new avatar is a new key) */
  etag: string;
  /** inline: shown by the browser (safe raster images only); attachment: always downloaded */
  disposition: "inline" | "attachment";
  /** File name for the Save dialog */
  filename?: string;
  /** Cache-Control; default "private, no-cache": revalidated (and so re-authorized) on every use */
  cacheControl?: string;
}

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: "inline" | "attachment", filename?: string): string {
  if (!filename) return kind;
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const utf8 = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** A single `bytes=` range of an object of `size` bytes; null: serve it whole; "unsatisfiable": 416. */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // several ranges or another unit: the whole object (allowed by RFC 9110)
  const [, a = "", b = ""] = m;
  if (a === "" && b === "") return null;
  if (a === "") {
    const n = Number(b);
    if (n === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/** The answer for GET (and HEAD) of a stored object. */
export async function serveObject(req: Request, d: Download): Promise<Response> {
  const headers = new Headers({
    "content-type": d.type,
    "content-disposition": contentDisposition(d.disposition, d.filename),
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox",
    "cache-control": d.cacheControl ?? "private, no-cache",
    etag: d.etag,
    "accept-ranges": "bytes",
    "cross-origin-resource-policy": "same-origin",
  });
  if (etagMatches(req.headers.get("if-none-match"), d.etag))
    return new Response(null, { status: 304, headers });
  const stat = await d.storage.stat(d.key);
  if (!stat) throw new AppError("not_found", "That file does not exist");
  // If-Range with another validator: the object changed, send it whole.
  const ifRange = req.headers.get("if-range");
  const range = ifRange && ifRange !== d.etag ? null : parseRange(req.headers.get("range"), stat.size);
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${stat.size}`);
    headers.set("content-type", "application/json");
    headers.delete("content-disposition");
    return new Response(
      JSON.stringify({ error: { code: "bad_request", message: "The requested range is outside the file" } }),
      { status: 416, headers },
    );
  }
  const length = range ? range.end - range.start + 1 : stat.size;
  headers.set("content-length", String(length));
  if (range) headers.set("content-range", `bytes ${range.start}-${range.end}/${stat.size}`);
  if (req.method === "HEAD") return new Response(null, { status: range ? 206 : 200, headers });
  let body: NodeJS.ReadableStream;
  try {
    body = await d.storage.get(d.key, range ?? undefined);
  } catch (err) {
    if (err instanceof StorageNotFoundError) throw new AppError("not_found", "That file does not exist");
    throw err;
  }
  const web = Readable.toWeb(
    Readable.from(body as AsyncIterable<Buffer>),
  ) as unknown as ReadableStream<Uint8Array>;
  return new Response(web, { status: range ? 206 : 200, headers });
}
