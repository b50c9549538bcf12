// Raster images: content sniffing (file-type, from the bytes only) and sharp processing. The stored
// original is re-encoded without metadata (EXIF, GPS, XMP, ICC comments) and turned upright; the
// thumbnail and preview are WebP. One image at a time per process (libvips decodes whole images).
import sharp, { type Sharp } from "sharp";
import { AVATAR_SIZES, type AvatarSize, PREVIEW_PX, THUMB_PX } from "./files.schema";

/** The raster formats shown inline; everything else (SVG and HTML included) is a download. */
export const RASTER_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"]);

/** Bytes that file-type needs at most to recognise a format. */
export const SNIFF_BYTES = 4100;

/** The content type of these first bytes: what file-type finds, UTF-8 text, or octet-stream. */
export async function sniffType(head: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import("file-type");
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  if (head.length > 0 && !head.includes(0) && isUtf8Prefix(head)) return "text/plain";
  return "application/octet-stream";
}

/** Valid UTF-8, allowing a sequence cut at the end of the sniffed prefix. */
function isUtf8Prefix(buf: Buffer): boolean {
  for (let cut = 0; cut < 4 && cut < buf.length; cut++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(buf.subarray(0, buf.length - cut));
      return true;
    } catch {}
  }
  return false;
}

/** Pixels an image may have (about 100 megapixels): bounds libvips' memory per decode. */
const MAX_PIXELS = 100_000_000;

let queue: Promise<unknown> = Promise.resolve();
/** Runs image jobs one after another (each may hold a whole decoded image). */
function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => {});
  return run;
}

sharp.concurrency(1);
sharp.cache(false);

export interface ProcessedImage {
  original: Buffer;
  thumb: Buffer;
  preview: Buffer;
  width: number;
  height: number;
}

/** Re-encodes `input` (a sniffed raster `type`) upright without metadata, plus thumb and preview. */
export function processImage(input: Buffer, type: string): Promise<ProcessedImage> {
  return serial(async () => {
    const opts = { limitInputPixels: MAX_PIXELS, animated: true } as const;
    const meta = await sharp(input, opts).metadata();
    const animated = (meta.pages ?? 1) > 1;
    // Rotating a multi-page image is not supported; animated formats carry no EXIF orientation.
    let base = sharp(input, opts);
    if (!animated) base = base.rotate();
    const original = await encodeAs(base, type).toBuffer();
    const still = () => sharp(input, { limitInputPixels: MAX_PIXELS }).rotate();
    const [thumb, preview] = await Promise.all([
      still()
        .resize(THUMB_PX, THUMB_PX, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 78 })
        .toBuffer(),
      still()
        .resize(PREVIEW_PX, PREVIEW_PX, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer(),
    ]);
    const upright = meta.autoOrient ?? { width: meta.width, height: meta.height };
    const height = animated ? (meta.pageHeight ?? upright.height) : upright.height;
    return { original, thumb, preview, width: upright.width, height };
  });
}

function encodeAs(img: Sharp, type: string): Sharp {
  switch (type) {
    case "image/jpeg":
      return img.jpeg({ quality: 90, mozjpeg: true });
    case "image/png":
      return img.png();
    case "image/gif":
      return img.gif();
    case "image/webp":
      return img.webp({ quality: 90 });
    case "image/avif":
      return img.avif({ quality: 70, effort: 2 });
    default:
      throw new Error(`not a raster type: ${type}`);
  }
}

/** A profile picture: cropped to a centred square, upright, no metadata, one WebP per size. */
export function processAvatar(input: Buffer): Promise<Record<AvatarSize, Buffer>> {
  return serial(async () => {
    const out = {} as Record<AvatarSize, Buffer>;
    for (const size of AVATAR_SIZES)
      out[size] = await sharp(input, { limitInputPixels: MAX_PIXELS })
        .rotate()
        .resize(size, size, { fit: "cover" })
        .webp({ quality: 85 })
        .toBuffer();
    return out;
  });
}
